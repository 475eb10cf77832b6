using System;
using System.Globalization;

namespace AutoDiff;

/// <summary>Thrown by <see cref="GradCheck.Assert"/> when the AD gradient and finite differences disagree.</summary>
public sealed class GradCheckException : Exception
{
    internal GradCheckException(GradCheckReport report, double[] x, double relativeTolerance, double absoluteTolerance)
        : base(string.Create(
            CultureInfo.InvariantCulture,
            $"Gradient check failed at x = [{string.Join(", ", x)}] (rtol {relativeTolerance:G3}, atol {absoluteTolerance:G3}): {report}."))
    {
        Report = report;
    }

    /// <summary>The comparison that failed.</summary>
    public GradCheckReport Report { get; }
}
