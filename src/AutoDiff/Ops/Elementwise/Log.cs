using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = ln x (NaN for x &lt; 0, −∞ at 0); dy/dx = 1/x (+∞ at x = 0, either zero).</summary>
    [Differentiable]
    public static double Log(double x) => Math.Log(x);

    // 1/x at −0 would be −∞, but ln −0 = ln 0 = −∞ and the one-sided derivative at 0 is +∞: x + 0 is +0 there, and x
    // itself everywhere else (as SqrtDerivative).
    [Derivative(nameof(Log))]
    private static double LogDerivative(double x) => 1.0 / (x + 0.0);
}
