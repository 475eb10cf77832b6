using System;
using System.Linq;
using AutoDiff.Likelihoods;
using Xunit;

namespace AutoDiff.Tests.Likelihoods;

public class LogisticRegressionLikelihoodTests
{
    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5];

    private static Func<Var[], Var> LogLikelihood(double[][] x, double[] y) =>
        theta => LogisticRegressionLikelihood.LogLikelihood(theta, x, y);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void AD_gradient_equals_the_notes_closed_form_sum_of_y_minus_sigma_times_x(int seed)
    {
        var random = new Random(seed);
        int n = 50 + random.Next(300), d = 1 + random.Next(8);
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => random.NextDouble() * 6 - 3).ToArray()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => random.Next(2) * 1.0).ToArray();
        var theta = Enumerable.Range(0, d).Select(_ => random.NextDouble() * 2 - 1).ToArray();

        var gradient = AD.Grad(LogLikelihood(x, y), theta);

        Assert.True(TestData.MaxRelativeError(gradient, LogisticRegressionLikelihood.Gradient(theta, x, y)) < 1e-10);
    }

    [Fact]
    public void Log_likelihood_and_gradient_at_theta0_agree_with_the_statsmodels_reference()
    {
        var (x, y) = TestData.BreastCancerLogit();
        var reference = TestData.Reference.GetProperty("breast_cancer_logit_5std").GetProperty("at_theta0");

        var (ll, gradient) = AD.ValueAndGrad(LogLikelihood(x, y), reference.GetProperty("theta0").Doubles());

        double expected = reference.GetProperty("loglik").GetDouble();
        Assert.Equal(expected, ll, 1e-10 * Math.Abs(expected));
        Assert.True(TestData.MaxRelativeError(gradient, reference.GetProperty("grad").Doubles()) < 1e-9);
    }

    [Fact]
    public void Gradient_vanishes_at_the_statsmodels_MLE()
    {
        var (x, y) = TestData.BreastCancerLogit();
        var reference = TestData.Reference.GetProperty("breast_cancer_logit_5std");

        var (ll, gradient) = AD.ValueAndGrad(LogLikelihood(x, y), reference.GetProperty("theta").Doubles());

        Assert.Equal(reference.GetProperty("loglik").GetDouble(), ll, 1e-8 * 80);
        // statsmodels stops its Newton iterations at a tolerance, so the gradient there is small, not zero:
        // compare with the gradient's size at θ₀ (≈ 200).
        Assert.All(gradient, g => Assert.True(Math.Abs(g) < 1e-5, $"{g}"));
    }

    [Fact]
    public void Gradient_ascent_with_the_notes_update_rule_converges_to_the_MLE()
    {
        var (x, y) = TestData.BreastCancerLogit();
        var expected = TestData.Reference.GetProperty("breast_cancer_logit_5std").GetProperty("theta").Doubles();
        var theta = new double[expected.Length];
        var gradient = new double[theta.Length];
        var f = LogLikelihood(x, y);

        // θⱼ ← θⱼ + η ∂LL/∂θⱼ. The log-likelihood is concave with curvature at most ‖X‖²/4 ≈ 560 here, so η = 1/1000 is stable.
        const double eta = 1e-3;
        for (int step = 0; step < 20_000; step++)
        {
            AD.ValueAndGrad(f, theta, gradient);
            for (int j = 0; j < theta.Length; j++)
            {
                theta[j] += eta * gradient[j];
            }
        }

        Assert.True(TestData.MaxRelativeError(theta, expected) < 1e-6, string.Join(", ", theta));
    }

    [Fact]
    public void W2_value_and_gradient_equal_WORKLOADS_md()
    {
        var w2 = new AutoDiff.Benchmarks.Workloads.W2Logistic(10_000, 20);
        var (value, gradient) = AD.ValueAndGrad(w2.LogLikelihood, w2.Theta);

        Assert.Equal(-3307.299860822886, gradient[0], 1e-9 * 3307.3);
        Assert.Equal(-1961.9645006590115, gradient[19], 1e-9 * 1961.96);
        Assert.Equal(-12247.249038215781, value, 1e-9 * 12247.25);
        Assert.Equal(-12247.249038215781, w2.PlainLogLikelihood(w2.Theta), 1e-9 * 12247.25);
        Assert.True(TestData.MaxRelativeError(gradient, LogisticRegressionLikelihood.Gradient(w2.Theta, w2.X, w2.Y)) < 1e-10);
    }

    [Fact]
    public void W2_small_value_and_gradient_equal_WORKLOADS_md()
    {
        var w2 = new AutoDiff.Benchmarks.Workloads.W2Logistic(100, 5);
        var (value, gradient) = AD.ValueAndGrad(w2.LogLikelihood, w2.Theta);

        Assert.Equal(-32.99960536220358, gradient[0], 1e-9 * 33.0);
        Assert.Equal(-31.72162796570213, gradient[4], 1e-9 * 31.7);
        Assert.Equal(-72.48953214888466, value, 1e-9 * 72.5);
    }

    [Fact]
    public void Separable_data_far_from_the_origin_keeps_exact_gradients()
    {
        // z = ±800: log σ(z) and log(1 − σ(z)) are −800 or −e⁻⁸⁰⁰, never −∞, and the gradient (y − σ(z))x is exact.
        double[][] x = [[800.0], [-800.0], [800.0]];
        double[] y = [1.0, 1.0, 0.0];
        var (ll, gradient) = AD.ValueAndGrad(LogLikelihood(x, y), [1.0]);

        Assert.Equal(-1600.0, ll, 1e-12);
        Assert.Equal(LogisticRegressionLikelihood.Gradient([1.0], x, y)[0], gradient[0], 1e-12);
        Assert.Equal(-1600.0, gradient[0], 1e-12);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void A_label_outside_zero_to_one_is_named_instead_of_giving_a_meaningless_log_likelihood(double label)
    {
        // y = 2 gave LL = −1.40, finite and meaningless (helper-42).
        double[][] x = [[1.0], [2.0]];
        double[] y = [1.0, label];
        var error = Assert.Throws<ArgumentException>(() => AD.ValueAndGrad(LogLikelihood(x, y), [0.5]));
        Assert.Contains("label y[1] is", error.Message);
        Assert.Throws<ArgumentException>(() => LogisticRegressionLikelihood.Gradient([0.5], x, y));

        // A proportion is a fractional response: its quasi-likelihood's gradient is still Σ(yᵢ − σ(zᵢ))xᵢ.
        double[] proportions = [1.0, 0.25];
        var (_, gradient) = AD.ValueAndGrad(LogLikelihood(x, proportions), [0.5]);
        double expected = (1.0 - 1.0 / (1.0 + Math.Exp(-0.5))) * 1.0 + (0.25 - 1.0 / (1.0 + Math.Exp(-1.0))) * 2.0;
        Assert.Equal(expected, gradient[0], 14);
    }
}
