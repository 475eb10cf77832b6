using AutoDiff.Benchmarks.Workloads;
using AutoDiff.Likelihoods;
using BenchmarkDotNet.Attributes;

namespace AutoDiff.Benchmarks;

/// <summary>W2 (logistic log-likelihood, n = 10 000, d = 20) as scalar <see cref="Var"/> code: plain function, AD gradient, closed form.</summary>
[MemoryDiagnoser]
public class W2LogisticScalarBenchmark
{
    private readonly W2Logistic _workload = new(10_000, 20);
    private readonly double[] _gradient = new double[20];

    /// <summary>LL(θ) over doubles, no derivatives.</summary>
    [Benchmark(Baseline = true)]
    public double Plain() => _workload.PlainLogLikelihood(_workload.Theta);

    /// <summary>LL and ∇LL by reverse mode: record, sweep, read the gradient into a reused buffer.</summary>
    [Benchmark]
    public double AdGradient() => AD.ValueAndGrad(_workload.LogLikelihood, _workload.Theta, _gradient);

    /// <summary>∇LL from the closed form Xᵀ(y − σ(Xθ)).</summary>
    [Benchmark]
    public double ClosedFormGradient() => LogisticRegressionLikelihood.Gradient(_workload.Theta, _workload.X, _workload.Y)[0];
}
