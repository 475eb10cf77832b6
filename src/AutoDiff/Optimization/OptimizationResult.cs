using System;
using System.Globalization;

namespace AutoDiff.Optimization;

/// <summary>Where an optimizer stopped, and why.</summary>
public sealed class OptimizationResult
{
    internal OptimizationResult(string method, double[] point, double value, double[] gradient, int iterations,
        int evaluations, StopReason reason, string message)
    {
        Method = method;
        Point = point;
        Value = value;
        Gradient = gradient;
        Iterations = iterations;
        Evaluations = evaluations;
        StopReason = reason;
        Message = message;
    }

    /// <summary>The optimizer: "Newton", "L-BFGS" or "gradient ascent".</summary>
    public string Method { get; }

    /// <summary>The last accepted point (the maximizer, when <see cref="Converged"/>).</summary>
    public double[] Point { get; }

    /// <summary>f at <see cref="Point"/>.</summary>
    public double Value { get; }

    /// <summary>∇f at <see cref="Point"/>.</summary>
    public double[] Gradient { get; }

    /// <summary>‖∇f‖₂ at <see cref="Point"/>.</summary>
    public double GradientNorm => AscentLoop.Norm(Gradient);

    /// <summary>Accepted steps.</summary>
    public int Iterations { get; }

    /// <summary>Calls of the objective (start point and line-search trials included).</summary>
    public int Evaluations { get; }

    /// <summary>Why the optimizer stopped.</summary>
    public StopReason StopReason { get; }

    /// <summary>
    /// <see langword="true"/> when a convergence test (<see cref="StopReason.GradientTolerance"/> or
    /// <see cref="StopReason.RelativeChange"/>) stopped the run.
    /// </summary>
    public bool Converged => StopReason is StopReason.GradientTolerance or StopReason.RelativeChange;

    /// <summary>A sentence saying what happened, with the numbers.</summary>
    public string Message { get; }

    /// <summary>Throws unless <see cref="Converged"/>.</summary>
    /// <returns>This result, for chaining.</returns>
    /// <exception cref="OptimizationException">The run did not converge; the message names the reason, the iterations and the gradient norm.</exception>
    public OptimizationResult EnsureConverged() =>
        Converged ? this : throw new OptimizationException(this, $"{Method} did not converge: {Message}");

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Method}: f = {Value:G10} after {Iterations} iterations; {Message}");
}
