namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = x²; dy/dx = 2x.</summary>
    [Differentiable]
    public static double Square(double x) => x * x;

    [Derivative(nameof(Square))]
    private static double SquareDerivative(double x) => 2.0 * x;
}
