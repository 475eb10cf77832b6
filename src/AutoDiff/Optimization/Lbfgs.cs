using System;
using AutoDiff.Numerics;

namespace AutoDiff.Optimization;

/// <summary>
/// Limited-memory BFGS for maximization: a quasi-Newton method that needs only f and ∇f, keeping the last m steps
/// sₖ = xₖ₊₁ − xₖ and gradient changes yₖ = ∇f(xₖ) − ∇f(xₖ₊₁) (m = <see cref="OptimizerOptions.Memory"/>).
/// </summary>
/// <remarks>
/// The direction d ≈ (−∇²f)⁻¹∇f comes from Nocedal's two-loop recursion with the initial scaling γ = sᵀy / yᵀy of the
/// newest pair; the step from the backtracking line search (<see cref="LineSearch"/>), trying t = 1 first. A pair with
/// sᵀy ≤ 10⁻¹⁰·‖s‖‖y‖ (f not concave along the step) is skipped, which keeps the model positive definite. The first
/// iteration, having no pairs, goes along the gradient with a step of unit length; after a failed line search the memory
/// is cleared and the gradient direction tried once more.
/// </remarks>
public static class Lbfgs
{
    /// <summary>Maximizes <paramref name="f"/> from <paramref name="start"/> by L-BFGS.</summary>
    /// <param name="f">f and its gradient.</param>
    /// <param name="start">The start point (not modified).</param>
    /// <param name="options">Stopping rules, memory and progress; <see cref="OptimizerOptions.Default"/> when null.</param>
    /// <returns>The last point, whether it converged, and why it stopped.</returns>
    /// <exception cref="ArgumentException">
    /// The start is empty or not finite, f or ∇f is not finite at the start, or an option is out of range.
    /// </exception>
    public static OptimizationResult Maximize(ObjectiveFunction f, double[] start, OptimizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        options ??= OptimizerOptions.Default;
        options.ValidateForLbfgs(nameof(options));

        // No run keeps more pairs than it takes steps; and the pairs' storage grows as they are stored (TwoLoop), so
        // Memory = int.MaxValue with MaxIterations = int.MaxValue costs what the run uses, not that many buffers up front.
        int memory = (int)Math.Min(options.Memory, options.MaxIterations + 1L);
        return AscentLoop.Run("L-BFGS", f, start, options, new TwoLoop(start.Length, Math.Max(memory, 1)));
    }

    private sealed class TwoLoop(int n, int memory) : SearchDirection
    {
        // Slots are filled in order 0, 1, … until the ring wraps at `memory`, so the arrays grow one slot at a time.
        private double[][] _s = new double[Math.Min(memory, 16)][];
        private double[][] _y = new double[Math.Min(memory, 16)][];
        private double[] _rho = new double[Math.Min(memory, 16)];
        private double[] _alpha = new double[Math.Min(memory, 16)];
        private int _count;
        private int _newest = -1;

        public override double Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> gradient, Span<double> direction)
        {
            if (_count == 0)
            {
                return GradientDirection(gradient, direction);
            }

            gradient.CopyTo(direction);

            // Two-loop recursion on q = ∇f: newest pair to oldest, scale, oldest to newest. The result is H·∇f, an
            // approximation of (−∇²f)⁻¹∇f, because the yₖ are gradient changes of −f.
            for (int k = 0; k < _count; k++)
            {
                int i = Slot(k);
                _alpha[i] = _rho[i] * DenseMatrix.Dot(_s[i], direction);
                Axpy(-_alpha[i], _y[i], direction);
            }

            double gamma = DenseMatrix.Dot(_s[_newest], _y[_newest]) / DenseMatrix.Dot(_y[_newest], _y[_newest]);
            for (int i = 0; i < n; i++)
            {
                direction[i] *= gamma;
            }

            for (int k = _count - 1; k >= 0; k--)
            {
                int i = Slot(k);
                double beta = _rho[i] * DenseMatrix.Dot(_y[i], direction);
                Axpy(_alpha[i] - beta, _s[i], direction);
            }

            return 1.0;
        }

        // The two-loop direction H·∇f is a Newton-type step once there is a pair; before, it is the gradient.
        public override double PredictedGain(ReadOnlySpan<double> gradient, ReadOnlySpan<double> direction, double firstStep) =>
            _count > 0 ? NewtonGain(gradient, direction, firstStep) : double.NaN;

        public override void Accept(ReadOnlySpan<double> step, ReadOnlySpan<double> gradient, ReadOnlySpan<double> nextGradient)
        {
            // Tested before it is stored: the next slot holds the oldest pair, still in use while the memory is full.
            double sy = 0, ss = 0, yy = 0;
            for (int i = 0; i < n; i++)
            {
                double y = gradient[i] - nextGradient[i];
                sy += step[i] * y;
                ss += step[i] * step[i];
                yy += y * y;
            }

            if (!(sy > 1e-10 * Math.Sqrt(ss) * Math.Sqrt(yy)))
            {
                return;
            }

            int slot = (_newest + 1) % memory;
            if (slot == _s.Length)
            {
                int length = (int)Math.Min(memory, 2L * _s.Length);
                Array.Resize(ref _s, length);
                Array.Resize(ref _y, length);
                Array.Resize(ref _rho, length);
                Array.Resize(ref _alpha, length);
            }

            _s[slot] ??= new double[n];
            _y[slot] ??= new double[n];
            for (int i = 0; i < n; i++)
            {
                _s[slot][i] = step[i];
                _y[slot][i] = gradient[i] - nextGradient[i];
            }

            _rho[slot] = 1.0 / DenseMatrix.Dot(_s[slot], _y[slot]);
            _newest = slot;
            _count = Math.Min(_count + 1, memory);
        }

        public override bool Reset()
        {
            bool had = _count > 0;
            _count = 0;
            _newest = -1;
            return had;
        }

        /// <summary>The slot of the k-th newest pair (k = 0 is the newest).</summary>
        private int Slot(int k)
        {
            // k < count ≤ memory and newest < memory, so newest − k > −memory: one addition wraps it, without the
            // (a % m + m) % m that overflows for m near int.MaxValue.
            int slot = _newest - k;
            return slot >= 0 ? slot : slot + memory;
        }

        private static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
        {
            for (int i = 0; i < y.Length; i++)
            {
                y[i] += a * x[i];
            }
        }
    }
}
