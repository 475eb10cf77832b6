using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = sin x; dy/dx = cos x.</summary>
    [Differentiable]
    public static double Sin(double x) => Math.Sin(x);

    [Derivative(nameof(Sin))]
    private static double SinDerivative(double x) => Math.Cos(x);
}
