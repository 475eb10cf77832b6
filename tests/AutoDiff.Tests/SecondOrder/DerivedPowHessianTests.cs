using System;
using Xunit;

namespace AutoDiff.Tests.SecondOrder;

/// <summary>
/// The Hessian of xᵖ declared without rules (<see cref="DeclaredDensities.PowerOf"/>) against its closed form:
/// ∂²/∂x² = p(p − 1)xᵖ⁻², ∂²/∂x∂p = xᵖ⁻¹(1 + p ln x), ∂²/∂p² = xᵖ ln² x. At p = 0 the derived rule for x took its limit 0
/// with a branch that held for every x, so ∂²/∂x∂p came out 0 on that side (½ at x = 2) while ∂²/∂p∂x was right.
/// </summary>
public class DerivedPowHessianTests
{
    [Theory]
    [InlineData(2.0, 0.0)]
    [InlineData(2.0, 1.5)]
    [InlineData(0.7, -0.3)]
    [InlineData(3.0, 1.0)]
    [InlineData(0.5, 0.0)]
    public void Hessian_of_a_derived_power_matches_its_closed_form(double x, double p)
    {
        var hessian = AD.Hessian(v => DeclaredDensities.PowerOf(v[0], v[1]), [x, p]);

        double log = Math.Log(x);
        double mixed = Math.Pow(x, p - 1.0) * (1.0 + p * log);
        Assert.Equal(p * (p - 1.0) * Math.Pow(x, p - 2.0), hessian[0, 0], 1e-12);
        Assert.Equal(mixed, hessian[0, 1], 1e-12);
        Assert.Equal(mixed, hessian[1, 0], 1e-12);
        Assert.Equal(Math.Pow(x, p) * log * log, hessian[1, 1], 1e-12);
    }

    [Fact]
    public void The_limits_of_the_first_derivatives_at_zero_are_kept()
    {
        // x⁰ at x = 0: ∂/∂x is the limit 0 (not 0·0⁻¹ = NaN), and ∂/∂p is 0 (not 0⁰·ln 0).
        var gradient = AD.Grad(v => DeclaredDensities.PowerOf(v[0], v[1]), [0.0, 0.0]);

        Assert.Equal(0.0, gradient[0]);
        Assert.Equal(0.0, gradient[1]);
    }
}
