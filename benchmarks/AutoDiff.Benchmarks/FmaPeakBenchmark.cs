using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace AutoDiff.Benchmarks;

/// <summary>
/// This machine's float64 FMA peak on one core: twelve independent fused multiply–add chains held in registers (enough
/// to cover the FMA latency times the number of FMA pipes), so nothing but the FMA units limits the loop. The GFLOP/s
/// column is the ceiling <see cref="GemmBenchmark"/> is measured against.
/// </summary>
[Config(typeof(GflopsConfig))]
public class FmaPeakBenchmark
{
    private const int Iterations = 1 << 20;
    private const int Chains = 12;

    /// <summary>2 · 12 chains · 8 lanes per Vector512 FMA, 2²⁰ times.</summary>
    [Benchmark]
    [Flops(2.0 * Chains * 8 * Iterations)]
    public double Vector512Fma() => Run512(Iterations);

    /// <summary>The same with Vector256 (4 lanes): the peak the fallback kernel can reach.</summary>
    [Benchmark]
    [Flops(2.0 * Chains * 4 * Iterations)]
    public double Vector256Fma() => Run256(Iterations);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Run512(int iterations)
    {
        var x = Vector512.Create(1.0000001);
        var y = Vector512.Create(-0.0000001);
        Vector512<double> a0 = Vector512.Create(0.0), a1 = Vector512.Create(1.0), a2 = Vector512.Create(2.0), a3 = Vector512.Create(3.0);
        Vector512<double> a4 = Vector512.Create(4.0), a5 = Vector512.Create(5.0), a6 = Vector512.Create(6.0), a7 = Vector512.Create(7.0);
        Vector512<double> a8 = Vector512.Create(8.0), a9 = Vector512.Create(9.0), a10 = Vector512.Create(10.0), a11 = Vector512.Create(11.0);
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y);
            a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y);
            a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y);
            a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y);
            a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y);
            a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y);
            a11 = Vector512.FusedMultiplyAdd(a11, x, y);
        }

        return Vector512.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Run256(int iterations)
    {
        var x = Vector256.Create(1.0000001);
        var y = Vector256.Create(-0.0000001);
        Vector256<double> a0 = Vector256.Create(0.0), a1 = Vector256.Create(1.0), a2 = Vector256.Create(2.0), a3 = Vector256.Create(3.0);
        Vector256<double> a4 = Vector256.Create(4.0), a5 = Vector256.Create(5.0), a6 = Vector256.Create(6.0), a7 = Vector256.Create(7.0);
        Vector256<double> a8 = Vector256.Create(8.0), a9 = Vector256.Create(9.0), a10 = Vector256.Create(10.0), a11 = Vector256.Create(11.0);
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, x, y);
            a1 = Vector256.FusedMultiplyAdd(a1, x, y);
            a2 = Vector256.FusedMultiplyAdd(a2, x, y);
            a3 = Vector256.FusedMultiplyAdd(a3, x, y);
            a4 = Vector256.FusedMultiplyAdd(a4, x, y);
            a5 = Vector256.FusedMultiplyAdd(a5, x, y);
            a6 = Vector256.FusedMultiplyAdd(a6, x, y);
            a7 = Vector256.FusedMultiplyAdd(a7, x, y);
            a8 = Vector256.FusedMultiplyAdd(a8, x, y);
            a9 = Vector256.FusedMultiplyAdd(a9, x, y);
            a10 = Vector256.FusedMultiplyAdd(a10, x, y);
            a11 = Vector256.FusedMultiplyAdd(a11, x, y);
        }

        return Vector256.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)));
    }
}
