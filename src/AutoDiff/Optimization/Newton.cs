using System;
using AutoDiff.Numerics;

namespace AutoDiff.Optimization;

/// <summary>
/// Newton's method for maximization with a backtracking line search: the direction d solves (−∇²f) d = ∇f, the step
/// x + t·d takes the first t of 1, shorter, … that increases f sufficiently (see <see cref="LineSearch"/>).
/// </summary>
/// <remarks>
/// <para>
/// (−∇²f) d = ∇f is solved by Cholesky factorisation. Where −∇²f is not positive definite (away from a maximum, f
/// curves upward in some direction) the Newton step would head for a saddle or minimum, so the direction solves
/// (−∇²f + τI) d = ∇f instead, with the smallest τ of 10⁻⁸·s, 10⁻⁷·s, … (s the largest |diagonal entry|) that makes the
/// matrix positive definite: Levenberg's regularisation, between the Newton direction and the gradient. A Hessian with
/// NaN or infinite entries, or a zero diagonal, gives the gradient direction.
/// </para>
/// <para>
/// A point that passes the convergence tests while ∇²f has an eigenvalue λ above 10⁻⁸ of its largest |eigenvalue| is a
/// minimum or a saddle (a start exactly there has ∇f = 0 and a zero step). The method then steps along that eigenvector v,
/// to the first of x ± tv (t = max(‖x‖∞, 1), then halved) that gains at least ⅛λt², and goes on from there.
/// </para>
/// <para>
/// For logistic regression, −∇²LL = Xᵀdiag(p(1 − p))X is positive definite and the Newton step is
/// (XᵀWX)⁻¹Xᵀ(y − p): iteratively reweighted least squares (IRLS) is this method with t = 1.
/// </para>
/// </remarks>
public static class Newton
{
    /// <summary>Maximizes <paramref name="f"/> from <paramref name="start"/> by Newton's method.</summary>
    /// <param name="f">f and its gradient.</param>
    /// <param name="hessian">∇²f, written into an n×n matrix.</param>
    /// <param name="start">The start point (not modified).</param>
    /// <param name="options">Stopping rules and progress; <see cref="OptimizerOptions.Default"/> when null.</param>
    /// <returns>The last point, whether it converged, and why it stopped.</returns>
    /// <exception cref="ArgumentException">
    /// The start is empty or not finite, f or ∇f is not finite at the start, or an option is out of range.
    /// </exception>
    public static OptimizationResult Maximize(ObjectiveFunction f, HessianFunction hessian, double[] start, OptimizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hessian);
        ArgumentNullException.ThrowIfNull(start);
        return AscentLoop.Run("Newton", f, start, options, new NewtonDirection(hessian, start.Length));
    }

    private sealed class NewtonDirection(HessianFunction hessian, int n) : SearchDirection
    {
        private readonly double[,] _h = new double[n, n];
        private readonly double[,] _work = new double[n, n];

        // Whether the last direction solved a Newton system (possibly shifted), not the gradient fallback.
        private bool _modelled;

        // Whether the last Hessian had only finite entries, and whether −H factored without a shift (then no eigenvalue is
        // ≥ 0, so TryUpwardCurvature answers without an eigen-decomposition: at a maximum, the common case, it costs nothing).
        private bool _finite;
        private bool _negativeDefinite;

        public override double Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> gradient, Span<double> direction)
        {
            _modelled = false;
            _finite = false;
            _negativeDefinite = false;
            hessian(x, _h);
            double scale = 0;
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (!double.IsFinite(_h[i, j]))
                    {
                        return GradientDirection(gradient, direction);
                    }
                }

                scale = Math.Max(scale, Math.Abs(_h[i, i]));
            }

            _finite = true;
            if (scale == 0)
            {
                // No curvature on the diagonal at all (f locally linear, or a zero Hessian): no scale for τ either.
                return GradientDirection(gradient, direction);
            }

            // τ = 0 first (the Newton step); then Levenberg shifts growing tenfold until −H + τI is positive definite.
            // Up to 10³·n·s (s the largest |diagonal entry|), enough unless the off-diagonal entries dwarf the diagonal;
            // then the gradient direction.
            // The bound is tested with τ finite: for s beyond about 10³⁰⁵/n it is +∞, and τ, grown tenfold to +∞, stayed
            // ≤ +∞ forever while −H + ∞·I never factors (Newton on eˣ hung near x = 705).
            for (double tau = 0; tau <= 1e3 * n * scale && double.IsFinite(tau); tau = tau == 0 ? 1e-8 * scale : tau * 10)
            {
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j <= i; j++)
                    {
                        _work[i, j] = -_h[i, j];
                    }

                    _work[i, i] += tau;
                }

                var d = DenseMatrix.TrySolveSymmetricPositiveDefinite(_work, gradient, out _);
                if (d is not null)
                {
                    d.CopyTo(direction);
                    _modelled = true;
                    _negativeDefinite = tau == 0;
                    return 1.0;
                }
            }

            return GradientDirection(gradient, direction);
        }

        // The Hessian of the last Compute, at the point being tested. Upward curvature counts when the largest eigenvalue
        // exceeds 10⁻⁸ of the largest |eigenvalue|: below that it is the rounding of a flat (singular) direction, a ridge
        // of maxima, not a valley.
        public override bool TryUpwardCurvature(Span<double> direction, out double curvature)
        {
            curvature = 0;
            if (!_finite || _negativeDefinite)
            {
                return false;
            }

            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    _work[i, j] = 0.5 * (_h[i, j] + _h[j, i]);
                }
            }

            var (values, vectors) = SymmetricEigen.Decompose(_work);
            double largest = values[^1], magnitude = Math.Max(Math.Abs(values[0]), Math.Abs(largest));
            if (!(largest > 1e-8 * magnitude))
            {
                return false;
            }

            for (int i = 0; i < n; i++)
            {
                direction[i] = vectors[i, n - 1];
            }

            curvature = largest;
            return true;
        }

        // With a shift τ > 0 the model is flatter than f's Hessian says, so the gain is an overestimate of the
        // shifted step's and at most the Newton step's: still 0 only where ∇f = 0.
        public override double PredictedGain(ReadOnlySpan<double> gradient, ReadOnlySpan<double> direction, double firstStep) =>
            _modelled ? NewtonGain(gradient, direction, firstStep) : double.NaN;
    }
}
