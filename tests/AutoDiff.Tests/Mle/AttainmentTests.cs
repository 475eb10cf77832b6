using System;
using System.Linq;
using AutoDiff.Likelihoods;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.MaximumLikelihood;

/// <summary>
/// A likelihood whose supremum is not attained at a finite point has no maximum-likelihood estimate: its optimizer stops
/// wherever the gradient falls below tolerance and the observed information there is tiny but positive definite. Before,
/// such a fit was reported converged and identified, with an arbitrary estimate (b1 = 49.3 for separated classes, where
/// statsmodels warns of perfect separation and R of fitted probabilities 0 or 1) and standard errors that meant nothing
/// (p̂ = 1 ± 9·10⁻⁷ for five successes in five trials). The oracle is the closed form: separated classes and a binomial
/// proportion of 1 have no finite maximum.
/// </summary>
public class AttainmentTests
{
    private static readonly double[][] X = [[1, -2], [1, -1], [1, -0.5], [1, 0.5], [1, 1], [1, 2]];

    public static TheoryData<MleMethod> SecondOrderMethods => [MleMethod.Newton, MleMethod.Lbfgs];

    [Theory]
    [MemberData(nameof(SecondOrderMethods))]
    public void Separated_classes_in_a_logistic_regression_have_no_standard_errors(MleMethod method)
    {
        var fit = Mle.Fit(p => LogisticRegressionLikelihood.LogLikelihood(p, X, [0, 0, 0, 1, 1, 1]), [0.0, 0.0],
            new MleOptions { Method = method, ParameterNames = ["b0", "b1"] });

        Assert.False(fit.IsIdentified, $"{method}: b = ({fit.Estimates[0]}, {fit.Estimates[1]}) reported identified");
        Assert.Equal(["b1"], fit.UnidentifiedParameters);
        Assert.Contains("The maximum is not attained", fit.Identification);
        var error = Assert.Throws<IdentificationException>(() => fit.StandardErrors);
        Assert.Equal(["b1"], error.Parameters);
        Assert.Contains("Warning: The maximum is not attained", fit.Summary());
    }

    [Fact]
    public void Quasi_separation_is_reported_in_the_diverging_slope_only()
    {
        // Two observations at x = 0 with labels 0 and 1 pin the intercept (b0 = 0); the slope still diverges.
        double[][] x = [[1, -2], [1, -1], [1, 0], [1, 0], [1, 1], [1, 2]];
        var fit = Mle.Fit(p => LogisticRegressionLikelihood.LogLikelihood(p, x, [0, 0, 0, 1, 1, 1]), [0.0, 0.0],
            new MleOptions { ParameterNames = ["b0", "b1"] });

        Assert.False(fit.IsIdentified);
        Assert.Equal(["b1"], fit.UnidentifiedParameters);
    }

    [Fact]
    public void Separated_classes_are_reported_in_the_tensor_form_too()
    {
        var x = Tensor.FromArray(X.SelectMany(row => row).ToArray(), [6, 2]);
        var y = Tensor.Vector([0, 0, 0, 1, 1, 1]);
        var fit = Mle.Fit(t => Sum(y * LogSigmoid(x.MatMul(t)) + (1 - y) * LogSigmoid(-x.MatMul(t))), Tensor.Zeros(2));

        Assert.False(fit.IsIdentified);
        Assert.Equal(["θ1"], fit.UnidentifiedParameters);
    }

    [Fact]
    public void A_proportion_estimated_at_one_through_a_transform_has_no_standard_error()
    {
        // Five successes in five trials: LL = 5 log p rises to 0 as p → 1 (u → ∞). Before: p̂ = 1, se 9.1·10⁻⁷.
        var fit = Mle.Fit(p => 5 * Log(p[0]), [0.5],
            new MleOptions { ParameterNames = ["p"], Transforms = [ParameterTransform.UnitInterval] });

        Assert.False(fit.IsIdentified);
        Assert.Equal(["p"], fit.UnidentifiedParameters);
        Assert.Throws<IdentificationException>(() => fit.ConfidenceIntervals());
    }

    [Fact]
    public void The_attainment_probe_outside_the_domain_is_not_an_error_under_CheckFinite()
    {
        // Counts 1 and 0, rate untransformed: LL = log λ − 2λ, λ̂ = 1/2, se = √(λ̂/n) = 1/2. Gradient ascent stops with a
        // negative residual gradient, so the probe one standard error along it is λ = 0, where LL = −∞. Before, inside
        // Tape.CheckFinite a fit that had converged threw NonFiniteValueException ("Log produced -Infinity from input(s)
        // (0)") from that probe. Oracle: λ̂ = mean = 1/2, se = 1/2 (Poisson information n/λ).
        double[] counts = [1, 0];
        MleResult fit;
        using (AutoDiff.Tape.CheckFinite())
        {
            fit = Mle.Fit(p => counts.Sum() * Log(p[0]) - counts.Length * p[0], [0.8],
                new MleOptions { Method = MleMethod.GradientAscent, LearningRate = 0.1, ParameterNames = ["rate"] });
        }

        Assert.True(fit.Converged);
        Assert.True(fit.IsIdentified, fit.Identification);
        Assert.Equal(0.5, fit.Estimates[0], 1e-8);
        Assert.Equal(0.5, fit.StandardErrors[0], 1e-6);
    }

    [Fact]
    public void A_log_likelihood_that_throws_outside_its_domain_does_not_fail_a_converged_fit()
    {
        // The same fit with a log-likelihood that guards its domain by throwing (helper-61): the attainment probe lands
        // on λ = 0 and the fit, converged before the check existed, threw the user's own exception from the check.
        double[] counts = [1, 0];
        Var Poisson(Var[] p) => p[0].Value > 0.0
            ? counts.Sum() * Log(p[0]) - counts.Length * p[0]
            : throw new ArgumentOutOfRangeException(nameof(p), p[0].Value, "the rate must be positive");

        var fit = Mle.Fit(Poisson, [0.8], new MleOptions { Method = MleMethod.GradientAscent, LearningRate = 0.1, ParameterNames = ["rate"] });

        Assert.True(fit.Converged);
        Assert.True(fit.IsIdentified, fit.Identification);
        Assert.Equal(0.5, fit.Estimates[0], 1e-8);
        Assert.Equal(0.5, fit.StandardErrors[0], 1e-6);
    }

    [Theory]
    [MemberData(nameof(SecondOrderMethods))]
    public void Overlapping_classes_keep_their_standard_errors(MleMethod method)
    {
        // One label swapped: the maximum exists (b1 = 1.3511), its log-likelihood falls 0.35 one standard error along the
        // gradient, far more than the twentieth of ½ that would count as not attained. Oracle: (XᵀWX)⁻¹ at the estimate.
        double[] y = [0, 0, 1, 0, 1, 1];
        var fit = Mle.Fit(p => LogisticRegressionLikelihood.LogLikelihood(p, X, y), [0.0, 0.0], new MleOptions { Method = method });

        Assert.True(fit.IsIdentified, fit.Identification);
        double a = 0, b = 0, c = 0;
        foreach (var row in X)
        {
            double s = 1 / (1 + Math.Exp(-(fit.Estimates[0] * row[0] + fit.Estimates[1] * row[1])));
            double w = s * (1 - s);
            a += w * row[0] * row[0];
            b += w * row[0] * row[1];
            c += w * row[1] * row[1];
        }

        double det = a * c - b * b;
        Assert.Equal(Math.Sqrt(c / det), fit.StandardErrors[0], 1e-8);
        Assert.Equal(Math.Sqrt(a / det), fit.StandardErrors[1], 1e-8);
    }
}
