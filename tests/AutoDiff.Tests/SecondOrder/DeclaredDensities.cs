using System;

namespace AutoDiff.Tests.SecondOrder;

/// <summary>User-style declarations without a [Derivative]: the generator derives both orders from the bodies.</summary>
public static partial class DeclaredDensities
{
    /// <summary>log N(y; μ, σ) = −log σ − ½ log 2π − (y − μ)²/(2σ²), the example, three inputs.</summary>
    [Differentiable]
    public static double LogNormal(double y, double mu, double sigma) =>
        -Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI) - (y - mu) * (y - mu) / (2 * sigma * sigma);

    /// <summary>y log σ(z) + (1 − y) log σ(−z), per observation, through the library's stable LogSigmoid.</summary>
    [Differentiable]
    public static double LogisticTerm(double y, double z) => y * AutoDiff.Ops.LogSigmoid(z) + (1 - y) * AutoDiff.Ops.LogSigmoid(-z);

    /// <summary>A piecewise function and a power with a variable exponent: x^p for x &gt; 1, else 1 + p·(x − 1).</summary>
    [Differentiable]
    public static double PowerOrLine(double x, double p) => x > 1.0 ? Math.Pow(x, p) : 1.0 + p * (x - 1.0);

    /// <summary>xᵖ with a variable exponent, derived: its rule for x must keep p·xᵖ⁻¹'s derivative in p at p = 0.</summary>
    [Differentiable]
    public static double PowerOf(double x, double p) => Math.Pow(x, p);

    /// <summary>The Math functions and two-input library functions the generator differentiates, in one body.</summary>
    [Differentiable]
    public static double MathMix(double x, double y) =>
        Math.Atan(x) * Math.Cosh(y / 3.0) + Math.Log10(2.0 + x * x) - Math.Cbrt(1.0 + y * y) + Math.Asin(0.9 * Math.Tanh(x))
        + Math.Acos(0.5 * Math.Tanh(y)) + Math.Sinh(x / 4.0) + Math.Log2(1.0 + y * y)
        + Math.Max(x, y) * AutoDiff.Ops.Min(x, 2.0 * y) + AutoDiff.Ops.Pow(x * x + 1.0, 0.5 * y) + AutoDiff.Ops.Max(x, 1.0);
}
