using System;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// Declarations that the generator got wrong before a review (helper-41): named arguments in another order than the
/// parameters', a recursive function (its vector body never ended), a parameter named like a renamed local.
/// </summary>
public static partial class ReviewedDeclarations
{
    /// <summary>y = xᵖ written with named arguments in reverse order; both rules derived.</summary>
    [Differentiable]
    public static double NamedPow(double x, double p) => Math.Pow(y: p, x: x);

    /// <summary>y = x³ written with named arguments; the rule derived.</summary>
    [Differentiable]
    public static double NamedCube(double x) => Math.Pow(y: 3.0, x: x);

    /// <summary>x for x &gt; 10, else Halving(x + 1)/2: 0.5ᵏ(x + k) with k the steps to pass 10; dy/dx = 0.5ᵏ.</summary>
    [Differentiable]
    public static double Halving(double x) => x > 10.0 ? x : Halving(x + 1.0) * 0.5;

    [Derivative(nameof(Halving))]
    private static double HalvingDerivative(double x) => x > 10.0 ? 1.0 : 0.5 * HalvingDerivative(x + 1.0);

    /// <summary>x² for |x| ≤ 1, else HalfThenQuarter(x) = Quartering(x/2), declared in another file: (x/2ᵏ)², k the halvings to |x| ≤ 1; dy/dx = 2x/4ᵏ.</summary>
    [Differentiable]
    public static double Quartering(double x) => Math.Abs(x) > 1.0 ? HalfThenQuarter(x) : x * x;

    [Derivative(nameof(Quartering))]
    private static double QuarteringDerivative(double x) => Math.Abs(x) > 1.0 ? HalfThenQuarterDerivative(x) : 2.0 * x;

    /// <summary>2·s·y with s's parameter named __s and a local s, whose vector name was __s too.</summary>
    [Differentiable]
    public static double Clash(double __s, double y)
    {
        double s = __s * 2.0;
        return s * y;
    }

    [Derivative(nameof(Clash), "__s")]
    private static double ClashDs(double y) => 2.0 * y;

    [Derivative(nameof(Clash), "y")]
    private static double ClashDy(double __s) => 2.0 * __s;
}
