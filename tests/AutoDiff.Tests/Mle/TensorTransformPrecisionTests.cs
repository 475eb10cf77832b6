using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.MaximumLikelihood;

/// <summary>
/// A transformed element of a Tensor of parameters is as exact as in the Var form. The masked form
/// θ = u + m ⊙ (T(u) − u) cancelled: with u = log σ ≈ −23 the sum rounded θ to ε·23 absolute and its derivative
/// 1 + (eᵘ − 1) likewise, so a σ̂ of 7·10⁻¹¹ came out 4·10⁻⁶ off (LineSearchFailed), one of 7·10⁻¹⁵ half its value, and
/// a start σ = 10⁻¹⁷ was θ = 0 exactly (NaN at the start). Oracles: the closed forms ȳ, √(Σ(y − ȳ)²/n) and k/n.
/// </summary>
public class TensorTransformPrecisionTests
{
    [Theory]
    [InlineData(1e-10)]
    [InlineData(1e-14)]
    [InlineData(1e-17)]
    public void A_small_sigma_through_the_positive_transform_is_fitted_to_its_closed_form(double scale)
    {
        double[] y = Enumerable.Range(0, 50).Select(i => scale * (Math.Sin(i * 1.3) + 0.2)).ToArray();
        double mean = y.Average();
        double sigma = Math.Sqrt(y.Select(v => (v - mean) * (v - mean)).Average());
        var data = Tensor.Vector(y);

        var fit = Mle.Fit(p =>
        {
            var mu = Rows(p, 0);
            var s = Rows(p, 1);
            return Sum(-Log(s) - 0.5 * Math.Log(2 * Math.PI) - 0.5 * Square((data - mu) / s));
        }, Tensor.Vector([0, scale]), new MleOptions { Transforms = [ParameterTransform.Identity, ParameterTransform.Positive] });

        Assert.Equal(1, fit.Estimates[1] / sigma, 1e-12);
        Assert.Equal(1, fit.StandardErrors[1] / (sigma / Math.Sqrt(2 * y.Length)), 1e-8);
    }

    [Fact]
    public void A_small_probability_through_the_unit_interval_transform_is_fitted_to_its_closed_form()
    {
        // 3 successes in 3·10¹³ trials: p̂ = 10⁻¹³, u ≈ −29.9, where the cancelling form had a granularity of 7·10⁻¹⁵.
        const double k = 3, n = 3e13;
        var fit = Mle.Fit(p => k * Log(p) + (n - k) * Log1p(-p), Tensor.Vector([0.5]),
            new MleOptions { Transforms = [ParameterTransform.UnitInterval] });

        Assert.True(fit.Converged, fit.Message);
        Assert.Equal(1, fit.Estimates[0] / (k / n), 1e-10);
    }
}
