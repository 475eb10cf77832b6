using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = tanh x; dy/dx = 1 − y² = 4e^(−2|x|) / (1 + e^(−2|x|))².</summary>
    /// <remarks>The exponential form keeps full relative accuracy in the tails, where 1 − y² is 1 − 1 = 0.</remarks>
    [Differentiable]
    public static double Tanh(double x) => Math.Tanh(x);

    [Derivative(nameof(Tanh))]
    private static double TanhDerivative(double x)
    {
        double e = Math.Exp(-2.0 * Math.Abs(x));
        double d = 1.0 + e;
        return 4.0 * e / (d * d);
    }
}
