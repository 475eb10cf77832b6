namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = −x; dy/dx = −1.</summary>
    [Differentiable(Operator = "-")]
    public static double Negate(double x) => -x;

    [Derivative(nameof(Negate))]
    private static double NegateDerivative() => -1.0;
}
