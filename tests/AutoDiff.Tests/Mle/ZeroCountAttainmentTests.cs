using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.MaximumLikelihood;

/// <summary>
/// A count of zero written the natural way, k·log p with k = 0: the likelihood has no maximum (it rises towards p = 0 or
/// λ = 0, as docs/mle.md says of "a Poisson rate of zero counts"), and the attainment check must say so. Its probe, one
/// standard error along the gradient, lies a few 10⁵ units of u = logit p or log λ away, where p or λ underflows to 0 and
/// 0 · log 0 is NaN. A NaN there counted as "lower" (as the −∞ of a domain exit does), so the fit was reported identified,
/// with p̂ ≈ 10⁻¹² and a standard error of 4·10⁻⁷, while the same likelihood without the 0 · log p term was reported not
/// attained.
/// </summary>
public class ZeroCountAttainmentTests
{
    [Theory]
    [InlineData(MleMethod.Newton)]
    [InlineData(MleMethod.Lbfgs)]
    public void Zero_successes_in_ten_trials_has_no_standard_error(MleMethod method)
    {
        const double k = 0, n = 10;
        var fit = Mle.Fit(p => k * Log(p[0]) + (n - k) * Log(1 - p[0]), [0.5],
            new MleOptions { ParameterNames = ["p"], Transforms = [ParameterTransform.UnitInterval], Method = method });

        Assert.False(fit.IsIdentified, $"p̂ = {fit.Estimates[0]}");
        Assert.Contains("The maximum is not attained", fit.Identification, StringComparison.Ordinal);
        Assert.Equal(["p"], fit.UnidentifiedParameters);
        Assert.Throws<IdentificationException>(() => fit.StandardErrors);
    }

    [Theory]
    [InlineData(MleMethod.Newton)]
    [InlineData(MleMethod.Lbfgs)]
    public void Ten_successes_in_ten_trials_has_no_standard_error(MleMethod method)
    {
        // The mirror image, where the NaN is 0 · log(1 − p): 1 − σ(u) rounds to 0 already from u ≈ 37.
        const double k = 10, n = 10;
        var fit = Mle.Fit(p => k * Log(p[0]) + (n - k) * Log(1 - p[0]), [0.5],
            new MleOptions { ParameterNames = ["p"], Transforms = [ParameterTransform.UnitInterval], Method = method });

        Assert.False(fit.IsIdentified, $"p̂ = {fit.Estimates[0]}");
        Assert.Contains("The maximum is not attained", fit.Identification, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MleMethod.Newton)]
    [InlineData(MleMethod.Lbfgs)]
    public void A_Poisson_rate_of_zero_counts_has_no_standard_error(MleMethod method)
    {
        double[] counts = [0, 0, 0, 0, 0];
        var fit = Mle.Fit(p => counts.Sum() * Log(p[0]) - counts.Length * p[0], [1.0],
            new MleOptions { ParameterNames = ["rate"], Transforms = [ParameterTransform.Positive], Method = method });

        Assert.False(fit.IsIdentified, $"λ̂ = {fit.Estimates[0]}");
        Assert.Contains("The maximum is not attained", fit.Identification, StringComparison.Ordinal);
        Assert.Equal(["rate"], fit.UnidentifiedParameters);
    }

    [Fact]
    public void The_tensor_form_with_the_zero_term_agrees()
    {
        var fit = Mle.Fit(p => Sum(0.0 * Log(p) + 10.0 * Log(1 - p)), Tensor.Vector(0.5),
            new MleOptions { Transforms = [ParameterTransform.UnitInterval] });

        Assert.False(fit.IsIdentified, $"p̂ = {fit.Estimates[0]}");
    }

    [Fact]
    public void A_count_above_zero_keeps_its_standard_error()
    {
        // Oracle: p̂ = k/n, se = √(p̂(1 − p̂)/n) (the binomial information n/(p(1 − p))).
        const double k = 1, n = 10;
        var fit = Mle.Fit(p => k * Log(p[0]) + (n - k) * Log(1 - p[0]), [0.5],
            new MleOptions { Transforms = [ParameterTransform.UnitInterval] });

        Assert.True(fit.IsIdentified, fit.Identification);
        Assert.Equal(0.1, fit.Estimates[0], 1e-9);
        Assert.Equal(Math.Sqrt(0.1 * 0.9 / 10), fit.StandardErrors[0], 1e-9);
    }
}
