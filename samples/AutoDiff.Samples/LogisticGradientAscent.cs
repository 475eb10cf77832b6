using System;
using System.Globalization;
using System.Linq;
using AutoDiff;
using AutoDiff.Likelihoods;
using AutoDiff.Samples.Shared;
using Spectre.Console;

/// <summary>
/// The notes' gradient ascent on the logistic log-likelihood, θⱼ ← θⱼ + η ∂LL/∂θⱼ, with the gradient from AD,
/// on five standardized breast-cancer features.
/// </summary>
internal static class LogisticGradientAscent
{
    private const double Eta = 0.001;
    private const int Steps = 5000;

    /// <summary>The five breast-cancer columns of the logistic model (reference.json's, in the CSV's spelling).</summary>
    public static readonly string[] Features = ["mean_radius", "mean_texture", "mean_smoothness", "mean_concavity", "mean_symmetry"];

    /// <summary>The design matrix: an intercept and the five standardized features.</summary>
    public static double[][] Design(Csv cancer) => cancer.Design(Features, intercept: true, standardize: true);

    /// <summary>The labels, 1 for benign and 0 for malignant.</summary>
    public static double[] Labels(Csv cancer) => cancer.Column("malignant_is_0");

    public static void Run(Csv cancer)
    {
        var x = Design(cancer);
        var labels = Labels(cancer);
        Func<Var[], Var> ll = t => LogisticRegressionLikelihood.LogLikelihood(t, x, labels);
        var theta = new double[x[0].Length];
        var gradient = new double[theta.Length];
        var gradientNorms = new double[Steps + 1];

        Console.WriteLine();
        Console.WriteLine($"Gradient ascent on the logistic log-likelihood (η = {Eta})");
        var values = IterativeFit.Run("gradient ascent", "LL", Steps, step =>
        {
            double value = AD.ValueAndGrad(ll, theta, gradient);
            gradientNorms[step] = Math.Sqrt(gradient.Sum(g => g * g));
            for (int j = 0; j < theta.Length; j++)
            {
                theta[j] += Eta * gradient[j];
            }

            return value;
        });

        AnsiConsole.Write(IterativeFit.Checkpoints(values, 1000, "LL", ("|∇LL|", s => gradientNorms[s].ToString("0.00E+00", CultureInfo.InvariantCulture))));
        Console.WriteLine($"  θ̂ = [{string.Join(", ", theta.Select(t => t.ToString("F4", CultureInfo.InvariantCulture)))}]");
        Console.WriteLine("  (statsmodels: [0.8251, -4.5795, -1.6450, -1.4445, -1.4750, -0.3937], LL = -80.031975)");
    }
}
