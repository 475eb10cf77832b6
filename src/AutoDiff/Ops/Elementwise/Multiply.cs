namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = a · b; ∂y/∂a = b, ∂y/∂b = a.</summary>
    [Differentiable(Operator = "*")]
    public static double Multiply(double a, double b) => a * b;

    [Derivative(nameof(Multiply), "a")]
    private static double MultiplyDa(double b) => b;

    [Derivative(nameof(Multiply), "b")]
    private static double MultiplyDb(double a) => a;
}
