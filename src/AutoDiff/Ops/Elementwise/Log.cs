using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = ln x (NaN for x &lt; 0, −∞ at 0); dy/dx = 1/x.</summary>
    [Differentiable]
    public static double Log(double x) => Math.Log(x);

    [Derivative(nameof(Log))]
    private static double LogDerivative(double x) => 1.0 / x;
}
