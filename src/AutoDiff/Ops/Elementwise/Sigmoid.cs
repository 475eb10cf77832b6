using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = σ(x) = 1/(1 + e⁻ˣ); dy/dx = σ(x)·σ(−x) = e^(−|x|) / (1 + e^(−|x|))².</summary>
    /// <remarks>
    /// Only e^(−|x|) is ever computed, so nothing overflows; the derivative keeps full relative accuracy in the tails, where
    /// y(1 − y) would be 1·(1 − 1) = 0.
    /// </remarks>
    [Differentiable]
    public static double Sigmoid(double x)
    {
        double e = Math.Exp(-Math.Abs(x));

        // 1/(1 + e) for x ≥ 0, e/(1 + e) below, as one division: the vector body evaluates both arms of a conditional,
        // and a division is the dearest instruction in it.
        return (x >= 0.0 ? 1.0 : e) / (1.0 + e);
    }

    [Derivative(nameof(Sigmoid))]
    private static double SigmoidDerivative(double x)
    {
        double e = Math.Exp(-Math.Abs(x));
        double d = 1.0 + e;
        return e / (d * d);
    }
}
