using System;

namespace AutoDiff.Optimization;

/// <summary>
/// Gradient ascent with the lecture notes' update rule θ ← θ + η∇f(θ), safeguarded: when the step of length η does not
/// increase f sufficiently (or lands where f is NaN or infinite) it is shortened, as in <see cref="Newton"/>.
/// </summary>
/// <remarks>
/// Each iteration tries the notes' step η∇f first, so on a well-scaled problem with a small enough η the iterates are
/// exactly the notes'. Convergence is linear, with a rate set by the conditioning of the Hessian; prefer
/// <see cref="Newton"/> or <see cref="Lbfgs"/> when speed matters.
/// </remarks>
public static class GradientAscent
{
    /// <summary>Maximizes <paramref name="f"/> from <paramref name="start"/> by gradient ascent.</summary>
    /// <param name="f">f and its gradient.</param>
    /// <param name="start">The start point (not modified).</param>
    /// <param name="learningRate">η &gt; 0, the notes' step size.</param>
    /// <param name="options">Stopping rules and progress; <see cref="OptimizerOptions.Default"/> when null.</param>
    /// <returns>The last point, whether it converged, and why it stopped.</returns>
    /// <exception cref="ArgumentException">
    /// η is not positive and finite, the start is empty or not finite, f or ∇f is not finite at the start, or an option
    /// is out of range.
    /// </exception>
    public static OptimizationResult Maximize(ObjectiveFunction f, double[] start, double learningRate, OptimizerOptions? options = null)
    {
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"GradientAscent: the learning rate η is {learningRate}; it must be positive and finite."), nameof(learningRate));
        }

        return AscentLoop.Run("gradient ascent", f, start, options, new FixedRate(learningRate));
    }

    private sealed class FixedRate(double learningRate) : SearchDirection
    {
        // −sᵀΔ∇f / sᵀs of the last accepted step s: f's curvature along it (secant), NaN before the first step.
        private double _curvature = double.NaN;

        public override double Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> gradient, Span<double> direction)
        {
            gradient.CopyTo(direction);
            return learningRate;
        }

        // ‖∇f‖²/(2κ): the Newton gain of a quadratic with the curvature κ measured along the last step in every
        // direction. Along a flatter direction than that step's the true gain is larger (an ill-conditioned f), which
        // gradient ascent, having no other model, cannot see.
        public override double PredictedGain(ReadOnlySpan<double> gradient, ReadOnlySpan<double> direction, double firstStep) =>
            _curvature > 0 ? 0.5 * Numerics.DenseMatrix.Dot(gradient, gradient) / _curvature
            : double.IsNaN(_curvature) ? double.NaN : double.PositiveInfinity;

        public override void Accept(ReadOnlySpan<double> step, ReadOnlySpan<double> gradient, ReadOnlySpan<double> nextGradient)
        {
            double sy = 0, ss = 0;
            for (int i = 0; i < step.Length; i++)
            {
                sy += step[i] * (gradient[i] - nextGradient[i]);
                ss += step[i] * step[i];
            }

            _curvature = ss > 0 ? sy / ss : double.NaN;
        }
    }
}
