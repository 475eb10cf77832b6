using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = max(a, b) (NaN if either is NaN); ∂y/∂a = 1 where a &gt; b, ½ where a = b, else 0; likewise ∂y/∂b.</summary>
    /// <remarks>At a tie the gradient is split evenly, as in PyTorch's <c>maximum</c> and JAX's <c>max</c>.</remarks>
    [Differentiable]
    public static double Max(double a, double b) => Math.Max(a, b);

    [Derivative(nameof(Max), "a")]
    private static double MaxDa(double a, double b) => a > b ? 1.0 : a == b ? 0.5 : 0.0;

    [Derivative(nameof(Max), "b")]
    private static double MaxDb(double a, double b) => b > a ? 1.0 : a == b ? 0.5 : 0.0;
}
