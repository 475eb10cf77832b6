using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = √x; dy/dx = 1/(2y) (+∞ at x = 0).</summary>
    [Differentiable]
    public static double Sqrt(double x) => Math.Sqrt(x);

    [Derivative(nameof(Sqrt))]
    private static double SqrtDerivative(double result) => 0.5 / result;
}
