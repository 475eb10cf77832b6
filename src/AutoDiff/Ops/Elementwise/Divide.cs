namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = a / b; ∂y/∂a = 1/b, ∂y/∂b = −a/b² = −y/b.</summary>
    [Differentiable(Operator = "/")]
    public static double Divide(double a, double b) => a / b;

    [Derivative(nameof(Divide), "a")]
    private static double DivideDa(double b) => 1.0 / b;

    [Derivative(nameof(Divide), "b")]
    private static double DivideDb(double b, double result) => -result / b;
}
