using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>
    /// y[i] = σ(x[i]) over plain spans with the tensor kernel of <see cref="Sigmoid(double)"/> (its vector body): for
    /// hand-written closed forms that must run on the same kernels as the AD gradient they are compared with.
    /// </summary>
    internal static void Sigmoid(ReadOnlySpan<double> x, Span<double> y) =>
        ElementwiseLoops.UnaryValue<__SigmoidKernel>(x, y, ElementwiseLoops.PreferredWidth);
}
