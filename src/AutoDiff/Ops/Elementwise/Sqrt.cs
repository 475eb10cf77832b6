using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = √x; dy/dx = 1/(2y) (+∞ at x = 0, either zero).</summary>
    [Differentiable]
    public static double Sqrt(double x) => Math.Sqrt(x);

    // √−0 is −0 (IEEE 754), and 0.5/−0 would be −∞; −0 is a zero, where the one-sided derivative is +∞. Adding +0 turns
    // −0 into +0 and leaves every other result (positive or NaN) as it is, in the scalar and the vector body alike.
    [Derivative(nameof(Sqrt))]
    private static double SqrtDerivative(double result) => 0.5 / (result + 0.0);
}
