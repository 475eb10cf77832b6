using System;
using System.Globalization;
using System.Linq;

namespace AutoDiff;

/// <summary>Thrown by <see cref="GradCheck.Assert"/> when the AD gradient and finite differences disagree.</summary>
public sealed class GradCheckException : Exception
{
    internal GradCheckException(GradCheckReport report, double[] x, double relativeTolerance, double absoluteTolerance)
        : base(Describe(report, x, relativeTolerance, absoluteTolerance))
    {
        Report = report;
        FailingIndex = report.FirstFailure(relativeTolerance, absoluteTolerance);
    }

    /// <summary>The coordinate that fails by the widest margin.</summary>
    public int FailingIndex { get; }

    /// <summary>The comparison that failed.</summary>
    public GradCheckReport Report { get; }

    private static string Describe(GradCheckReport report, double[] x, double rtol, double atol)
    {
        int i = report.FirstFailure(rtol, atol);
        string point = string.Join(", ", x.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Gradient check failed at x = [{point}] (rtol {rtol:G3}, atol {atol:G3}): coordinate {i} misses the tolerance: AD {report.Analytic[i]:R}, finite differences {report.Numeric[i]:R}; "
            + $"the largest relative error of all coordinates ({report.MaxRelativeError:G3}) is at coordinate {report.WorstIndex}, the largest absolute error {report.MaxAbsoluteError:G3}.");
    }
}
