using System;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.SecondOrder;

/// <summary>Hessians that helper-42's review found wrong, each against its closed form; each failed before its fix.</summary>
public class HessianReviewTests
{
    [Fact]
    public void An_input_that_does_not_move_along_a_direction_adds_nothing_to_the_tangent_even_with_a_nan_partial()
    {
        // (xᵖ)² = x⁶ at (−2, 3): d²/dx² = 30x⁴ = 480; ∂(xᵖ)/∂p is NaN for x < 0, but along eₓ p does not move. Before, the
        // node's tangent took NaN·0 and the whole Hessian was NaN.
        var h = AD.Hessian(v => Square(Pow(v[0], v[1])), [-2.0, 3.0]);
        Assert.Equal(480.0, h[0, 0], 9);
        Assert.Equal(48.0, AD.Hessian(v => Pow(v[0], v[1]) * v[0], [-2.0, 3.0])[0, 0], 10);

        // x·√y at (1, 0): ∂²/∂x² = 0 (√y's partial is ∞, but y does not move along eₓ).
        Assert.Equal(0.0, AD.Hessian(v => v[0] * Sqrt(v[1]), [1.0, 0.0])[0, 0]);

        // eˣ + √y at (0, 0): the mixed entries are 0 both ways round.
        var mixed = AD.Hessian(v => Exp(v[0]) + Sqrt(v[1]), [0.0, 0.0]);
        Assert.Equal(0.0, mixed[0, 1]);
        Assert.Equal(0.0, mixed[1, 0]);
        Assert.Equal([2.0, 0.0], AD.HessianVectorProduct(v => Square(v[0]) + Sqrt(v[1]), [1.0, 0.0], [1.0, 0.0]));
    }

    [Fact]
    public void The_mixed_second_derivative_of_pow_at_exponent_zero_is_one_over_x()
    {
        // y = xᵖ at (2, 0): ∂²y/∂x∂p = xᵖ⁻¹(1 + p ln x) = 1/2, ∂²y/∂p² = xᵖ ln²x = ln²2, ∂²y/∂x² = p(p − 1)xᵖ⁻² = 0.
        // Before, ∂y/∂x's zero branch at p = 0 made ∂²y/∂x∂p 0 (and H asymmetric).
        var h = AD.Hessian(v => Pow(v[0], v[1]), [2.0, 0.0]);
        Assert.Equal(0.0, h[0, 0]);
        Assert.Equal(0.5, h[0, 1], 14);
        Assert.Equal(0.5, h[1, 0], 14);
        Assert.Equal(Math.Log(2.0) * Math.Log(2.0), h[1, 1], 14);
        var product = AD.HessianVectorProduct(v => Pow(v[0], v[1]), [2.0, 0.0], [0.0, 1.0]);
        Assert.Equal(0.5, product[0], 14);
        Assert.Equal(Math.Log(2.0) * Math.Log(2.0), product[1], 14);
    }

    [Theory]
    [InlineData(1e8)]
    [InlineData(1e12)]
    [InlineData(1e15)]
    public void The_hessian_of_log_sum_exp_keeps_its_accuracy_far_from_zero(double c)
    {
        // y = log(eᵃ + eᵇ) at (c, c + 1): ∂²y/∂a∂b = −σ(1)σ(−1) wherever c is. e^(xᵢ − y) lost the low digits of xᵢ − y:
        // a relative error of 6% at c = 10¹⁵.
        double s = 1.0 / (1.0 + Math.Exp(-1.0));
        double expected = -s * (1.0 - s);
        var h = AD.Hessian(v => LogSumExp(v[0], v[1]), [c, c + 1.0]);
        Assert.True(Math.Abs(h[0, 1] / expected - 1.0) < 1e-12, $"{h[0, 1]:R} vs {expected:R}");
    }

    [Fact]
    public void The_gradient_of_x_to_the_zero_is_zero_for_subnormal_and_nan_x_too()
    {
        // d/dx x⁰ = 0 for every x (x⁰ = 1, NaN⁰ = 1 too). With the zero branch only at x = 0 exactly, a subnormal x,
        // whose x⁻¹ overflows, gave 0·∞ = NaN (helper-47, a regression of the p = 0 fix above).
        foreach (double x in new[] { 1e-310, 5e-324, -1e-310, double.NaN, 0.0, 2.0, -3.0 })
        {
            Assert.Equal(0.0, AD.Grad(v => Pow(v[0], 0.0), [x])[0]);
        }

        Assert.Equal(0.0, AD.Grad(v => Pow(v[0], v[1]), [1e-310, 0.0])[0]);
        Assert.Equal([0.0, 0.0], AD.Grad(p => AutoDiff.Ops.Sum(Pow(p[0], Tensor.Vector(0.0, 0.0))), Tensor.Vector(1e-310, 2.0))[0].ToArray());

        // A NaN that comes from x or p themselves stays NaN: (NaN)² has no derivative.
        Assert.True(double.IsNaN(AD.Grad(v => Pow(v[0], 2.0), [double.NaN])[0]));
        Assert.True(double.IsNaN(AD.Grad(v => Pow(2.0, v[0]) * 0.0 + Pow(v[0], double.NaN), [2.0])[0]));
    }

    [Fact]
    public void The_second_derivative_of_x_to_the_zero_is_zero_at_zero_and_subnormal_x()
    {
        // x⁰ ≡ 1, so d²/dx² x⁰ = 0 everywhere; a polynomial Σ cₖxᵏ has second derivative 2c₂ at 0 (helper-50). The
        // generator had folded Pow's test raw·0 ≠ 0 (raw = x^(p−1), ∞ at x = 0) into 0 ≠ 0, so the zero branch was never
        // taken and the rule's second derivative computed 0·∞.
        foreach (double x in new[] { 0.0, 1e-310, -1e-310, 2.0 })
        {
            Assert.Equal(0.0, AD.Hessian(v => Pow(v[0], 0.0), [x])[0, 0]);
            Assert.Equal([0.0], AD.HessianVectorProduct(v => Pow(v[0], 0.0), [x], [1.0]));
        }

        double[] c = [1, 1, 2, 1];
        var h = AD.Hessian(v => { Var s = 0.0; for (int k = 0; k < c.Length; k++) { s += c[k] * Pow(v[0], (double)k); } return s; }, [0.0]);
        Assert.Equal(2 * c[2], h[0, 0]);
    }
}
