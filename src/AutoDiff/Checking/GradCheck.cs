using System;

namespace AutoDiff;

/// <summary>
/// Gradient checking: compares the AD gradient with central finite differences, coordinate by coordinate.
/// </summary>
/// <remarks>
/// Each coordinate's derivative is estimated by Richardson extrapolation of two central differences,
/// D = (4·D(h/2) − D(h)) / 3 with D(h) = (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h, whose error is O(h⁴); the step is chosen per
/// coordinate, h = ε^(1/5)·max(1, |xᵢ|) ≈ 7.4e−4·max(1, |xᵢ|), which balances that error against rounding for a
/// function that varies on the scale of |xᵢ|. Where that step leaves the function's domain (log x at x = 1e−4:
/// f(x − h) is NaN), the step becomes relative, ε^(1/5)·|xᵢ|, and is halved until every evaluation is finite. The
/// estimate is then repeated at h/10, h/100, h/1000 and a decade further for every decade of |xᵢ| above 1, and of the
/// successive pairs the one whose gap and rounding error are smallest is kept, so a function that varies on the scale of 1 far from 0 (sin x at x = 1000) is not judged by a step of 0.74. The function is evaluated on constants (nothing is recorded). At a kink (|x| at 0, ReLU at 0) the finite difference
/// is the average of the one-sided slopes and need not match the subgradient AD picks.
/// </remarks>
public static class GradCheck
{
    private static readonly double DefaultStepScale = Math.Pow(Math.Pow(2, -52), 0.2);

    /// <summary>Compares <see cref="AD.Grad(Func{Var[], Var}, double[])"/> of <paramref name="f"/> with finite differences at <paramref name="x"/>.</summary>
    /// <param name="f">The function.</param>
    /// <param name="x">The point.</param>
    /// <returns>Both gradients and the largest errors.</returns>
    /// <exception cref="ArgumentException">A coordinate of <paramref name="x"/> is NaN or ±∞.</exception>
    public static GradCheckReport Compare(Func<Var[], Var> f, double[] x)
    {
        ArgumentNullException.ThrowIfNull(f);
        RequireFinitePoint(x, nameof(Compare));
        var analytic = AD.Grad(f, x);
        var numeric = FiniteDifferenceGradient(f, x);
        return new GradCheckReport(analytic, numeric);
    }

    /// <summary>
    /// Throws <see cref="GradCheckException"/> unless every coordinate satisfies
    /// |AD − FD| ≤ <paramref name="absoluteTolerance"/> + <paramref name="relativeTolerance"/>·max(|AD|, |FD|).
    /// </summary>
    /// <param name="f">The function.</param>
    /// <param name="x">The point.</param>
    /// <param name="relativeTolerance">The allowed relative error.</param>
    /// <param name="absoluteTolerance">The allowed absolute error, for coordinates whose derivative is near 0.</param>
    /// <returns>The report, when the check passes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance is negative, NaN or infinite.</exception>
    /// <exception cref="ArgumentException">A coordinate of <paramref name="x"/> is NaN or ±∞.</exception>
    public static GradCheckReport Assert(Func<Var[], Var> f, double[] x, double relativeTolerance = 1e-6, double absoluteTolerance = 1e-8)
    {
        GradCheckReport.ValidateTolerances(relativeTolerance, absoluteTolerance);
        RequireFinitePoint(x, nameof(Assert));
        var report = Compare(f, x);
        if (report.FirstFailure(relativeTolerance, absoluteTolerance) >= 0)
        {
            throw new GradCheckException(report, x, relativeTolerance, absoluteTolerance);
        }

        return report;
    }

    /// <summary>The finite-difference estimate of ∇f(x) described in the remarks of <see cref="GradCheck"/>.</summary>
    /// <param name="f">The function; it is called on constants only.</param>
    /// <param name="x">The point.</param>
    /// <returns>A new array with the estimates.</returns>
    /// <exception cref="ArgumentException">A coordinate of <paramref name="x"/> is NaN or ±∞.</exception>
    public static double[] FiniteDifferenceGradient(Func<Var[], Var> f, double[] x)
    {
        ArgumentNullException.ThrowIfNull(f);
        RequireFinitePoint(x, nameof(FiniteDifferenceGradient));
        var point = new Var[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            point[i] = x[i];
        }

        var gradient = new double[x.Length];
        using (Tape.NoGrad())
        {
            for (int i = 0; i < x.Length; i++)
            {
                double h = DefaultStepScale * Math.Max(1.0, Math.Abs(x[i]));
                double estimate = Richardson(f, point, x, i, h);
                if (!double.IsFinite(estimate) && x[i] != 0.0)
                {
                    h = DefaultStepScale * Math.Abs(x[i]);
                    estimate = Richardson(f, point, x, i, h);
                    for (int halvings = 0; halvings < 40 && !double.IsFinite(estimate); halvings++)
                    {
                        h /= 2;
                        estimate = Richardson(f, point, x, i, h);
                    }
                }

                gradient[i] = double.IsFinite(estimate) ? Settled(f, point, x, i, h, estimate) : estimate;
            }
        }

        return gradient;
    }

    // The step above is right for a function that varies on the scale of |xᵢ| (log x at 1e12), too coarse for one that
    // varies on the scale of 1 wherever it is (sin x at 1000, eˣ at 700: relative errors 6e−4 and 1.5e−4). So the
    // estimate is repeated at h/10, h/100, h/1000, and on for every decade of |xᵢ| above 1, down to the unit scale's
    // h/1000 (a location parameter at 10⁶ of a function varying on the scale of 1 needs steps below 10⁻³: sin at 10⁶
    // judged by steps down to 0.74 failed its correct rule with an estimate of the wrong sign). Of the successive pairs
    // the one with the smallest error bound is chosen, the bound being the larger of the gap between the two estimates
    // (the coarser one's truncation error) and the finer one's rounding error, ≈ 3ε·|f|/h. Comparing gaps alone chose
    // the finest steps of 10¹² + x at 10⁶: f(x ± h) rounded to the same double, both estimates were 0, their gap too, and
    // a wrong gradient of 0 passed. Of the chosen pair the finer is kept while its rounding error is below the gap, else
    // the coarser: where rounding rules from the first step on (10⁶ + sin x), the finer is the worse of the two. AD's
    // value plays no part in the choice.
    private static double Settled(Func<Var[], Var> f, Var[] point, double[] x, int i, double h, double coarsest)
    {
        double previous = coarsest, best = coarsest, smallestBound = double.PositiveInfinity;
        int refinements = 3 + (int)Math.Min(Math.Floor(Math.Log10(Math.Max(1.0, Math.Abs(x[i])))), 300);
        for (int k = 1; k <= refinements; k++)
        {
            h /= 10;
            double estimate = Richardson(f, point, x, i, h, out double rounding);
            if (!double.IsFinite(estimate))
            {
                break;
            }

            double gap = Math.Abs(estimate - previous);
            double bound = Math.Max(gap, rounding);
            if (bound < smallestBound)
            {
                smallestBound = bound;
                best = rounding < gap ? estimate : previous;
            }

            previous = estimate;
        }

        return best;
    }

    /// <summary>
    /// A finite-difference Hessian to check <see cref="AD.Hessian(Func{Var[], Var}, double[])"/> against: column j is the Richardson-extrapolated central
    /// difference of the AD gradient along eⱼ, (4·D(h/2) − D(h))/3 with D(h) = (∇f(x + h eⱼ) − ∇f(x − h eⱼ)) / 2h and
    /// h = ε^(1/5)·max(1, |xⱼ|). Truncation error O(h⁴); not symmetrised, so asymmetry shows rounding.
    /// </summary>
    /// <param name="f">The function.</param>
    /// <param name="x">The point.</param>
    /// <returns>A new n×n array with the estimate of ∂²f/∂xᵢ∂xⱼ.</returns>
    /// <exception cref="ArgumentException">A coordinate of <paramref name="x"/> is NaN or ±∞.</exception>
    public static double[,] FiniteDifferenceHessian(Func<Var[], Var> f, double[] x)
    {
        ArgumentNullException.ThrowIfNull(f);
        RequireFinitePoint(x, nameof(FiniteDifferenceHessian));
        int n = x.Length;
        var hessian = new double[n, n];
        var shifted = (double[])x.Clone();
        for (int j = 0; j < n; j++)
        {
            double h = DefaultStepScale * Math.Max(1.0, Math.Abs(x[j]));
            double[] Difference(double step)
            {
                shifted[j] = x[j] + step;
                double up = shifted[j];
                var plus = AD.Grad(f, shifted);
                shifted[j] = x[j] - step;
                double down = shifted[j];
                var minus = AD.Grad(f, shifted);
                shifted[j] = x[j];
                for (int i = 0; i < n; i++)
                {
                    plus[i] = (plus[i] - minus[i]) / (up - down);
                }

                return plus;
            }

            double[] coarse = Difference(h), fine = Difference(h / 2);
            for (int i = 0; i < n; i++)
            {
                hessian[i, j] = (4.0 * fine[i] - coarse[i]) / 3.0;
            }
        }

        return hessian;
    }

    private static double Richardson(Func<Var[], Var> f, Var[] point, double[] x, int i, double h) =>
        Richardson(f, point, x, i, h, out _);

    // (4·D(h/2) − D(h))/3; rounding: the error that rounding f's values alone can leave in it, ≈ 3ε·|f|/h.
    private static double Richardson(Func<Var[], Var> f, Var[] point, double[] x, int i, double h, out double rounding)
    {
        double fine = CentralDifference(f, point, x, i, h / 2, out double fineScale);
        double coarse = CentralDifference(f, point, x, i, h, out double coarseScale);
        rounding = 3.0 * Numerics.DoublePrecision.Epsilon * Math.Max(fineScale, coarseScale) / h;
        return (4.0 * fine - coarse) / 3.0;
    }

    private static double CentralDifference(Func<Var[], Var> f, Var[] point, double[] x, int i, double h, out double scale)
    {
        // x ± h are rounded to doubles; divide by the distance actually stepped, not by the nominal 2h.
        double up = x[i] + h, down = x[i] - h;
        double fUp = Evaluate(f, point, x, i, up);
        double fDown = Evaluate(f, point, x, i, down);
        scale = Math.Max(Math.Abs(fUp), Math.Abs(fDown));
        return (fUp - fDown) / (up - down);
    }

    // f at x with coordinate i moved to value. Every coordinate is written again: f may write into the array it is
    // handed (usage.md allows it), and its writes must not carry over into the next evaluation.
    private static double Evaluate(Func<Var[], Var> f, Var[] point, double[] x, int i, double value)
    {
        for (int j = 0; j < x.Length; j++)
        {
            point[j] = x[j];
        }

        point[i] = value;
        return f(point).Value;
    }

    // A difference quotient at a NaN or infinite coordinate is NaN, which a report would show as "AD NaN, finite
    // differences NaN" and a caller could take for a failing rule: the point itself is what is wrong.
    private static void RequireFinitePoint(double[] x, string caller)
    {
        ArgumentNullException.ThrowIfNull(x);
        int bad = Numerics.FiniteValues.IndexOfNonFinite(x);
        if (bad >= 0)
        {
            throw new ArgumentException(
                string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"GradCheck.{caller}: coordinate {bad} of x is {x[bad]}; finite differences need a finite point."),
                nameof(x));
        }
    }
}
