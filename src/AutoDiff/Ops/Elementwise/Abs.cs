using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = |x|; dy/dx = sign(x) (0 at x = 0, the subgradient PyTorch and JAX pick; NaN at NaN).</summary>
    [Differentiable]
    public static double Abs(double x) => Math.Abs(x);

    // The NaN branch: a NaN fails both comparisons, and 0 there would be a gradient that looks meaningful at a point
    // where the derivative is undefined; NaN propagates instead. double.NaN rather than x, so that the generator's
    // second-order rule (the derivative of this one) is NaN there too, and the vector body selects the same constant.
    [Derivative(nameof(Abs))]
    private static double AbsDerivative(double x) => x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : double.IsNaN(x) ? double.NaN : 0.0;
}
