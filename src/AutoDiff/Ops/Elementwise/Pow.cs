using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = xᵖ; ∂y/∂x = p·xᵖ⁻¹ (0 where that is 0·∞: p = 0 with xᵖ⁻¹ infinite or NaN, xᵖ⁻¹ = 0 with p = ±∞), ∂y/∂p = y·ln x (0 when x = 0 and p ≥ 0).</summary>
    /// <remarks>
    /// The two special cases are the limits PyTorch and JAX use too: without them x⁰ would have gradient 0·x⁻¹ = NaN at
    /// x = 0, and 0ᵖ would have 0·ln 0 = NaN with respect to p. Likewise xᵖ⁻¹ = 0 with p = ±∞ (|x| &lt; 1 and p = +∞) has the
    /// limit 0, not ∞·0 = NaN. For x &lt; 0, ∂y/∂p is NaN: xᵖ is not a real function of p there.
    /// </remarks>
    [Differentiable]
    public static double Pow(double x, double p) => Math.Pow(x, p);

    // The zero branch only where p·xᵖ⁻¹ is NaN from a 0·∞ (raw·0 ≠ 0: NaN or ±∞, in one comparison):
    // p = 0 with xᵖ⁻¹ infinite (x = 0, a subnormal x, whose 1/x overflows) or NaN (x NaN: x⁰ = 1 all the same), and
    // xᵖ⁻¹ = 0 with p = ±∞. Everywhere else the rule is p·xᵖ⁻¹ itself, because the generator differentiates this rule
    // for the second derivatives and a branch's constant 0 has derivative 0: with x = 0, p > 1, d²/dx² x² at 0 is 2;
    // with p = 0, x ≠ 0, ∂²y/∂x∂p = xᵖ⁻¹(1 + p ln x) = 1/x (a Box-Cox λ started at 0). A NaN from x or p themselves
    // stays NaN.
    [Derivative(nameof(Pow), "x")]
    private static double PowDx(double x, double p)
    {
        double power = Math.Pow(x, p - 1.0);
        double raw = p * power;
        return raw * 0.0 != 0.0 && (p == 0.0 || power == 0.0) ? 0.0 : raw;
    }

    [Derivative(nameof(Pow), "p")]
    private static double PowDp(double x, double p, double result) => x == 0.0 && p >= 0.0 ? 0.0 : result * Math.Log(x);
}
