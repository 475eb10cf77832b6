using System;
using System.IO;
using System.Linq;
using AutoDiff.Likelihoods;
using AutoDiff.Samples.Shared;
using BenchmarkDotNet.Attributes;
using static AutoDiff.Ops;

namespace AutoDiff.Benchmarks;

/// <summary>
/// Issue 5's speed benchmark: whole maximum-likelihood fits with standard errors on the shipped data, by <c>Mle.Fit</c>
/// (Newton with exact AD gradients and Hessians) in <see cref="Var"/> and <see cref="Tensor"/> form, beside the same fits
/// written by hand (<see cref="HandWrittenFits"/>). For scale (the issue, same kind of machine): statsmodels' logistic
/// Newton fit 0.78 ms, its OLS 0.14 ms.
/// </summary>
[MemoryDiagnoser]
public class MleFitBenchmark
{
    private static readonly string[] Features = ["mean_radius", "mean_texture", "mean_smoothness", "mean_concavity", "mean_symmetry"];

    private double[][] _cancerX = [];
    private double[] _cancerY = [];
    private Tensor _cancerMatrix = Tensor.Scalar(0);
    private Tensor _cancerLabels = Tensor.Scalar(0);
    private double[][] _diabetesX = [];
    private double[] _diabetesY = [];
    private Tensor _diabetesMatrix = Tensor.Scalar(0);
    private Tensor _diabetesTargets = Tensor.Scalar(0);

    /// <summary>Reads the data and checks that every row fits the same model to 1e-6 (a wrong floor would make the ratios meaningless).</summary>
    [GlobalSetup]
    public void Setup()
    {
        string data = Path.Combine(AppContext.BaseDirectory, "data");
        var cancer = Csv.Read(Path.Combine(data, "breast_cancer.csv"));
        _cancerX = cancer.Design(Features, intercept: true, standardize: true);
        _cancerY = cancer.Column("malignant_is_0");
        _cancerMatrix = Matrix(_cancerX);
        _cancerLabels = Tensor.Vector(_cancerY);
        var diabetes = Csv.Read(Path.Combine(data, "diabetes.csv"));
        _diabetesX = diabetes.Design(diabetes.Columns[..^1], intercept: true, standardize: false);
        _diabetesY = diabetes.Column("progression");
        _diabetesMatrix = Matrix(_diabetesX);
        _diabetesTargets = Tensor.Vector(_diabetesY);

        var logistic = HandWrittenFits.Logistic(_cancerX, _cancerY);
        foreach (var fit in new[] { FitLogistic(Mle.Fit(LogisticVar, new double[6], LogisticOptions)), FitLogistic(Mle.Fit(LogisticTensor, Tensor.Zeros(6), LogisticOptions)) })
        {
            Agree("logistic", logistic.StandardErrors, fit);
        }

        var ols = HandWrittenFits.LinearRegression(_diabetesX, _diabetesY);
        var olsFit = Mle.Fit(LinearRegressionVar, [.. new double[11], 1.0], LinearRegressionOptions);
        Agree("linear regression", ols.StandardErrors, olsFit.StandardErrors[..^1]);
    }

    /// <summary>statsmodels-style IRLS written by hand: the floor.</summary>
    [Benchmark(Baseline = true)]
    public double LogisticHandWritten() => HandWrittenFits.Logistic(_cancerX, _cancerY).StandardErrors[0];

    /// <summary><c>Mle.Fit</c> over <see cref="Var"/>s: Newton with AD gradients and Hessians, then standard errors.</summary>
    [Benchmark]
    public double LogisticVarFit() => Mle.Fit(LogisticVar, new double[6], LogisticOptions).StandardErrors[0];

    /// <summary><c>Mle.Fit</c> over a <see cref="Tensor"/>: the vector form Σ y log σ(Xθ) + (1 − y) log σ(−Xθ).</summary>
    [Benchmark]
    public double LogisticTensorFit() => Mle.Fit(LogisticTensor, Tensor.Zeros(6), LogisticOptions).StandardErrors[0];

    /// <summary>Normal equations and σ̂² = RSS/N written by hand: the floor for OLS.</summary>
    [Benchmark]
    public double LinearRegressionHandWritten() => HandWrittenFits.LinearRegression(_diabetesX, _diabetesY).StandardErrors[0];

    /// <summary><c>Mle.Fit</c> of (w, σ) over <see cref="Var"/>s, σ through the positive transform, from w = 0, σ = 1.</summary>
    [Benchmark]
    public double LinearRegressionVarFit() => Mle.Fit(LinearRegressionVar, [.. new double[11], 1.0], LinearRegressionOptions).StandardErrors[0];

    /// <summary><c>Mle.Fit</c> of (w, σ) over a <see cref="Tensor"/>.</summary>
    [Benchmark]
    public double LinearRegressionTensorFit() => Mle.Fit(LinearRegressionTensor, Tensor.Vector([.. new double[11], 1.0]), LinearRegressionOptions).StandardErrors[0];

    private static MleOptions LogisticOptions => new() { ObservationCount = 569 };

    private static MleOptions LinearRegressionOptions => new()
    {
        Transforms = [.. Enumerable.Repeat(ParameterTransform.Identity, 11), ParameterTransform.Positive],
        ObservationCount = 442,
    };

    private Var LogisticVar(Var[] theta) => LogisticRegressionLikelihood.LogLikelihood(theta, _cancerX, _cancerY);

    private Tensor LogisticTensor(Tensor theta)
    {
        var z = _cancerMatrix.MatMul(theta);
        return Sum(_cancerLabels * LogSigmoid(z) + (1.0 - _cancerLabels) * LogSigmoid(-z));
    }

    private Var LinearRegressionVar(Var[] p) => LinearRegressionLikelihood.LogLikelihood(p.AsSpan(0, 11), p[11], _diabetesX, _diabetesY);

    private static readonly int[] Weights = Enumerable.Range(0, 11).ToArray();

    private Tensor LinearRegressionTensor(Tensor p)
    {
        var sigma = Rows(p, 11);
        var residual = _diabetesTargets - _diabetesMatrix.MatMul(Rows(p, Weights));
        return -0.5 * _diabetesY.Length * Log(2 * Math.PI * Square(sigma)) - Sum(Square(residual)) / (2 * Square(sigma));
    }

    private static double[] FitLogistic(MleResult fit) => fit.Converged ? fit.StandardErrors : throw new InvalidOperationException(fit.Message);

    private static void Agree(string model, double[] expected, double[] actual) =>
        RowCheck.Agree($"{model}: standard error", expected, "hand", actual, "Mle.Fit", 1e-6);

    private static Tensor Matrix(double[][] rows) => Tensor.FromArray(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length);
}
