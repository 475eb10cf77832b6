namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = ln σ(x) = −softplus(−x); dy/dx = σ(−x) = 1 − σ(x).</summary>
    /// <remarks>
    /// Exact for any x: ln σ(−800) = −800 and ln σ(800) = −e⁻⁸⁰⁰ (which rounds to −0), where Log(Sigmoid(x)) gives −∞
    /// and a gradient of NaN. Write the logistic log-likelihood with it: y·LogSigmoid(z) + (1 − y)·LogSigmoid(−z).
    /// </remarks>
    [Differentiable]
    public static double LogSigmoid(double x) => -Softplus(-x);

    [Derivative(nameof(LogSigmoid))]
    private static double LogSigmoidDerivative(double x) => Sigmoid(-x);
}
