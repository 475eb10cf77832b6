using System;
using System.Linq;
using AutoDiff.Likelihoods;
using Xunit;

namespace AutoDiff.Tests.Likelihoods;

public class GaussianLikelihoodTests
{
    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void AD_gradient_equals_the_closed_form_of_eq_8_and_the_sigma_derivative(int seed)
    {
        var random = new Random(seed);
        var y = Enumerable.Range(0, 50 + random.Next(200)).Select(_ => 3.0 + 2.0 * random.NextDouble() - random.NextDouble()).ToArray();
        double mu = random.NextDouble() * 4 - 1, sigma = 0.3 + random.NextDouble() * 3;

        var (value, gradient) = AD.ValueAndGrad(p => GaussianLikelihood.LogLikelihood(p[0], p[1], y), [mu, sigma]);
        var (dMu, dSigma) = GaussianLikelihood.Gradient(mu, sigma, y);

        Assert.True(TestData.MaxRelativeError(gradient, [dMu, dSigma]) < 1e-10, $"{gradient[0]}, {gradient[1]} vs {dMu}, {dSigma}");
        Assert.True(Math.Abs(value - GaussianLikelihood.LogLikelihood(mu, sigma, y)) < 1e-10 * Math.Abs(value));
    }

    [Fact]
    public void Gradient_vanishes_at_the_closed_form_MLE()
    {
        var y = TestData.Diabetes.Column("progression");
        var (mu, sigma) = GaussianLikelihood.Mle(y);
        var gradient = AD.Grad(p => GaussianLikelihood.LogLikelihood(p[0], p[1], y), [mu, sigma]);

        // The scale of each partial's terms: N/σ for σ, N·|ȳ|/σ² for μ; the MLE makes them cancel to rounding.
        Assert.True(Math.Abs(gradient[0]) < 1e-10 * y.Length * Math.Abs(mu) / (sigma * sigma), $"∂μ = {gradient[0]}");
        Assert.True(Math.Abs(gradient[1]) < 1e-10 * y.Length / sigma, $"∂σ = {gradient[1]}");
    }

    [Fact]
    public void MLE_and_log_likelihood_agree_with_the_statsmodels_reference()
    {
        var y = TestData.Diabetes.Column("progression");
        var reference = TestData.Reference.GetProperty("diabetes_target_gaussian");
        var (mu, sigma) = GaussianLikelihood.Mle(y);

        Assert.Equal(reference.GetProperty("mu").GetDouble(), mu, 1e-9 * mu);
        Assert.Equal(reference.GetProperty("sigma").GetDouble(), sigma, 1e-9 * sigma);
        double ll = AD.ValueAndGrad(p => GaussianLikelihood.LogLikelihood(p[0], p[1], y), [mu, sigma]).Value;
        double expected = reference.GetProperty("loglik").GetDouble();
        Assert.Equal(expected, ll, 1e-9 * Math.Abs(expected));
    }

    [Fact]
    public void W1_value_and_gradient_equal_WORKLOADS_md()
    {
        var w1 = new AutoDiff.Benchmarks.Workloads.W1Gaussian(100_000);
        var (value, gradient) = AD.ValueAndGrad(w1.LogLikelihood, AutoDiff.Benchmarks.Workloads.W1Gaussian.Point);

        Assert.True(TestData.MaxRelativeError(gradient, [17779.313564373217, -47110.47920506417]) < 1e-9, string.Join(", ", gradient));
        Assert.Equal(-147107.50472748518, value, 1e-9 * 147107.5);
        Assert.Equal(-147107.50472748518, w1.PlainLogLikelihood(1.0, 1.5), 1e-9 * 147107.5);
    }

    [Fact]
    public void W1_with_the_declared_LogNormal_equals_WORKLOADS_md_in_the_loop_and_over_a_data_tensor()
    {
        // The two declared forms of DeclaredFunctionBenchmark's W1 group: a Var node per observation, and one fused
        // kernel over the data with μ and σ as Vars (log σ cached across the row).
        var w1 = new AutoDiff.Benchmarks.Workloads.W1Gaussian(100_000);
        var data = Tensor.Vector(w1.Y);
        Func<Var[], Var> loop = p =>
        {
            Var sum = 0.0;
            foreach (double y in w1.Y)
            {
                sum += AutoDiff.Benchmarks.Workloads.DeclaredDensities.LogNormal(y, p[0], p[1]);
            }

            return sum;
        };
        Func<Var[], Var> overData = p => AutoDiff.Ops.Sum(AutoDiff.Benchmarks.Workloads.DeclaredDensities.LogNormal(data, p[0], p[1]));
        foreach (var f in new[] { loop, overData })
        {
            var (value, gradient) = AD.ValueAndGrad(f, AutoDiff.Benchmarks.Workloads.W1Gaussian.Point);
            Assert.True(TestData.MaxRelativeError(gradient, [17779.313564373217, -47110.47920506417]) < 1e-9, string.Join(", ", gradient));
            Assert.Equal(-147107.50472748518, value, 1e-9 * 147107.5);
        }
    }

    [Fact]
    public void Empty_data_has_no_MLE()
    {
        var error = Assert.Throws<ArgumentException>(() => GaussianLikelihood.Mle([]));
        Assert.Contains("no observations", error.Message);
    }
}
