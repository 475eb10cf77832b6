using System;
using System.Globalization;
using System.IO;
using System.Linq;
using AutoDiff;
using AutoDiff.Likelihoods;
using AutoDiff.Samples.Shared;
using static AutoDiff.Ops;

// The lecture notes' three likelihoods on the shipped data sets: each written as a plain expression over Var,
// its AD gradient set beside the notes' closed form, then the notes' gradient ascent fitting the logistic model.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string data = Path.Combine(AppContext.BaseDirectory, "data");
var diabetes = Csv.Read(Path.Combine(data, "diabetes.csv"));
var cancer = Csv.Read(Path.Combine(data, "breast_cancer.csv"));

Console.WriteLine("AD gradient vs the notes' closed form");
Console.WriteLine($"{"model",-44} {"params",6} {"max rel. error",15}");

// Gaussian (eq. 6-8): the diabetes progression column, at (μ, σ) = (150, 70).
var y = diabetes.Column("progression");
var gaussian = AD.Grad(p => GaussianLikelihood.LogLikelihood(p[0], p[1], y), [150.0, 70.0]);
var (dMu, dSigma) = GaussianLikelihood.Gradient(150.0, 70.0, y);
Report("Gaussian μ, σ (diabetes progression)", gaussian, [dMu, dSigma]);

// Linear regression with Gaussian noise (eq. 14-17), in w and σ, at w = 0.1, σ = 60.
var design = diabetes.Design(diabetes.Columns[..^1], intercept: true, standardize: false);
var w0 = Enumerable.Repeat(0.1, design[0].Length).ToArray();
var linear = AD.Grad(p => LinearRegressionLikelihood.LogLikelihood(p.AsSpan(0, p.Length - 1), p[^1], design, y), [.. w0, 60.0]);
var (dw, dS) = LinearRegressionLikelihood.Gradient(w0, 60.0, design, y);
Report("linear regression w, σ (diabetes)", linear, [.. dw, dS]);

// Logistic regression (the notes' LL(θ)) on five standardized breast-cancer features, at θⱼ = 0.01·j.
string[] features = ["mean_radius", "mean_texture", "mean_smoothness", "mean_concavity", "mean_symmetry"];
var x = cancer.Design(features, intercept: true, standardize: true);
var labels = cancer.Column("malignant_is_0");
var theta = Enumerable.Range(0, x[0].Length).Select(j => 0.01 * j).ToArray();
var logistic = AD.Grad(t => LogisticRegressionLikelihood.LogLikelihood(t, x, labels), theta);
Report("logistic regression θ (breast cancer)", logistic, LogisticRegressionLikelihood.Gradient(theta, x, labels));

// Gradient ascent with the notes' update rule θⱼ ← θⱼ + η ∂LL/∂θⱼ.
Console.WriteLine();
Console.WriteLine("Gradient ascent on the logistic log-likelihood (η = 0.001)");
Func<Var[], Var> ll = t => LogisticRegressionLikelihood.LogLikelihood(t, x, labels);
Array.Clear(theta);
var gradient = new double[theta.Length];
for (int step = 0; step <= 5000; step++)
{
    double value = AD.ValueAndGrad(ll, theta, gradient);
    if (step % 1000 == 0)
    {
        Console.WriteLine($"  step {step,5}: LL = {value,12:F6}   |∇LL| = {Math.Sqrt(gradient.Sum(g => g * g)):E2}");
    }

    for (int j = 0; j < theta.Length; j++)
    {
        theta[j] += 0.001 * gradient[j];
    }
}

Console.WriteLine($"  θ̂ = [{string.Join(", ", theta.Select(t => t.ToString("F4")))}]");
Console.WriteLine("  (statsmodels: [0.8251, -4.5795, -1.6450, -1.4445, -1.4750, -0.3937], LL = -80.031975)");

IrisNetwork.Train(data);

static void Report(string model, double[] ad, double[] closedForm)
{
    double worst = ad.Zip(closedForm, (a, c) => Math.Abs(a - c) / Math.Max(Math.Abs(c), 1e-300)).Max();
    Console.WriteLine($"{model,-44} {ad.Length,6} {worst,15:E2}");
}
