using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = max(x, 0) (NaN stays NaN); dy/dx = 1 for x &gt; 0, else 0.</summary>
    [Differentiable]
    public static double Relu(double x) => Math.Max(x, 0.0);

    [Derivative(nameof(Relu))]
    private static double ReluDerivative(double x) => x > 0.0 ? 1.0 : 0.0;
}
