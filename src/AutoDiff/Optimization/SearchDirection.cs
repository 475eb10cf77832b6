using System;

namespace AutoDiff.Optimization;

/// <summary>What distinguishes one ascent method from another: the search direction and the first trial step.</summary>
internal abstract class SearchDirection
{
    /// <summary>Writes an ascent direction at x into <paramref name="direction"/>.</summary>
    /// <returns>The first trial step t₀ along it.</returns>
    public abstract double Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> gradient, Span<double> direction);

    /// <summary>
    /// The gain in f that the step <paramref name="firstStep"/>·<paramref name="direction"/> just computed by
    /// <see cref="Compute"/> predicts from the method's model of the curvature: ½·t₀·∇fᵀd for a Newton-type direction
    /// (the Newton decrement λ²/2), NaN when the method has no model of the curvature yet.
    /// </summary>
    public virtual double PredictedGain(ReadOnlySpan<double> gradient, ReadOnlySpan<double> direction, double firstStep) => double.NaN;

    /// <summary>½·t₀·∇fᵀd: the gain of the step t₀·d where f is the quadratic whose maximum it reaches.</summary>
    protected static double NewtonGain(ReadOnlySpan<double> gradient, ReadOnlySpan<double> direction, double firstStep) =>
        0.5 * firstStep * Numerics.DenseMatrix.Dot(gradient, direction);

    /// <summary>Learns from an accepted step s = x₊ − x with gradients g (at x) and g₊ (at x₊).</summary>
    public virtual void Accept(ReadOnlySpan<double> step, ReadOnlySpan<double> gradient, ReadOnlySpan<double> nextGradient)
    {
    }

    /// <summary>
    /// At a point that passed the convergence tests, whether the method's model of f shows upward curvature there, so that
    /// the point is a minimum or a saddle rather than a maximum; if so, writes the unit direction of the largest upward
    /// curvature into <paramref name="direction"/> and that curvature (dᵀ∇²f d &gt; 0) into <paramref name="curvature"/>.
    /// Reads what the last <see cref="Compute"/> at this point learned; false when the method does not model curvature.
    /// </summary>
    public virtual bool TryUpwardCurvature(Span<double> direction, out double curvature)
    {
        curvature = 0;
        return false;
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
