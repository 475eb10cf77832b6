using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>
    /// y = min(a, b) (NaN if either is NaN); ∂y/∂a = 1 where a &lt; b, ½ where a = b, NaN where a is NaN, else 0;
    /// likewise ∂y/∂b.
    /// </summary>
    /// <remarks>
    /// At a tie the gradient is split evenly, as in PyTorch's <c>minimum</c> and JAX's <c>min</c>. A NaN operand's
    /// partial is NaN and the other operand's 0, as for <see cref="Max(double, double)"/>.
    /// </remarks>
    [Differentiable]
    public static double Min(double a, double b) => Math.Min(a, b);

    // As MaxDa and MaxDb: a pair holding a NaN reaches the IsNaN test.
    [Derivative(nameof(Min), "a")]
    private static double MinDa(double a, double b) => a < b ? 1.0 : a == b ? 0.5 : double.IsNaN(a) ? double.NaN : 0.0;

    [Derivative(nameof(Min), "b")]
    private static double MinDb(double a, double b) => b < a ? 1.0 : a == b ? 0.5 : double.IsNaN(b) ? double.NaN : 0.0;
}
