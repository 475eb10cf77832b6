using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = ln(1 + x), accurate to a few ulp also where |x| is tiny; dy/dx = 1/(1 + x).</summary>
    /// <remarks>
    /// <c>double.LogP1</c> computes <c>Log(1 + x)</c> naively and returns 0 for x = 1e−20. Here the rounding error of
    /// u = 1 + x is cancelled: ln(1 + x) = ln(u) · x / (u − 1) (Goldberg, "What every computer scientist should know
    /// about floating-point arithmetic", Theorem 4).
    /// </remarks>
    [Differentiable]
    public static double Log1p(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0)
        {
            // |x| < ε/2: ln(1 + x) = x − x²/2 + … rounds to x.
            return x;
        }

        if (double.IsPositiveInfinity(u))
        {
            // x = +∞, or so large that 1 + x overflows: the quotient below would be ∞/∞.
            return Math.Log(x);
        }

        // x / (u − 1) first: it is ≈ 1, whereas ln(u) · x overflows for x near double.MaxValue.
        return Math.Log(u) * (x / (u - 1.0));
    }

    [Derivative(nameof(Log1p))]
    private static double Log1pDerivative(double x) => 1.0 / (1.0 + x);
}
