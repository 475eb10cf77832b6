using AutoDiff.Benchmarks.Workloads;
using AutoDiff.Likelihoods;
using BenchmarkDotNet.Attributes;

namespace AutoDiff.Benchmarks;

/// <summary>W1 (Gaussian log-likelihood, n = 100 000) as scalar <see cref="Var"/> code: plain function, AD gradient, closed form.</summary>
[MemoryDiagnoser]
public class W1GaussianScalarBenchmark
{
    private readonly W1Gaussian _workload = new(100_000);
    private readonly double[] _gradient = new double[2];

    /// <summary>LL(μ, σ) over doubles, no derivatives.</summary>
    [Benchmark(Baseline = true)]
    public double Plain() => _workload.PlainLogLikelihood(W1Gaussian.Point[0], W1Gaussian.Point[1]);

    /// <summary>LL and ∇LL by reverse mode: record, sweep, read the gradient into a reused buffer.</summary>
    [Benchmark]
    public double AdGradient() => AD.ValueAndGrad(_workload.LogLikelihood, W1Gaussian.Point, _gradient);

    /// <summary>∇LL from the closed form Σ(yᵢ − μ)/σ², −n/σ + Σ(yᵢ − μ)²/σ³.</summary>
    [Benchmark]
    public double ClosedFormGradient()
    {
        var (dMu, dSigma) = GaussianLikelihood.Gradient(W1Gaussian.Point[0], W1Gaussian.Point[1], _workload.Y);
        return dMu + dSigma;
    }
}
