using System;

namespace AutoDiff.Benchmarks.Workloads;

/// <summary>
/// The per-observation terms of W1 and W2 declared as differentiable functions, so a whole term is one fused tensor
/// kernel or one scalar tape node. Every rule is written with constructs the generator vectorizes.
/// </summary>
public static partial class DeclaredDensities
{
    /// <summary>log N(y; μ, σ) = −log σ − ½ log 2π − (y − μ)²/(2σ²), the declaration.</summary>
    [Differentiable]
    public static double LogNormal(double y, double mu, double sigma) =>
        -Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI) - (y - mu) * (y - mu) / (2 * sigma * sigma);

    /// <summary>
    /// The same log-density declared without rules: the generator derives the three partials from the body (and, since
    /// they have vector forms, runs them in the fused kernel's vector loop too).
    /// </summary>
    [Differentiable]
    public static double LogNormalDerived(double y, double mu, double sigma) =>
        -Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI) - (y - mu) * (y - mu) / (2 * sigma * sigma);

    /// <summary>∂/∂y = −(y − μ)/σ².</summary>
    [Derivative(nameof(LogNormal), "y")]
    private static double LogNormalDy(double y, double mu, double sigma) => -(y - mu) / (sigma * sigma);

    /// <summary>∂/∂μ = (y − μ)/σ².</summary>
    [Derivative(nameof(LogNormal), "mu")]
    private static double LogNormalDmu(double y, double mu, double sigma) => (y - mu) / (sigma * sigma);

    /// <summary>∂/∂σ = ((y − μ)²/σ² − 1)/σ.</summary>
    [Derivative(nameof(LogNormal), "sigma")]
    private static double LogNormalDsigma(double y, double mu, double sigma) => ((y - mu) * (y - mu) / (sigma * sigma) - 1.0) / sigma;

    /// <summary>
    /// y·log σ(z) + (1 − y)·log σ(−z) = y·z − softplus(z), through the library's stable <see cref="Ops.Softplus(double)"/>:
    /// never overflows, and its vector body is the library's own (a declared function of a referenced assembly is called
    /// through its public kernel). Written as <c>Math.Max(z, 0.0) + Math.Log(1.0 + Math.Exp(-Math.Abs(z)))</c> it took a
    /// general logarithm per element, 15% slower (docs/benchmarks.md, "Library functions in declared bodies").
    /// </summary>
    [Differentiable]
    public static double LogisticTerm(double y, double z) => y * z - Ops.Softplus(z);

    /// <summary>
    /// The logistic term as the composed expression of the library's functions, declared without rules: the generator
    /// derives ∂/∂y = log σ(z) − log σ(−z) and ∂/∂z = y·σ(−z) − (1 − y)·σ(z), each calling library kernels in the fused
    /// backward loop (docs/benchmarks.md, "Derived rules calling library kernels").
    /// </summary>
    [Differentiable]
    public static double LogisticPairDerived(double y, double z) => y * Ops.LogSigmoid(z) + (1 - y) * Ops.LogSigmoid(-z);

    /// <summary>∂/∂y = log σ(z) − log σ(−z) = z.</summary>
    [Derivative(nameof(LogisticTerm), "y")]
    private static double LogisticTermDy(double z) => z;

    /// <summary>∂/∂z = y − σ(z).</summary>
    [Derivative(nameof(LogisticTerm), "z")]
    private static double LogisticTermDz(double y, double z) => y - Ops.Sigmoid(z);
}
