using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using AutoDiff;
using AutoDiff.Likelihoods;
using AutoDiff.Samples.Shared;
using Spectre.Console;
using static AutoDiff.Ops;

/// <summary>
/// The notes' three models fitted by maximum likelihood with <see cref="Mle.Fit(Func{Var[], Var}, double[], MleOptions?)"/>
/// (Newton, exact AD gradients and Hessians) under the live progress bar: each summary table, then how far it is from
/// statsmodels' results in reference.json. The logistic model is written over a Tensor to show the vector form too.
/// </summary>
internal static class MaximumLikelihoodFits
{
    /// <summary>Agreement expected of a correct fit (samples/data/README.md); a larger difference is shown in red.</summary>
    private const double Tolerance = 1e-6;

    public static void Run(string dataFolder, Csv diabetes, Csv cancer)
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(dataFolder, "reference.json")));
        var statsmodels = reference.RootElement;
        Console.WriteLine();
        Console.WriteLine("Maximum-likelihood fits (Mle.Fit: Newton, exact AD gradients and Hessians), each checked against");
        Console.WriteLine("statsmodels' estimates, standard errors and log-likelihood in data/reference.json");

        // The Gaussian of the diabetes target, σ > 0 through θ = exp(u), from σ = 1.
        var y = diabetes.Column("progression");
        var gaussian = Fit("Gaussian μ, σ of diabetes progression", options => Mle.Fit(
            p => GaussianLikelihood.LogLikelihood(p[0], p[1], y), [0.0, 1.0], options with
            {
                ParameterNames = ["mu", "sigma"],
                Transforms = [ParameterTransform.Identity, ParameterTransform.Positive],
                ObservationCount = y.Length,
            }));
        var g = statsmodels.GetProperty("diabetes_target_gaussian");
        Agreement(gaussian, [Number(g, "mu"), Number(g, "sigma")], [Number(g, "se_mu"), Number(g, "se_sigma")], Number(g, "loglik"));

        // Linear regression of the progression on the 10 raw features with an intercept, and σ.
        var design = diabetes.Design(diabetes.Columns[..^1], intercept: true, standardize: false);
        int d = design[0].Length;
        var ols = Fit("linear regression of diabetes progression", options => Mle.Fit(
            p => LinearRegressionLikelihood.LogLikelihood(p.AsSpan(0, d), p[d], design, y), [.. new double[d], 1.0], options with
            {
                ParameterNames = ["intercept", .. diabetes.Columns[..^1], "sigma"],
                Transforms = [.. Enumerable.Repeat(ParameterTransform.Identity, d), ParameterTransform.Positive],
                ObservationCount = y.Length,
            }));
        var o = statsmodels.GetProperty("diabetes_ols");
        Agreement(ols, [.. Numbers(o, "w"), Math.Sqrt(Number(o, "sigma2_mle"))], Numbers(o, "se_mle"), Number(o, "loglik"));

        // Logistic regression of the diagnosis on five standardized features, intercept first, in vector form:
        // LL(θ) = Σ yₙ log σ(xₙᵀθ) + (1 − yₙ) log σ(−xₙᵀθ).
        var rows = LogisticGradientAscent.Design(cancer);
        var x = Tensor.FromArray(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length);
        var labels = Tensor.Vector(LogisticGradientAscent.Labels(cancer));
        var logit = Fit("logistic regression of breast-cancer diagnosis (Tensor form)", options => Mle.Fit(
            theta =>
            {
                var z = x.MatMul(theta);
                return Sum(labels * LogSigmoid(z) + (1 - labels) * LogSigmoid(-z));
            }, Tensor.Zeros(rows[0].Length), options with
            {
                ParameterNames = ["intercept", .. LogisticGradientAscent.Features],
                ObservationCount = rows.Length,
            }));
        var l = statsmodels.GetProperty("breast_cancer_logit_5std");
        Agreement(logit, Numbers(l, "theta"), Numbers(l, "se"), Number(l, "loglik"));
    }

    /// <summary>Runs <paramref name="fit"/> with the bar driven by <see cref="MleOptions.Progress"/>, then prints its summary.</summary>
    private static MleResult Fit(string title, Func<MleOptions, MleResult> fit)
    {
        Console.WriteLine();
        Console.WriteLine($"Maximum likelihood: {title}");
        var defaults = new MleOptions();
        var result = IterativeFit.Track("Newton", "LL", defaults.MaxIterations,
            report => fit(defaults with { Progress = p => report(p.Iteration, p.Value) }));
        Console.WriteLine(result.Summary());
        return result;
    }

    /// <summary>
    /// One line: the largest relative difference from statsmodels of the estimates, of the standard errors it gives
    /// (for the regression, those of the weights), and of the log-likelihood.
    /// </summary>
    private static void Agreement(MleResult fit, double[] estimates, double[] standardErrors, double logLikelihood)
    {
        (string Name, double Difference)[] parts =
        [
            ("estimates", MaxRelativeDifference(fit.Estimates, estimates)),
            ("std err", MaxRelativeDifference(fit.StandardErrors[..standardErrors.Length], standardErrors)),
            ("LL", MaxRelativeDifference([fit.LogLikelihood], [logLikelihood])),
        ];
        var cells = parts.Select(p =>
            $"{p.Name} [{(p.Difference <= Tolerance ? "green" : "red")}]{p.Difference.ToString("0.0E+00", CultureInfo.InvariantCulture)}[/]");
        AnsiConsole.MarkupLine($"vs statsmodels, max rel. diff.: {string.Join(", ", cells)}");
    }

    /// <summary>maxᵢ |aᵢ − bᵢ| / |bᵢ|, the largest relative difference of <paramref name="actual"/> from <paramref name="expected"/>.</summary>
    public static double MaxRelativeDifference(double[] actual, double[] expected) =>
        actual.Zip(expected, (a, e) => Math.Abs(a - e) / Math.Max(Math.Abs(e), 1e-300)).Max();

    private static double Number(JsonElement model, string name) => model.GetProperty(name).GetDouble();

    private static double[] Numbers(JsonElement model, string name) => model.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();
}
