using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AutoDiff;

/// <summary>Formats <see cref="MleResult.Summary"/>: statsmodels' layout (header block, coefficient table, notes).</summary>
internal static class MleSummary
{
    private const int Width = 78;

    public static string Format(MleResult fit, double level)
    {
        _ = MleResult.CriticalValue(level); // rejects a level outside (0, 1) also when there are no intervals to print
        var text = new StringBuilder();
        text.AppendLine(Center($"Maximum-likelihood fit ({fit.Optimization.Method})"));
        text.AppendLine(new string('=', Width));
        string converged = fit.Converged
            ? "yes (" + (fit.StopReason == Optimization.StopReason.GradientTolerance ? "gradient" : "relative change") + ")"
            : "NO";
        Pair(text, "Log-likelihood:", Number(fit.LogLikelihood), "Converged:", converged);
        Pair(text, "AIC:", Number(fit.Aic), "Iterations:", Invariant(fit.Iterations));
        Pair(text, "BIC:", fit.ObservationCount is null ? "(n not given)" : Number(fit.Bic),
            "Observations:", fit.ObservationCount is int n ? Invariant(n) : "—");
        Pair(text, "Parameters:", Invariant(fit.ParameterCount), "‖∇LL‖₂:", fit.Optimization.GradientNorm.ToString("G3", CultureInfo.InvariantCulture));
        text.AppendLine(new string('=', Width));

        int nameWidth = Math.Max(8, fit.Names.Max(name => name.Length) + 1);
        // As many decimals as the level needs: 0.0005 and 0.9995 at 99.9% (three decimals printed 0.001 and 1.0).
        string lowerLabel = "[" + (0.5 - 0.5 * level).ToString("0.0#########", CultureInfo.InvariantCulture);
        string upperLabel = (0.5 + 0.5 * level).ToString("0.0#########", CultureInfo.InvariantCulture) + "]";
        text.Append(new string(' ', nameWidth));
        text.AppendLine(string.Concat(new[] { "coef", "std err", "z", "P>|z|", lowerLabel, upperLabel }.Select(Cell)));
        text.AppendLine(new string('-', Width));
        var estimates = fit.Estimates;
        bool identified = fit.IsIdentified;
        var (se, zScores, pValues) = identified ? (fit.StandardErrors, fit.ZScores, fit.PValues) : default;
        var (lower, upper) = identified ? fit.ConfidenceIntervals(level) : default;
        for (int i = 0; i < estimates.Length; i++)
        {
            text.Append(fit.Names[i].PadRight(nameWidth));
            text.Append(Cell(Number(estimates[i])));
            if (!identified)
            {
                // Not identified: no numbers that look like standard errors; the warning below says why.
                text.AppendLine(string.Concat(Enumerable.Repeat(Cell("—"), 5)));
                continue;
            }

            text.Append(Cell(Number(se![i])));
            text.Append(Cell(Math.Abs(zScores![i]) < 1e6 ? zScores[i].ToString("F3", CultureInfo.InvariantCulture) : zScores[i].ToString("0.000E+0", CultureInfo.InvariantCulture)));
            text.Append(Cell(pValues![i].ToString("F3", CultureInfo.InvariantCulture)));
            text.Append(Cell(Number(lower![i])));
            text.AppendLine(Cell(Number(upper![i])));
        }

        text.AppendLine(new string('=', Width));
        for (int i = 0; i < estimates.Length; i++)
        {
            if (fit.TransformsInOrder[i] != ParameterTransform.Identity)
            {
                text.AppendLine($"{fit.Names[i]}: fitted through {fit.TransformsInOrder[i].Description}; std err by the delta method.");
            }
        }

        if (!fit.Converged)
        {
            text.AppendLine($"Warning: the fit did not converge ({fit.StopReason}): {fit.Message} The estimates are the last iterate, not a maximum.");
        }

        if (fit.Identification is { } problem)
        {
            text.AppendLine($"Warning: {problem}");
        }

        return text.ToString();
    }

    /// <summary>A column of the table: 11 wide, and at least one space before its text however long that is.</summary>
    private static string Cell(string text) => " " + text.PadLeft(10);

    /// <summary>Four decimals where that shows the number well (as statsmodels does), else four significant digits in E notation.</summary>
    private static string Number(double value)
    {
        double magnitude = Math.Abs(value);
        return magnitude == 0 || (magnitude >= 1e-3 && magnitude < 1e7)
            ? value.ToString("F4", CultureInfo.InvariantCulture)
            : value.ToString("0.000E+0", CultureInfo.InvariantCulture);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Pair(StringBuilder text, string leftLabel, string leftValue, string rightLabel, string rightValue)
    {
        const int half = Width / 2;
        string left = leftLabel.PadRight(half - 2 - leftValue.Length) + leftValue;
        text.Append(left.PadRight(half + 2));
        text.AppendLine(rightLabel.PadRight(half - 2 - rightValue.Length) + rightValue);
    }

    private static string Center(string title) => title.PadLeft((Width + title.Length) / 2);
}
