using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = cos x; dy/dx = −sin x.</summary>
    [Differentiable]
    public static double Cos(double x) => Math.Cos(x);

    [Derivative(nameof(Cos))]
    private static double CosDerivative(double x) => -Math.Sin(x);
}
