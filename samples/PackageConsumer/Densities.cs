using System;
using AutoDiff;

namespace PackageConsumer;

/// <summary>A user's own differentiable function, declared the way the library declares its ops.</summary>
public static partial class Densities
{
    /// <summary>log N(y | μ, σ) = −log σ − ½ log 2π − (y − μ)² / (2σ²).</summary>
    [Differentiable]
    public static double LogNormal(double y, double mu, double sigma) =>
        -Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI) - (y - mu) * (y - mu) / (2 * sigma * sigma);

    [Derivative(nameof(LogNormal), "y")]
    private static double LogNormalDy(double y, double mu, double sigma) => -(y - mu) / (sigma * sigma);

    [Derivative(nameof(LogNormal), "mu")]
    private static double LogNormalDmu(double y, double mu, double sigma) => (y - mu) / (sigma * sigma);

    [Derivative(nameof(LogNormal), "sigma")]
    private static double LogNormalDsigma(double y, double mu, double sigma) => -1 / sigma + (y - mu) * (y - mu) / (sigma * sigma * sigma);
}
