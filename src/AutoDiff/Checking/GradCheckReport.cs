using System;
using System.Globalization;

namespace AutoDiff;

/// <summary>The result of <see cref="GradCheck.Compare"/>: the AD and finite-difference gradients and their largest disagreement.</summary>
public sealed class GradCheckReport
{
    internal GradCheckReport(double[] analytic, double[] numeric)
    {
        Analytic = analytic;
        Numeric = numeric;
        for (int i = 0; i < analytic.Length; i++)
        {
            double abs = Math.Abs(analytic[i] - numeric[i]);
            double rel = RelativeError(analytic[i], numeric[i]);
            // The first NaN, once found, stays the worst: NaN compares false with everything.
            if (abs > MaxAbsoluteError || (double.IsNaN(abs) && !double.IsNaN(MaxAbsoluteError)))
            {
                MaxAbsoluteError = abs;
            }

            if (rel > MaxRelativeError || (double.IsNaN(rel) && !double.IsNaN(MaxRelativeError)))
            {
                MaxRelativeError = rel;
                WorstIndex = i;
            }
        }
    }

    /// <summary>The AD gradient.</summary>
    public double[] Analytic { get; }

    /// <summary>The finite-difference gradient.</summary>
    public double[] Numeric { get; }

    /// <summary>maxᵢ |ADᵢ − FDᵢ|.</summary>
    public double MaxAbsoluteError { get; }

    /// <summary>maxᵢ |ADᵢ − FDᵢ| / max(|ADᵢ|, |FDᵢ|) (0 where both are 0).</summary>
    public double MaxRelativeError { get; }

    /// <summary>The coordinate with the largest relative error (0 when there is none).</summary>
    public int WorstIndex { get; }

    /// <summary>The AD derivative at <see cref="WorstIndex"/>.</summary>
    public double WorstAnalytic => Analytic.Length == 0 ? 0.0 : Analytic[WorstIndex];

    /// <summary>The finite-difference derivative at <see cref="WorstIndex"/>.</summary>
    public double WorstNumeric => Numeric.Length == 0 ? 0.0 : Numeric[WorstIndex];

    /// <summary>Whether every coordinate has |AD − FD| ≤ atol + rtol·max(|AD|, |FD|); NaN in either fails.</summary>
    /// <param name="relativeTolerance">rtol.</param>
    /// <param name="absoluteTolerance">atol.</param>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance is negative, NaN or infinite.</exception>
    public bool Passes(double relativeTolerance, double absoluteTolerance) => FirstFailure(relativeTolerance, absoluteTolerance) < 0;

    /// <summary>
    /// The coordinate that fails the tolerance by the widest margin, |AD − FD| / (atol + rtol·max(|AD|, |FD|)), a NaN
    /// first; −1 when every coordinate passes.
    /// </summary>
    /// <param name="relativeTolerance">rtol.</param>
    /// <param name="absoluteTolerance">atol.</param>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance is negative, NaN or infinite.</exception>
    public int FirstFailure(double relativeTolerance, double absoluteTolerance)
    {
        ValidateTolerances(relativeTolerance, absoluteTolerance);
        int worst = -1;
        double worstMargin = 1.0;
        for (int i = 0; i < Analytic.Length; i++)
        {
            double a = Analytic[i], n = Numeric[i];
            if (a == n)
            {
                // Agreement, also where both are 0 and the tolerance is 0 (0/0 would count as a failure).
                continue;
            }

            double margin = Math.Abs(a - n) / (absoluteTolerance + relativeTolerance * Math.Max(Math.Abs(a), Math.Abs(n)));
            if (double.IsNaN(margin))
            {
                return i;
            }

            if (margin > worstMargin)
            {
                worst = i;
                worstMargin = margin;
            }
        }

        return worst;
    }

    /// <summary>A one-line summary: the worst coordinate, both values and the errors.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"worst coordinate {WorstIndex}: AD {WorstAnalytic:R}, finite differences {WorstNumeric:R}; max relative error {MaxRelativeError:G3}, max absolute error {MaxAbsoluteError:G3}");

    // A negative tolerance made the margin negative, so every coordinate passed (a wrong rule included); NaN failed every
    // coordinate and ∞ passed every one. Both checkers take tolerances only through here.
    internal static void ValidateTolerances(double relativeTolerance, double absoluteTolerance)
    {
        static void Validate(double value, string name)
        {
            if (!(value >= 0.0) || double.IsPositiveInfinity(value))
            {
                throw new ArgumentOutOfRangeException(name, value, string.Create(
                    CultureInfo.InvariantCulture, $"{name} is {value:R}; it must be finite and ≥ 0."));
            }
        }

        Validate(relativeTolerance, "relativeTolerance");
        Validate(absoluteTolerance, "absoluteTolerance");
    }

    private static double RelativeError(double a, double n)
    {
        double scale = Math.Max(Math.Abs(a), Math.Abs(n));
        return scale == 0.0 ? 0.0 : Math.Abs(a - n) / scale;
    }
}
