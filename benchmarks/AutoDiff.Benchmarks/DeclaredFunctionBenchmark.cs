using System;
using System.Linq;
using AutoDiff.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using static AutoDiff.Ops;

namespace AutoDiff.Benchmarks;

/// <summary>
/// Declared functions against the same expression composed of primitive ops, forward and backward: (a) the Gaussian
/// log-density over tensors of n = 10⁶, (b) the logistic per-observation log-likelihood over tensors of n = 10⁶, (c) W1
/// (n = 100 000) over scalar <see cref="Var"/>s against the plain double loop. Each group has its own baseline.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class DeclaredFunctionBenchmark
{
    private const int TensorSize = 1_000_000;
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2.0 * Math.PI);

    private readonly W1Gaussian _w1 = new(100_000);
    private readonly double[] _gradient = new double[2];
    private readonly double[][] _oneKeptGradient = [new double[TensorSize]];
    private readonly double[][] _twoKeptGradients = [new double[TensorSize], new double[TensorSize]];
    private readonly Tensor _y, _labels, _z, _muVector, _sigmaVector, _w1Data;
    private readonly Tensor _mu = Tensor.Scalar(1.0), _sigma = Tensor.Scalar(1.5);

    /// <summary>The data: W1's observations extended to 10⁶, labels and logits of a logistic model.</summary>
    public DeclaredFunctionBenchmark()
    {
        var y = new double[TensorSize];
        var labels = new double[TensorSize];
        var z = new double[TensorSize];
        for (int i = 0; i < TensorSize; i++)
        {
            y[i] = 1.4 + Math.Sin(0.37 * i);
            z[i] = 3.0 * Math.Sin(0.11 * i) + 0.5 * Math.Cos(1.7 * i);
            labels[i] = Math.Sin(0.23 * i) + 0.3 * z[i] > 0 ? 1.0 : 0.0;
        }

        _y = Tensor.Vector(y);
        _muVector = Tensor.Vector([.. y.Select((v, i) => 1.0 + 0.1 * Math.Cos(0.05 * i))]);
        _sigmaVector = Tensor.Vector([.. y.Select((v, i) => 1.5 + 0.5 * Math.Sin(0.07 * i))]);
        _labels = Tensor.Vector(labels);
        _z = Tensor.Vector(z);
        _w1Data = Tensor.Vector(_w1.Y);
    }

    /// <summary>
    /// The rows into kept arrays compare like with like: the declared and composed forms' gradients agree to 1e−9
    /// relative (the rows returning tensors compute them the same way).
    /// </summary>
    [GlobalSetup]
    public void CheckRows()
    {
        LogisticComposedIntoArray();
        var composed = _oneKeptGradient[0].ToArray();
        LogisticDeclaredIntoArray();
        RowCheck.Agree("logistic gradient, element", composed, "the composed row", _oneKeptGradient[0], "the declared row", 1e-9, 1e-12);
        GaussianPerObservationComposedIntoArrays();
        var composedMu = _twoKeptGradients[0].ToArray();
        var composedSigma = _twoKeptGradients[1].ToArray();
        GaussianPerObservationDeclaredIntoArrays();
        RowCheck.Agree("Gaussian gradient in mu, element", composedMu, "the composed row", _twoKeptGradients[0], "the declared row", 1e-9, 1e-12);
        RowCheck.Agree("Gaussian gradient in sigma, element", composedSigma, "the composed row", _twoKeptGradients[1], "the declared row", 1e-9, 1e-12);
    }

    /// <summary>Σ log N(yᵢ; μ, σ) and its gradient in (μ, σ), written with primitive tensor ops (five passes forward, five back).</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Gaussian tensor n=1e6")]
    public double GaussianComposed() =>
        AD.ValueAndGrad(p => Sum(-Log(p[1]) - HalfLogTwoPi - Square(_y - p[0]) / (2.0 * Square(p[1]))), _mu, _sigma).Value;

    /// <summary>The same with the declared LogNormal: one fused pass for values and partials, one record.</summary>
    [Benchmark]
    [BenchmarkCategory("Gaussian tensor n=1e6")]
    public double GaussianDeclared() =>
        AD.ValueAndGrad(p => Sum(DeclaredDensities.LogNormal(_y, p[0], p[1])), _mu, _sigma).Value;

    /// <summary>The same with LogNormal declared without rules: the derived partials, in the same fused kernel.</summary>
    [Benchmark]
    [BenchmarkCategory("Gaussian tensor n=1e6")]
    public double GaussianDerived() =>
        AD.ValueAndGrad(p => Sum(DeclaredDensities.LogNormalDerived(_y, p[0], p[1])), _mu, _sigma).Value;

    /// <summary>
    /// Σ log N(yᵢ; μᵢ, σᵢ) with a mean and a scale per observation, gradient in both (n each), from primitive tensor ops:
    /// here the composed form also takes n logarithms.
    /// </summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Gaussian tensor n=1e6, mu sigma per obs")]
    public double GaussianPerObservationComposed() =>
        AD.ValueAndGrad(p => Sum(-Log(p[1]) - HalfLogTwoPi - Square(_y - p[0]) / (2.0 * Square(p[1]))), _muVector, _sigmaVector).Value;

    /// <summary>The same with the declared LogNormal.</summary>
    [Benchmark]
    [BenchmarkCategory("Gaussian tensor n=1e6, mu sigma per obs")]
    public double GaussianPerObservationDeclared() =>
        AD.ValueAndGrad(p => Sum(DeclaredDensities.LogNormal(_y, p[0], p[1])), _muVector, _sigmaVector).Value;

    /// <summary>The same with LogNormal declared without rules: the derived partials, in the same fused kernel.</summary>
    [Benchmark]
    [BenchmarkCategory("Gaussian tensor n=1e6, mu sigma per obs")]
    public double GaussianPerObservationDerived() =>
        AD.ValueAndGrad(p => Sum(DeclaredDensities.LogNormalDerived(_y, p[0], p[1])), _muVector, _sigmaVector).Value;

    /// <summary>Σ y·log σ(z) + (1 − y)·log σ(−z) and its gradient in z, from primitive tensor ops.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Logistic tensor n=1e6")]
    public double LogisticComposed() =>
        AD.ValueAndGrad(p => Sum(_labels * LogSigmoid(p[0]) + (1.0 - _labels) * LogSigmoid(-p[0])), _z).Value;

    /// <summary>The same with the declared two-input LogisticTerm.</summary>
    [Benchmark]
    [BenchmarkCategory("Logistic tensor n=1e6")]
    public double LogisticDeclared() =>
        AD.ValueAndGrad(p => Sum(DeclaredDensities.LogisticTerm(_labels, p[0])), _z).Value;

    /// <summary>
    /// The Gaussian with μ and σ per observation, composed, its two n-sized gradients written into arrays kept across
    /// calls (<c>AD.ValueAndGrad(f, x, gradients)</c>, what a training loop calls): forward and backward without the 16 MB
    /// of fresh gradient arrays per call that the returning form allocates, collects and faults in.
    /// </summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Gaussian tensor n=1e6, mu sigma per obs, into kept arrays")]
    public double GaussianPerObservationComposedIntoArrays() =>
        AD.ValueAndGrad(p => Sum(-Log(p[1]) - HalfLogTwoPi - Square(_y - p[0]) / (2.0 * Square(p[1]))), [_muVector, _sigmaVector], _twoKeptGradients);

    /// <summary>The same with the declared LogNormal.</summary>
    [Benchmark]
    [BenchmarkCategory("Gaussian tensor n=1e6, mu sigma per obs, into kept arrays")]
    public double GaussianPerObservationDeclaredIntoArrays() =>
        AD.ValueAndGrad(p => Sum(DeclaredDensities.LogNormal(_y, p[0], p[1])), [_muVector, _sigmaVector], _twoKeptGradients);

    /// <summary>The same with the composed expression declared as one function, its rules derived by the generator.</summary>
    [Benchmark]
    [BenchmarkCategory("Logistic tensor n=1e6")]
    public double LogisticDerived() =>
        AD.ValueAndGrad(p => Sum(DeclaredDensities.LogisticPairDerived(_labels, p[0])), _z).Value;

    /// <summary>The composed logistic term, its gradient in z written into an array kept across calls.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Logistic tensor n=1e6, into a kept array")]
    public double LogisticComposedIntoArray() =>
        AD.ValueAndGrad(p => Sum(_labels * LogSigmoid(p[0]) + (1.0 - _labels) * LogSigmoid(-p[0])), [_z], _oneKeptGradient);

    /// <summary>The same with the declared two-input LogisticTerm.</summary>
    [Benchmark]
    [BenchmarkCategory("Logistic tensor n=1e6, into a kept array")]
    public double LogisticDeclaredIntoArray() =>
        AD.ValueAndGrad(p => Sum(DeclaredDensities.LogisticTerm(_labels, p[0])), [_z], _oneKeptGradient);

    /// <summary>W1 over doubles: the plain function.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("W1 Var n=1e5")]
    public double W1Plain() => _w1.PlainLogLikelihood(W1Gaussian.Point[0], W1Gaussian.Point[1]);

    /// <summary>W1's AD gradient with the declared LogNormal over Vars: one node (two edges) per observation, plus the sum's.</summary>
    [Benchmark]
    [BenchmarkCategory("W1 Var n=1e5")]
    public double W1Declared() => AD.ValueAndGrad(DeclaredLogLikelihood, W1Gaussian.Point, _gradient);

    /// <summary>
    /// The same through the all-Var overload, y a constant Var (data passed as Vars): the overload hands y on to the
    /// (double, Var, Var) one, so it records through Tape.Binary as W1Declared does (before, Tape.Nary's node builder: 2.2×).
    /// </summary>
    [Benchmark]
    [BenchmarkCategory("W1 Var n=1e5")]
    public double W1DeclaredAllVar() => AD.ValueAndGrad(DeclaredLogLikelihoodAllVar, W1Gaussian.Point, _gradient);

    /// <summary>
    /// W1's AD gradient with the declared LogNormal applied to μ and σ as <see cref="Var"/>s and the data as one tensor:
    /// <c>Sum(LogNormal(y, mu, sigma))</c>, a fused kernel and a sum (two records), returning a <see cref="Var"/>.
    /// </summary>
    [Benchmark]
    [BenchmarkCategory("W1 Var n=1e5")]
    public double W1DeclaredOverData() =>
        AD.ValueAndGrad(p => (Var)Sum(DeclaredDensities.LogNormal(_w1Data, p[0], p[1])), W1Gaussian.Point, _gradient);

    /// <summary>W1's AD gradient written with primitive ops (ten nodes per observation), as in W1GaussianScalarBenchmark.</summary>
    [Benchmark]
    [BenchmarkCategory("W1 Var n=1e5")]
    public double W1Composed() => AD.ValueAndGrad(_w1.LogLikelihood, W1Gaussian.Point, _gradient);

    private Var DeclaredLogLikelihood(Var[] p)
    {
        Var mu = p[0], sigma = p[1], sum = 0.0;
        foreach (double y in _w1.Y)
        {
            sum += DeclaredDensities.LogNormal(y, mu, sigma);
        }

        return sum;
    }

    private Var DeclaredLogLikelihoodAllVar(Var[] p)
    {
        Var mu = p[0], sigma = p[1], sum = 0.0;
        foreach (double y in _w1.Y)
        {
            sum += DeclaredDensities.LogNormal((Var)y, mu, sigma);
        }

        return sum;
    }
}
