using System;

namespace AutoDiff.Optimization;

/// <summary>Thrown by <see cref="OptimizationResult.EnsureConverged"/> (and the fits' equivalents) when a run did not converge.</summary>
public sealed class OptimizationException : Exception
{
    internal OptimizationException(OptimizationResult result, string message)
        : base(message)
    {
        Result = result;
    }

    /// <summary>The run that did not converge, with its last point.</summary>
    public OptimizationResult Result { get; }
}
