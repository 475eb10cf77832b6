namespace AutoDiff.Tests.Tensors;

/// <summary>
/// The half of a mutual recursion that lives in another file of the partial class (helper-51): the generator could not
/// read this body from <see cref="ReviewedDeclarations.Quartering"/>'s file, missed the cycle, and gave Quartering a vector
/// body that recursed until the stack overflowed.
/// </summary>
public static partial class ReviewedDeclarations
{
    /// <summary>Quartering(x/2): the other half of the recursion.</summary>
    [Differentiable]
    public static double HalfThenQuarter(double x) => Quartering(x * 0.5);

    [Derivative(nameof(HalfThenQuarter))]
    private static double HalfThenQuarterDerivative(double x) => 0.5 * QuarteringDerivative(x * 0.5);
}
