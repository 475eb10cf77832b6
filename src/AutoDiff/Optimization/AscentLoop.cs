using System;
using System.Globalization;
using System.Linq;
using AutoDiff.Numerics;

namespace AutoDiff.Optimization;

/// <summary>
/// The loop every ascent method shares: check the start, then direction → line search → accept, with the stopping
/// rules of <see cref="OptimizerOptions"/> and a progress report per step. Only the direction differs between methods.
/// </summary>
internal static class AscentLoop
{
    public static OptimizationResult Run(string method, ObjectiveFunction f, double[] start, OptimizerOptions? options,
        SearchDirection searchDirection)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(start);
        options ??= OptimizerOptions.Default;
        options.Validate(nameof(options));
        CheckStart(start);

        int n = start.Length;
        var x = (double[])start.Clone();
        var g = new double[n];
        var xNext = new double[n];
        var gNext = new double[n];
        var direction = new double[n];
        var step = new double[n];
        double fx = f(x, g);
        int evaluations = 1;
        if (!double.IsFinite(fx) || !FiniteValues.All(g))
        {
            throw new ArgumentException(
                $"{method}: at the start point x = ({Format(x)}) f is {Format(fx)} and ∇f = ({Format(g)}); the start must give a finite value and gradient.",
                nameof(start));
        }

        options.Progress?.Invoke(new OptimizationProgress(0, fx, Norm(g)));
        int iterations = 0;
        double relativeGradient = RelativeGradient(x, fx, g);
        while (true)
        {
            if (relativeGradient <= options.GradientTolerance)
            {
                return Result(StopReason.GradientTolerance,
                    $"converged: relative gradient {Format(relativeGradient)} ≤ GradientTolerance {Format(options.GradientTolerance)}");
            }

            if (iterations >= options.MaxIterations)
            {
                return Result(StopReason.IterationLimit,
                    $"iteration limit {options.MaxIterations} reached with relative gradient {Format(relativeGradient)} > GradientTolerance {Format(options.GradientTolerance)}");
            }

            double t = Search(out double fNext);
            if (t == 0 && searchDirection.Reset())
            {
                // A stale quasi-Newton model can point nowhere useful; retry once along its fresh direction.
                t = Search(out fNext);
            }

            if (t == 0)
            {
                return Result(StopReason.LineSearchFailed,
                    $"the line search found no step that increases f (relative gradient {Format(relativeGradient)} > GradientTolerance {Format(options.GradientTolerance)}); f may not be smooth here, or the tolerance is below the rounding of f");
            }

            double maxRelativeStep = 0;
            for (int i = 0; i < n; i++)
            {
                step[i] = xNext[i] - x[i];
                maxRelativeStep = Math.Max(maxRelativeStep, Math.Abs(step[i]) / Math.Max(Math.Abs(x[i]), 1.0));
            }

            searchDirection.Accept(step, g, gNext);
            double change = Math.Abs(fNext - fx);
            (x, xNext) = (xNext, x);
            (g, gNext) = (gNext, g);
            fx = fNext;
            iterations++;
            options.Progress?.Invoke(new OptimizationProgress(iterations, fx, Norm(g)));
            // Small steps alone do not make a maximum: a line search halving its step against an f that still rises
            // (an unbounded likelihood as a scale goes to 0 through exp, say) takes tiny steps too. So the gradient must
            // be small as well, if less so than GradientTolerance asks; otherwise the loop goes on, and ends at the
            // iteration limit or a failed line search, not converged.
            relativeGradient = RelativeGradient(x, fx, g);
            if (change <= options.RelativeTolerance * Math.Max(Math.Abs(fx), 1.0) && maxRelativeStep <= options.RelativeTolerance
                && relativeGradient <= Math.Sqrt(options.GradientTolerance))
            {
                return Result(StopReason.RelativeChange,
                    $"converged: the last step changed f by {Format(change)} and x by at most {Format(maxRelativeStep)} relative (RelativeTolerance {Format(options.RelativeTolerance)}); relative gradient {Format(relativeGradient)}");
            }
        }

        double Search(out double fTrial)
        {
            double t0 = searchDirection.Compute(x, g, direction);
            double slope = DenseMatrix.Dot(g, direction);
            if (!(slope > 0) || !FiniteValues.All(direction) || !(t0 > 0) || !double.IsFinite(t0))
            {
                // Not an ascent direction (a model gone bad): the gradient is one, with a unit-length first step.
                t0 = SearchDirection.GradientDirection(g, direction);
                slope = DenseMatrix.Dot(g, g);
            }

            return LineSearch.Backtrack(f, x, fx, direction, slope, t0, xNext, gNext, out fTrial, ref evaluations);
        }

        OptimizationResult Result(StopReason reason, string message) =>
            new(method, x, fx, g, iterations, evaluations, reason,
                string.Create(CultureInfo.InvariantCulture, $"{message}; {iterations} iterations, ‖∇f‖₂ = {Format(Norm(g))}."));
    }

    /// <summary>maxᵢ |gᵢ|·max(|xᵢ|, 1) / max(|f|, 1): the relative change of f per relative change of one xᵢ.</summary>
    public static double RelativeGradient(ReadOnlySpan<double> x, double fx, ReadOnlySpan<double> g)
    {
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(g[i]) * Math.Max(Math.Abs(x[i]), 1.0));
        }

        return worst / Math.Max(Math.Abs(fx), 1.0);
    }

    /// <summary>‖v‖₂.</summary>
    public static double Norm(ReadOnlySpan<double> v) => Math.Sqrt(DenseMatrix.Dot(v, v));

    /// <summary>Throws <see cref="ArgumentException"/> for an empty start or one with a NaN or infinite coordinate.</summary>
    public static void CheckStart(double[] start)
    {
        if (start.Length == 0)
        {
            throw new ArgumentException("The start point is empty; there is nothing to optimize.", nameof(start));
        }

        int bad = Array.FindIndex(start, v => !double.IsFinite(v));
        if (bad >= 0)
        {
            throw new ArgumentException(
                $"Coordinate {bad} of the start point is {Format(start[bad])}; every coordinate must be finite (start = ({Format(start)})).",
                nameof(start));
        }
    }

    /// <summary>Numbers as the messages show them: invariant culture, 6 significant digits.</summary>
    public static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <inheritdoc cref="Format(double)"/>
    public static string Format(ReadOnlySpan<double> values) => string.Join(", ", values.ToArray().Select(v => Format(v)));
}
