using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = |x|; dy/dx = sign(x) (0 at x = 0, the subgradient PyTorch and JAX pick).</summary>
    [Differentiable]
    public static double Abs(double x) => Math.Abs(x);

    [Derivative(nameof(Abs))]
    private static double AbsDerivative(double x) => x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : 0.0;
}
