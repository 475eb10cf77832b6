using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = eˣ; dy/dx = y.</summary>
    [Differentiable]
    public static double Exp(double x) => Math.Exp(x);

    [Derivative(nameof(Exp))]
    private static double ExpDerivative(double result) => result;
}
