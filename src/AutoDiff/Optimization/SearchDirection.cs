using System;

namespace AutoDiff.Optimization;

/// <summary>What distinguishes one ascent method from another: the search direction and the first trial step.</summary>
internal abstract class SearchDirection
{
    /// <summary>Writes an ascent direction at x into <paramref name="direction"/>.</summary>
    /// <returns>The first trial step t₀ along it.</returns>
    public abstract double Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> gradient, Span<double> direction);

    /// <summary>Learns from an accepted step s = x₊ − x with gradients g (at x) and g₊ (at x₊).</summary>
    public virtual void Accept(ReadOnlySpan<double> step, ReadOnlySpan<double> gradient, ReadOnlySpan<double> nextGradient)
    {
    }

    /// <summary>Forgets accumulated state after a failed line search.</summary>
    /// <returns><see langword="true"/> when there was state to forget, so that a retry can go another way.</returns>
    public virtual bool Reset() => false;

    /// <summary>The gradient as the direction, with a first step of unit length: every method's fallback.</summary>
    /// <returns>The first trial step t₀ = 1/‖∇f‖.</returns>
    public static double GradientDirection(ReadOnlySpan<double> gradient, Span<double> direction)
    {
        gradient.CopyTo(direction);
        return 1.0 / AscentLoop.Norm(gradient);
    }
}
