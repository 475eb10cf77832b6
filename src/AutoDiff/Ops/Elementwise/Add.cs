namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = a + b; ∂y/∂a = 1, ∂y/∂b = 1.</summary>
    [Differentiable(Operator = "+")]
    public static double Add(double a, double b) => a + b;

    [Derivative(nameof(Add), "a")]
    private static double AddDa() => 1.0;

    [Derivative(nameof(Add), "b")]
    private static double AddDb() => 1.0;
}
