using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoDiff;
using AutoDiff.Likelihoods;
using AutoDiff.Samples.Shared;
using Spectre.Console;

/// <summary>
/// The lecture notes' three likelihoods on the shipped data sets, each written as a plain expression over Var:
/// its AD gradient set beside the notes' closed form, as one table.
/// </summary>
internal static class GradientChecks
{
    /// <summary>Above this relative disagreement a row is shown in red.</summary>
    private const double Tolerance = 1e-10;

    public static void Show(Csv diabetes, Csv cancer)
    {
        var rows = new List<(string Model, string Data, double[] Ad, double[] ClosedForm)>();

        // Gaussian (eq. 6-8): the diabetes progression column, at (μ, σ) = (150, 70).
        var y = diabetes.Column("progression");
        var (dMu, dSigma) = GaussianLikelihood.Gradient(150.0, 70.0, y);
        rows.Add(("Gaussian μ, σ", "diabetes progression",
            AD.Grad(p => GaussianLikelihood.LogLikelihood(p[0], p[1], y), [150.0, 70.0]), [dMu, dSigma]));

        // Linear regression with Gaussian noise (eq. 14-17), in w and σ, at w = 0.1, σ = 60.
        var design = diabetes.Design(diabetes.Columns[..^1], intercept: true, standardize: false);
        var w0 = Enumerable.Repeat(0.1, design[0].Length).ToArray();
        var (dw, dS) = LinearRegressionLikelihood.Gradient(w0, 60.0, design, y);
        rows.Add(("linear regression w, σ", "diabetes",
            AD.Grad(p => LinearRegressionLikelihood.LogLikelihood(p.AsSpan(0, p.Length - 1), p[^1], design, y), [.. w0, 60.0]), [.. dw, dS]));

        // Logistic regression (the notes' LL(θ)) on five standardized breast-cancer features, at θⱼ = 0.01·j.
        var x = LogisticGradientAscent.Design(cancer);
        var labels = LogisticGradientAscent.Labels(cancer);
        var theta = Enumerable.Range(0, x[0].Length).Select(j => 0.01 * j).ToArray();
        rows.Add(("logistic regression θ", "breast cancer",
            AD.Grad(t => LogisticRegressionLikelihood.LogLikelihood(t, x, labels), theta), LogisticRegressionLikelihood.Gradient(theta, x, labels)));

        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title("AD gradient vs the notes' closed form")
            .AddColumn("model")
            .AddColumn("data")
            .AddColumn(new TableColumn("params").RightAligned())
            .AddColumn(new TableColumn("max rel. error").RightAligned())
            .Caption("at (μ, σ) = (150, 70); (wⱼ, σ) = (0.1, 60); θⱼ = 0.01·j");
        foreach (var (model, dataSet, ad, closedForm) in rows)
        {
            double worst = MaximumLikelihoodFits.MaxRelativeDifference(ad, closedForm);
            string colour = worst <= Tolerance ? "green" : "red";
            table.AddRow(
                Markup.Escape(model),
                Markup.Escape(dataSet),
                ad.Length.ToString(CultureInfo.InvariantCulture),
                $"[{colour}]{worst.ToString("0.00E+00", CultureInfo.InvariantCulture)}[/]");
        }

        AnsiConsole.Write(table);
    }
}
