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
        var escape = new double[n];
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
        bool stepWasTiny = false;

        // The direction is computed before the convergence tests, which read the gain it predicts: a small relative
        // gradient alone does not make a maximum. It is relative to |f|, so a constant offset in f (−10¹⁰ + LL) lets
        // a gradient of 10 pass, and it weighs xᵢ by max(|xᵢ|, 1), so a parameter whose scale is 10⁶ but which sits
        // near 0 passes with its gradient 10⁶ times too large. The predicted gain ½∇fᵀd of a Newton-type direction d
        // ≈ (−∇²f)⁻¹∇f is neither: for a log-likelihood it is half the squared step in standard errors.
        double t0 = searchDirection.Compute(x, g, direction);
        double gain = PredictedGain();
        while (true)
        {
            bool gainSmall = gain <= options.GradientTolerance;
            if (relativeGradient <= options.GradientTolerance && gainSmall)
            {
                if (Stop(StopReason.GradientTolerance,
                    $"converged: relative gradient {Format(relativeGradient)} ≤ GradientTolerance {Format(options.GradientTolerance)}, predicted gain {Format(gain)}") is { } converged)
                {
                    return converged;
                }

                continue;
            }

            // Small steps alone do not make a maximum: a line search halving its step against an f that still rises
            // (an unbounded likelihood as a scale goes to 0 through exp, say) takes tiny steps too. So the gradient must
            // be small as well, if less so than GradientTolerance asks, and so must the gain the direction predicts;
            // otherwise the loop goes on, and ends at the iteration limit or a failed line search, not converged.
            if (stepWasTiny && relativeGradient <= Math.Sqrt(options.GradientTolerance) && gainSmall)
            {
                if (Stop(StopReason.RelativeChange,
                    $"converged: the last step changed f and x by at most RelativeTolerance {Format(options.RelativeTolerance)} relative; relative gradient {Format(relativeGradient)}, predicted gain {Format(gain)}") is { } converged)
                {
                    return converged;
                }

                continue;
            }

            if (iterations >= options.MaxIterations)
            {
                return Result(StopReason.IterationLimit,
                    $"iteration limit {options.MaxIterations} reached with relative gradient {Format(relativeGradient)} (GradientTolerance {Format(options.GradientTolerance)}) and predicted gain {Format(gain)}");
            }

            double t = Search(t0, out double fNext);
            if (t == 0 && searchDirection.Reset())
            {
                // A stale quasi-Newton model can point nowhere useful; retry once along its fresh direction.
                t = Search(searchDirection.Compute(x, g, direction), out fNext);
            }

            if (t == 0)
            {
                // Without a model of the curvature (the first step of L-BFGS or gradient ascent) there is no predicted
                // gain to read; that no step along the gradient increases f is then the evidence of a maximum.
                if (relativeGradient <= options.GradientTolerance && double.IsNaN(gain))
                {
                    return Result(StopReason.GradientTolerance,
                        $"converged: relative gradient {Format(relativeGradient)} ≤ GradientTolerance {Format(options.GradientTolerance)} and no step along the gradient increases f");
                }

                // Likewise where the model predicts less gain than the rounding of f lets a line search see, with the
                // relative gradient as small as the relative-change test asks: at a maximum whose gradient's rounding
                // keeps it above GradientTolerance (a Gaussian mean of 200 weighs it by 200), which was reported as a
                // failed line search.
                if (relativeGradient <= Math.Sqrt(options.GradientTolerance) && gain <= GainTolerance(fx, options.GradientTolerance))
                {
                    if (Stop(StopReason.GradientTolerance,
                        $"converged: no step increases f, the predicted gain {Format(gain)} is below its rounding and the relative gradient is {Format(relativeGradient)}") is { } converged)
                    {
                        return converged;
                    }

                    continue;
                }

                return Result(StopReason.LineSearchFailed,
                    $"the line search found no step that increases f (relative gradient {Format(relativeGradient)}, GradientTolerance {Format(options.GradientTolerance)}, predicted gain {Format(gain)}); f may not be smooth here, or the tolerance is below the rounding of f");
            }

            TakeStep(fNext);
        }

        // Moves to xNext (f = fNext, gradient gNext) and computes the next direction there.
        void TakeStep(double fNext)
        {
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
            relativeGradient = RelativeGradient(x, fx, g);
            stepWasTiny = change <= options.RelativeTolerance * Math.Max(Math.Abs(fx), 1.0) && maxRelativeStep <= options.RelativeTolerance;
            t0 = searchDirection.Compute(x, g, direction);
            gain = PredictedGain();
        }

        // A point that passes the convergence tests but where f curves upward (Newton started exactly at a minimum or a
        // saddle, where ∇f = 0 gives a zero step) is no maximum: null when the method stepped off it (the loop goes on),
        // else the result. At the iteration limit there is no step left to take, but the point is still known not to be
        // a maximum: that is reported as the iteration limit (not converged), not as convergence.
        OptimizationResult? Stop(StopReason reason, string message)
        {
            if (!searchDirection.TryUpwardCurvature(escape, out double curvature))
            {
                return Result(reason, message);
            }

            if (iterations >= options.MaxIterations)
            {
                return Result(StopReason.IterationLimit,
                    $"iteration limit {options.MaxIterations} reached at a point that passes the convergence tests (relative gradient {Format(relativeGradient)}, predicted gain {Format(gain)}) but where f still curves upward: a minimum or saddle, not a maximum");
            }

            return EscapedUpward(curvature) ? null : Result(reason, message);
        }

        // Along the direction v of the largest upward curvature λ, f(x ± tv) ≈ f(x) ± t∇fᵀv + ½λt²: try both signs from
        // t = max(‖x‖∞, 1), halving, and take the first trial that gains at least a quarter of the ½λt² the curvature
        // predicts. None: the test's verdict stands.
        bool EscapedUpward(double curvature)
        {
            // Halve until the gain asked for, ⅛λt², is below the rounding of f (no trial could show it any more), not a
            // fixed number of times: thirty halvings from t = ‖x‖∞ = 10⁶ stopped at t = 2·10⁻³, and a saddle whose
            // upward direction has the scale 10⁻⁶ (λ = 10¹²) was reported as converged after 60 evaluations. The cap
            // of 100 halvings (10⁻³⁰ of the start) only bounds an f whose rounding is 0. The floor is GainTolerance's
            // rounding of f, 64ε·max(|f|, 1): below it a trial's "gain" can be rounding alone, and on a ridge of maxima
            // whose Hessian is noisy (a finite-difference one) the old loop accepted a gain of one ulp of f as an escape.
            double floor = 64 * DoublePrecision.Epsilon * Math.Max(Math.Abs(fx), 1.0);
            double t = Math.Max(FiniteValues.MaxMagnitude(x), 1.0);
            for (int trial = 0; trial < 100 && 0.125 * curvature * t * t >= floor; trial++, t *= 0.5)
            {
                foreach (double sign in (ReadOnlySpan<double>)[1.0, -1.0])
                {
                    for (int i = 0; i < n; i++)
                    {
                        xNext[i] = x[i] + sign * t * escape[i];
                    }

                    double fTrial = f(xNext, gNext);
                    evaluations++;
                    if (double.IsFinite(fTrial) && FiniteValues.All(gNext) && fTrial - fx >= 0.125 * curvature * t * t)
                    {
                        TakeStep(fTrial);
                        return true;
                    }
                }
            }

            return false;
        }

        // ½∇fᵀd·t₀ when the method models the curvature (d·t₀ its full step), 0 at a zero gradient, NaN when unknown.
        double PredictedGain() => Norm(g) == 0 ? 0 : searchDirection.PredictedGain(g, direction, t0);

        double Search(double firstStep, out double fTrial)
        {
            double slope = DenseMatrix.Dot(g, direction);
            if (!(slope > 0) || !FiniteValues.All(direction) || !(firstStep > 0) || !double.IsFinite(firstStep))
            {
                // Not an ascent direction (a model gone bad): the gradient is one, with a unit-length first step.
                firstStep = SearchDirection.GradientDirection(g, direction);
                slope = DenseMatrix.Dot(g, g);
            }

            return LineSearch.Backtrack(f, x, fx, direction, slope, firstStep, xNext, gNext, out fTrial, ref evaluations);
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

    /// <summary>
    /// The largest predicted gain that counts as converged: <paramref name="gradientTolerance"/> in units of f (the same
    /// floor of 1 the relative gradient puts under |f|), or the rounding of f where that is larger, since a line search
    /// cannot see a gain below it.
    /// </summary>
    public static double GainTolerance(double fx, double gradientTolerance) =>
        Math.Max(gradientTolerance, 64 * DoublePrecision.Epsilon * Math.Abs(fx));

    /// <summary>
    /// ‖v‖₂, scaled by the largest |vᵢ| so that it neither overflows for components beyond 10¹⁵⁴ (whose squares are
    /// +∞: a gradient of 6·10¹⁶⁰ had norm ∞, so the first L-BFGS step 1/‖∇f‖ was 0 and the line search failed) nor
    /// underflows to 0 for components below 10⁻¹⁶².
    /// </summary>
    public static double Norm(ReadOnlySpan<double> v)
    {
        double largest = FiniteValues.MaxMagnitude(v);
        if (largest == 0 || !double.IsFinite(largest))
        {
            return largest;
        }

        double sum = 0;
        foreach (double value in v)
        {
            double scaled = value / largest;
            sum += scaled * scaled;
        }

        return largest * Math.Sqrt(sum);
    }

    /// <summary>Throws <see cref="ArgumentException"/> for an empty start or one with a NaN or infinite coordinate.</summary>
    public static void CheckStart(double[] start)
    {
        if (start.Length == 0)
        {
            throw new ArgumentException("The start point is empty; there is nothing to optimize.", nameof(start));
        }

        int bad = FiniteValues.IndexOfNonFinite(start);
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
