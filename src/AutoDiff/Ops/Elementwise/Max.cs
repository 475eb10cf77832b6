using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>
    /// y = max(a, b) (NaN if either is NaN); ∂y/∂a = 1 where a &gt; b, ½ where a = b, NaN where a is NaN, else 0;
    /// likewise ∂y/∂b.
    /// </summary>
    /// <remarks>
    /// At a tie the gradient is split evenly, as in PyTorch's <c>maximum</c> and JAX's <c>max</c>. A NaN operand is
    /// what the maximum returns, so its partial is NaN (the derivative at NaN is undefined, and NaN propagates); the other
    /// operand, on which the NaN result does not depend, gets 0 (NaN too if it is NaN as well). PyTorch gives both 1 and
    /// JAX both 0 there, numbers that hide the NaN.
    /// </remarks>
    [Differentiable]
    public static double Max(double a, double b) => Math.Max(a, b);

    // A NaN fails both comparisons, so a pair holding one reaches the IsNaN test: NaN for the NaN operand, 0 for the other.
    [Derivative(nameof(Max), "a")]
    private static double MaxDa(double a, double b) => a > b ? 1.0 : a == b ? 0.5 : double.IsNaN(a) ? double.NaN : 0.0;

    [Derivative(nameof(Max), "b")]
    private static double MaxDb(double a, double b) => b > a ? 1.0 : a == b ? 0.5 : double.IsNaN(b) ? double.NaN : 0.0;
}
