namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = a − b; ∂y/∂a = 1, ∂y/∂b = −1.</summary>
    [Differentiable(Operator = "-")]
    public static double Subtract(double a, double b) => a - b;

    [Derivative(nameof(Subtract), "a")]
    private static double SubtractDa() => 1.0;

    [Derivative(nameof(Subtract), "b")]
    private static double SubtractDb() => -1.0;
}
