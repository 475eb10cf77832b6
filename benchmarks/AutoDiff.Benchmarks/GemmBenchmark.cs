using System;
using System.Collections.Generic;
using System.Globalization;
using AutoDiff.Kernels;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AutoDiff.Benchmarks;

/// <summary>
/// The dense matrix product C = A·B (and the transposed forms backward passes use) of <see cref="Gemm"/>, float64, at the
/// sizes the tensor engine meets; the GFLOP/s column is 2mnk over the mean. Compare with <see cref="FmaPeakBenchmark"/>.
/// </summary>
[Config(typeof(GflopsConfig))]
public class GemmBenchmark
{
    private double[] _a = [], _b = [], _c = [];

    /// <summary>m×n×k of the product.</summary>
    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = new(64, 64, 64);

    /// <summary>maxThreads handed to <see cref="Gemm.Multiply(ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double}, int, int, int, bool, bool, bool, int)"/>.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>The sizes: a small product, an MNIST-like layer (batch 256, 784 inputs, 256 units), and 1000³.</summary>
    public static IEnumerable<GemmShape> Shapes => [new(64, 64, 64), new(256, 784, 256), new(1000, 1000, 1000)];

    /// <summary>Random operands (cheap enough for a dry run).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _a = new double[Shape.M * Shape.K];
        _b = new double[Shape.K * Shape.N];
        _c = new double[Shape.M * Shape.N];
        for (int i = 0; i < _a.Length; i++)
        {
            _a[i] = random.NextDouble() - 0.5;
        }

        for (int i = 0; i < _b.Length; i++)
        {
            _b[i] = random.NextDouble() - 0.5;
        }
    }

    /// <summary>C = A·B.</summary>
    [Benchmark(Baseline = true)]
    public double Plain()
    {
        Gemm.Multiply(_a, _b, _c, Shape.M, Shape.N, Shape.K, maxThreads: Threads);
        return _c[0];
    }

    /// <summary>C = A·Bᵀ with B stored n×k (the ∂A = ∂C·Bᵀ of a backward pass).</summary>
    [Benchmark]
    public double TransposedB()
    {
        Gemm.Multiply(_a, _b, _c, Shape.M, Shape.N, Shape.K, transposeB: true, maxThreads: Threads);
        return _c[0];
    }

    /// <summary>C = Aᵀ·B with A stored k×m (the ∂B = Aᵀ·∂C of a backward pass).</summary>
    [Benchmark]
    public double TransposedA()
    {
        Gemm.Multiply(_a, _b, _c, Shape.M, Shape.N, Shape.K, transposeA: true, maxThreads: Threads);
        return _c[0];
    }
}

/// <summary>The m×n×k of a product, printed as such in the summary.</summary>
/// <param name="M">Rows of C.</param>
/// <param name="N">Columns of C.</param>
/// <param name="K">The inner dimension.</param>
public sealed record GemmShape(int M, int N, int K) : IFlopCount
{
    /// <summary>2mnk: one multiply and one add per term.</summary>
    public double Flops => 2.0 * M * N * K;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{M}x{N}x{K}");
}

/// <summary>A benchmark parameter that knows how many floating-point operations one invocation does.</summary>
public interface IFlopCount
{
    /// <summary>Floating-point operations per invocation.</summary>
    double Flops { get; }
}

/// <summary>Adds the <see cref="GflopsColumn"/>.</summary>
public sealed class GflopsConfig : ManualConfig
{
    /// <summary>The default configuration plus the GFLOP/s column.</summary>
    public GflopsConfig() => AddColumn(new GflopsColumn());
}

/// <summary>
/// GFLOP/s = flops per invocation / mean time: flops from a parameter that is an <see cref="IFlopCount"/>, or from a
/// <see cref="FlopsAttribute"/> on the benchmark method.
/// </summary>
public sealed class GflopsColumn : IColumn
{
    /// <inheritdoc/>
    public string Id => nameof(GflopsColumn);

    /// <inheritdoc/>
    public string ColumnName => "GFLOP/s";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => "Billions of floating-point operations per second (flops per invocation / Mean)";

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        double? flops = null;
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            if (parameter.Value is IFlopCount count)
            {
                flops = count.Flops;
            }
        }

        var attribute = (FlopsAttribute?)Attribute.GetCustomAttribute(benchmarkCase.Descriptor.WorkloadMethod, typeof(FlopsAttribute));
        flops ??= attribute?.Flops;
        double? meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (flops is null || meanNanoseconds is not > 0)
        {
            return "-";
        }

        return (flops.Value / meanNanoseconds.Value).ToString("F1", CultureInfo.InvariantCulture);
    }
}

/// <summary>Declares the floating-point operations one invocation of a benchmark method does, for <see cref="GflopsColumn"/>.</summary>
/// <param name="flops">Floating-point operations per invocation.</param>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FlopsAttribute(double flops) : Attribute
{
    /// <summary>Floating-point operations per invocation.</summary>
    public double Flops { get; } = flops;
}
