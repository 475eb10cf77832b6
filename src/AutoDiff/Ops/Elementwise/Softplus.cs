using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = ln(1 + eˣ) = max(x, 0) + ln(1 + e^(−|x|)); dy/dx = σ(x).</summary>
    /// <remarks>The second form never overflows and keeps full relative accuracy for x → −∞, where y ≈ eˣ.</remarks>
    [Differentiable]
    public static double Softplus(double x) => Math.Max(x, 0.0) + Log1p(Math.Exp(-Math.Abs(x)));

    [Derivative(nameof(Softplus))]
    private static double SoftplusDerivative(double x) => Sigmoid(x);
}
