using System;
using Xunit;

namespace AutoDiff.Tests.MaximumLikelihood;

public class StandardNormalTests
{
    // erfc to 17 digits, from CPython's math.erfc (itself checked against mpmath).
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.1, 0.8875370839817152)]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1.0, 0.15729920705028513)]
    [InlineData(2.0, 0.004677734981047265)]
    [InlineData(3.0, 2.2090496998585438e-05)]
    [InlineData(5.0, 1.5374597944280351e-12)]
    [InlineData(10.0, 2.088487583762545e-45)]
    [InlineData(20.0, 5.3958656116079005e-176)]
    [InlineData(26.0, 5.663192408856143e-296)]
    [InlineData(-1.0, 1.842700792949715)]
    [InlineData(-3.0, 1.9999779095030015)]
    public void Erfc_has_full_relative_accuracy(double x, double expected)
    {
        double actual = StandardNormal.Erfc(x);
        Assert.True(Math.Abs(actual - expected) <= 4e-16 * expected, $"erfc({x}) = {actual:R}, expected {expected:R}");
    }

    [Fact]
    public void Erfc_limits_and_erf_are_consistent()
    {
        Assert.Equal(0.0, StandardNormal.Erfc(30));
        Assert.Equal(2.0, StandardNormal.Erfc(double.NegativeInfinity));
        Assert.True(double.IsNaN(StandardNormal.Erfc(double.NaN)));
        Assert.Equal(-StandardNormal.Erf(0.3), StandardNormal.Erf(-0.3));
        Assert.Equal(1 - 0.15729920705028513, StandardNormal.Erf(1.0), 1e-16);
    }

    [Fact]
    public void Cdf_tails_p_values_and_quantiles_match_known_values()
    {
        Assert.Equal(0.975, StandardNormal.Cdf(1.959963984540054), 1e-15);
        Assert.Equal(0.05, StandardNormal.TwoSidedPValue(-1.959963984540054), 1e-15);
        Assert.Equal(1.959963984540054, StandardNormal.Quantile(0.975), 1e-14);
        Assert.Equal(-1.6448536269514722, StandardNormal.Quantile(0.05), 1e-14);
        // P(Z > 10) = 7.619853024160527e-24: the tail 1 − Φ would round to 0. The rounding of 10/√2 alone moves
        // erfc by a relative 2x²ε ≈ 2·10⁻¹⁴.
        Assert.Equal(7.619853024160527e-24, StandardNormal.UpperTail(10), 3e-14 * 7.6e-24);
        Assert.Equal(double.NegativeInfinity, StandardNormal.Quantile(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StandardNormal.Quantile(1.5));
    }

    [Theory]
    [InlineData(1e-300)]
    [InlineData(1e-20)]
    [InlineData(0.001)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Quantile_inverts_the_cdf(double p)
    {
        double z = StandardNormal.Quantile(p);
        // Φ′/Φ ≈ |z| in the tail: the rounding of z shows in Φ(z) as a relative z²ε.
        Assert.True(Math.Abs(StandardNormal.Cdf(z) - p) <= 4e-16 * Math.Max(1, z * z) * p, $"Φ({z:R}) = {StandardNormal.Cdf(z):R} ≠ {p}");
    }
}
