using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = max(x, 0) (NaN stays NaN); dy/dx = 1 for x &gt; 0, NaN at NaN, else 0.</summary>
    [Differentiable]
    public static double Relu(double x) => Math.Max(x, 0.0);

    // NaN at NaN, not the 0 of "x > 0 is false": see AbsDerivative.
    [Derivative(nameof(Relu))]
    private static double ReluDerivative(double x) => x > 0.0 ? 1.0 : double.IsNaN(x) ? double.NaN : 0.0;
}
