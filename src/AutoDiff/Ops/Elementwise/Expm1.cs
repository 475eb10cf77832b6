using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = eˣ − 1, accurate to a few ulp also where |x| is tiny; dy/dx = eˣ = y + 1.</summary>
    /// <remarks>
    /// <c>double.ExpM1</c> computes <c>Exp(x) − 1</c> naively and returns 0 for x = 1e−20. Here the rounding error of
    /// u = eˣ is cancelled: eˣ − 1 = (u − 1) · x / ln u (Kahan's method).
    /// </remarks>
    [Differentiable]
    public static double Expm1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0)
        {
            // |x| < ε/2: eˣ − 1 = x + x²/2 + … rounds to x.
            return x;
        }

        double um1 = u - 1.0;
        if (um1 == -1.0 || double.IsPositiveInfinity(u))
        {
            // eˣ underflowed against 1 (x ≲ −37), or overflowed: u − 1 is already the correctly rounded answer.
            return um1;
        }

        // x / ln u first: it is ≈ 1, whereas (u − 1) · x overflows for x near ln(double.MaxValue).
        return um1 * (x / Math.Log(u));
    }

    [Derivative(nameof(Expm1))]
    private static double Expm1Derivative(double x) => Math.Exp(x);
}
