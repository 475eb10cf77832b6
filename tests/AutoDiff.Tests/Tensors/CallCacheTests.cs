using System;
using System.Linq;
using System.Reflection;
using System.Runtime.Intrinsics;
using AutoDiff.Benchmarks.Workloads;
using Xunit;
using static AutoDiff.Tests.Ulp;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// The call cache of the fused kernels: a remembered call returns exactly what the call returns for the same argument
/// bits, whatever the sequence of arguments; kernels whose inputs are broadcast, repeated in runs, or changing in every
/// block give what the scalar loop gives; and the cache does not change a gradient.
/// </summary>
public class CallCacheTests
{
    // Repeats, changes, and arguments equal as doubles but not as bits (−0 and +0), NaN, ±∞, subnormals.
    private static readonly double[] Arguments =
        [1.5, 1.5, 1.5, 2.0, 1.5, 0.0, -0.0, 0.0, double.NaN, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e-310, 1e-310, -3.0, 700.0];

    private static ulong Bits(double x) => (ulong)BitConverter.DoubleToInt64Bits(x);

    [Fact]
    public void Remembered_logarithms_and_exponentials_are_the_calls_bit_for_bit_at_both_widths()
    {
        var cache256 = default(CallCache256);
        var cache512 = default(CallCache512);
        foreach (double x in Arguments)
        {
            // Lanes differ from one another too, so a broadcast and a mixed vector are both tried.
            var v256 = Vector256.Create(x, x, 1.0, x);
            var v512 = Vector512.Create(x, 2.0, x, x, -x, x, x, 0.5);
            AssertSame(VectorMath.Log(v256), cache256.Log(0, v256));
            AssertSame(VectorMath.Exp(v256), cache256.Exp(1, v256));
            AssertSame(VectorMath.Log(v512), cache512.Log(0, v512));
            AssertSame(VectorMath.Exp(v512), cache512.Exp(3, v512));
        }
    }

    [Fact]
    public void Every_slot_keeps_its_own_call_and_a_slot_past_the_last_is_refused()
    {
        // The four slots side by side with the same argument: each returns its own function's value (a slot that reached
        // another's entry would return a logarithm for an exponential).
        var cache = default(CallCache512);
        var x = Vector512.Create(0.75);
        for (int round = 0; round < 2; round++)
        {
            AssertSame(VectorMath.Log(x), cache.Log(0, x));
            AssertSame(VectorMath.Exp(x), cache.Exp(1, x));
            AssertSame(VectorMath.Log(x + x), cache.Log(2, x + x));
            AssertSame(VectorMath.Exp(-x), cache.Exp(3, -x));
        }

        // The entries are reached by reference, past the inline array's indexer: a hand-written slot number beyond them
        // throws instead of writing past the cache.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => cache.Log(CallCache256.Slots, x));
        Assert.Equal(CallCache256.Slots, error.ActualValue);
        Assert.Throws<ArgumentOutOfRangeException>(() => default(CallCache256).Exp(-1, Vector256.Create(1.0)));
    }

    [Fact]
    public void A_remembered_kernel_call_tells_minus_zero_from_plus_zero()
    {
        // √−0 = −0 and √+0 = +0: equal as doubles, different bits, so a hit on == instead of the bits would be wrong.
        var sqrt = typeof(AutoDiff.Ops).GetNestedType("__SqrtKernel", BindingFlags.Public | BindingFlags.NonPublic)!;
        var value = typeof(CallCache256).GetMethods().Single(m => m.Name == "Value" && m.GetParameters().Length == 2).MakeGenericMethod(sqrt);
        object cache = default(CallCache256);
        var plus = (Vector256<double>)value.Invoke(cache, [0, Vector256.Create(0.0)])!;
        var minus = (Vector256<double>)value.Invoke(cache, [0, Vector256.Create(-0.0)])!;
        Assert.Equal(Bits(0.0), Bits(plus[0]));
        Assert.Equal(Bits(-0.0), Bits(minus[0]));
    }

    [Fact]
    public void A_remembered_two_input_call_is_recomputed_when_either_argument_changes()
    {
        var pow = typeof(AutoDiff.Ops).GetNestedType("__PowKernel", BindingFlags.Public | BindingFlags.NonPublic)!;
        var value = typeof(CallCache256).GetMethods().Single(m => m.Name == "Value" && m.GetParameters().Length == 3).MakeGenericMethod(pow);
        object cache = default(CallCache256);
        (double A, double B)[] calls = [(2.0, 3.0), (2.0, 3.0), (2.0, 4.0), (3.0, 4.0), (3.0, 4.0), (2.0, 3.0)];
        foreach (var (a, b) in calls)
        {
            var result = (Vector256<double>)value.Invoke(cache, [1, Vector256.Create(a), Vector256.Create(b)])!;
            Assert.Equal(AutoDiff.Ops.Pow(a, b), result[0], 12);
        }
    }

    private static void AssertSame(Vector256<double> expected, Vector256<double> actual) =>
        Assert.Equal(expected.AsUInt64(), actual.AsUInt64());

    private static void AssertSame(Vector512<double> expected, Vector512<double> actual) =>
        Assert.Equal(expected.AsUInt64(), actual.AsUInt64());

    [Fact]
    public void The_kernels_that_call_Exp_or_Log_take_the_cache_and_the_others_do_not()
    {
        Assert.True(UsesCache(typeof(DeclaredDensities), "LogNormal", nary: true));
        Assert.True(UsesCache(typeof(FusedFunctions), "PoissonTerm", nary: false));
        Assert.True(UsesCache(typeof(FusedFunctions), "LogExpMix", nary: false));
        Assert.True(UsesCache(typeof(FusedFunctions), "GuardedLog", nary: false));

        // So the backward tests below run the cached ∂/∂y = log λ in the vector loop, not the scalar fallback.
        var poisson = typeof(BinaryCacheProbe<>).MakeGenericType(typeof(FusedFunctions).GetNestedType("__PoissonTermKernel", BindingFlags.Public | BindingFlags.NonPublic)!);
        Assert.True((bool)poisson.GetProperty("IsDerivativeVectorized")!.GetValue(null)!);
        Assert.False(UsesCache(typeof(FusedFunctions), "Blend", nary: true));
    }

    private static bool UsesCache(Type container, string name, bool nary)
    {
        var kernel = container.GetNestedType("__" + name + "Kernel", BindingFlags.Public | BindingFlags.NonPublic)!;
        var probe = (nary ? typeof(NaryCacheProbe<>) : typeof(BinaryCacheProbe<>)).MakeGenericType(kernel);
        return (bool)probe.GetProperty("UsesCallCache")!.GetValue(null)!;
    }

    private static class NaryCacheProbe<TKernel>
        where TKernel : struct, INaryKernel
    {
        public static bool UsesCallCache => TKernel.UsesCallCache;
    }

    private static class BinaryCacheProbe<TKernel>
        where TKernel : struct, IBinaryKernel
    {
        public static bool UsesCallCache => TKernel.UsesCallCache;

        public static bool IsDerivativeVectorized => TKernel.IsDerivativeVectorized;

        public static PartialReads DerivativeAReads => TKernel.DerivativeAReads;
    }

    // σ (or λ) broadcast over the row, one per element in runs of equal values that straddle the vector blocks, and one
    // per element all different: the vector loops (cached) against the scalar loop, forward and backward.
    private static double[] Parameter(string layout, int n, Random random) => layout switch
    {
        "broadcast" => [0.5 + random.NextDouble()],
        "runs" => [.. Enumerable.Range(0, n).Select(i => 0.75 + 0.25 * (i / 5))],
        _ => [.. Enumerable.Range(0, n).Select(_ => 0.5 + random.NextDouble())],
    };

    [Theory]
    [InlineData("broadcast")]
    [InlineData("runs")]
    [InlineData("changing")]
    public void LogNormal_vector_loops_with_the_cache_equal_the_scalar_loop(string layout)
    {
        var random = new Random(layout.Length);
        var loops = LoopsOf(typeof(DeclaredDensities), "LogNormal", nary: true);
        foreach (int width in new[] { 256, 512 })
        {
            foreach (int n in new[] { 1, 7, 8, 9, 23, 64, 67 })
            {
                double[] y = [.. Enumerable.Range(0, n).Select(_ => 4 * random.NextDouble() - 2)];
                double[] mu = [0.3];
                double[] sigma = Parameter(layout, n, random);
                int stepSigma = sigma.Length == 1 ? 0 : 1;
                var scalar = new double[n];
                var vector = new double[n];
                double[][] x = [y, mu, sigma];
                int[] steps = [1, 0, stepSigma];
                loops.Value(x, steps, scalar, 0);
                loops.Value(x, steps, vector, width);
                for (int i = 0; i < n; i++)
                {
                    Assert.True(Ulps(scalar[i], vector[i]) <= 4, $"{layout} width {width} n {n} value [{i}]: {scalar[i]:R} vs {vector[i]:R}");
                }

                double[] dy = [.. Enumerable.Range(0, n).Select(_ => 2 * random.NextDouble() - 1)];
                double[] dMuScalar = [0.0], dMuVector = [0.0];
                var dSigmaScalar = new double[sigma.Length];
                var dSigmaVector = new double[sigma.Length];
                loops.Backward(x, steps, scalar, dy, [[], dMuScalar, dSigmaScalar], 0);
                loops.Backward(x, steps, scalar, dy, [[], dMuVector, dSigmaVector], width);
                Assert.Equal(dMuScalar[0], dMuVector[0], 1e-12 * n);
                for (int i = 0; i < sigma.Length; i++)
                {
                    Assert.Equal(dSigmaScalar[i], dSigmaVector[i], 1e-12 * n);
                }
            }
        }
    }

    [Theory]
    [InlineData("broadcast")]
    [InlineData("runs")]
    [InlineData("changing")]
    public void Partials_calling_different_functions_of_the_same_argument_use_different_slots(string layout)
    {
        // ∂/∂a = log b and ∂/∂b = a/b + eᵇ: were both call sites given one slot, the second would return the first's
        // remembered log b for the same b.
        var random = new Random(layout.Length + 2);
        var loops = LoopsOf(typeof(FusedFunctions), "LogExpMix", nary: false);
        foreach (int width in new[] { 256, 512 })
        {
            foreach (int n in new[] { 2, 8, 17, 40 })
            {
                double[] a = [.. Enumerable.Range(0, n).Select(_ => 2 * random.NextDouble() - 1)];
                double[] b = Parameter(layout, n, random);
                int step = b.Length == 1 ? 0 : 1;
                double[][] x = [a, b];
                int[] steps = [1, step];
                var y = new double[n];
                loops.Value(x, steps, y, 0);
                double[] dy = [.. Enumerable.Range(0, n).Select(_ => 2 * random.NextDouble() - 1)];
                double[][] d = [new double[n], new double[b.Length]];
                loops.Backward(x, steps, y, dy, d, width);
                for (int i = 0; i < n; i++)
                {
                    double bi = b[i * step];
                    Assert.Equal(FusedFunctions.LogExpMix(a[i], bi), y[i], 1e-14);
                    Assert.True(Ulps(dy[i] * Math.Log(bi), d[0][i]) <= 4, $"{layout} width {width} n {n} ∂/∂a [{i}]: {d[0][i]:R}");
                }

                double[] expected = step == 0
                    ? [Enumerable.Range(0, n).Sum(j => dy[j] * (a[j] / b[0] + Math.Exp(b[0])))]
                    : [.. Enumerable.Range(0, n).Select(j => dy[j] * (a[j] / b[j] + Math.Exp(b[j])))];
                for (int i = 0; i < expected.Length; i++)
                {
                    Assert.Equal(expected[i], d[1][i], 1e-12 * n);
                }
            }
        }
    }

    [Theory]
    [InlineData("broadcast")]
    [InlineData("runs")]
    [InlineData("changing")]
    public void A_cached_call_under_an_early_return_equals_the_scalar_loop(string layout)
    {
        // The sign of a changes in runs of 1–12 elements, so the guarded Log runs for some blocks only and its slot is
        // often from an earlier block; b broadcast, in runs, or changing.
        var random = new Random(layout.Length + 3);
        var loops = LoopsOf(typeof(FusedFunctions), "GuardedLog", nary: false);
        foreach (int width in new[] { 256, 512 })
        {
            foreach (int n in new[] { 5, 16, 33, 80 })
            {
                double[] a = new double[n];
                for (int i = 0, run = 0, sign = 1; i < n; i++, run--)
                {
                    if (run == 0)
                    {
                        run = random.Next(1, 13);
                        sign = -sign;
                    }

                    a[i] = sign * (0.1 + random.NextDouble());
                }

                double[] b = Parameter(layout, n, random);
                int step = b.Length == 1 ? 0 : 1;
                double[][] x = [a, b];
                int[] steps = [1, step];
                var scalar = new double[n];
                var vector = new double[n];
                loops.Value(x, steps, scalar, 0);
                loops.Value(x, steps, vector, width);
                double[] dy = [.. Enumerable.Range(0, n).Select(_ => 2 * random.NextDouble() - 1)];
                double[][] ds = [new double[n], new double[b.Length]];
                double[][] dv = [new double[n], new double[b.Length]];
                loops.Backward(x, steps, scalar, dy, ds, 0);
                loops.Backward(x, steps, scalar, dy, dv, width);
                for (int i = 0; i < n; i++)
                {
                    Assert.True(Ulps(scalar[i], vector[i]) <= 4, $"{layout} width {width} n {n} value [{i}]: {scalar[i]:R} vs {vector[i]:R}");
                    Assert.True(Ulps(ds[0][i], dv[0][i]) <= 4, $"{layout} width {width} n {n} ∂/∂a [{i}]: {ds[0][i]:R} vs {dv[0][i]:R}");
                }

                for (int i = 0; i < b.Length; i++)
                {
                    Assert.Equal(ds[1][i], dv[1][i], 1e-12 * n * (1 + Math.Abs(ds[1][i])));
                }
            }
        }
    }

    [Theory]
    [InlineData("broadcast")]
    [InlineData("runs")]
    [InlineData("changing")]
    public void A_two_input_kernel_with_the_cache_equals_the_scalar_loop_and_its_gradient_is_the_closed_form(string layout)
    {
        var random = new Random(layout.Length + 1);
        var loops = LoopsOf(typeof(FusedFunctions), "PoissonTerm", nary: false);
        foreach (int width in new[] { 256, 512 })
        {
            foreach (int n in new[] { 3, 8, 13, 40 })
            {
                double[] y = [.. Enumerable.Range(0, n).Select(i => (double)(i % 4))];
                double[] lambda = Parameter(layout, n, random);
                int step = lambda.Length == 1 ? 0 : 1;
                var scalar = new double[n];
                var vector = new double[n];
                double[][] x = [y, lambda];
                int[] steps = [1, step];
                loops.Value(x, steps, scalar, 0);
                loops.Value(x, steps, vector, width);
                for (int i = 0; i < n; i++)
                {
                    Assert.True(Ulps(scalar[i], vector[i]) <= 4, $"{layout} width {width} n {n} value [{i}]: {scalar[i]:R} vs {vector[i]:R}");
                }

                // ∂/∂y = log λ (a cached call in the backward loop) and ∂/∂λ = y/λ − 1, summed over the row when λ is
                // broadcast: vector against scalar loop, and both against the closed forms.
                double[] dy = [.. Enumerable.Range(0, n).Select(_ => 2 * random.NextDouble() - 1)];
                double[][] dScalar = [new double[n], new double[lambda.Length]];
                double[][] dVector = [new double[n], new double[lambda.Length]];
                loops.Backward(x, steps, scalar, dy, dScalar, 0);
                loops.Backward(x, steps, scalar, dy, dVector, width);
                for (int i = 0; i < n; i++)
                {
                    Assert.True(Ulps(dScalar[0][i], dVector[0][i]) <= 4, $"{layout} width {width} n {n} ∂/∂y [{i}]: {dScalar[0][i]:R} vs {dVector[0][i]:R}");
                    Assert.Equal(dy[i] * Math.Log(lambda[i * step]), dVector[0][i], 1e-14);
                }

                for (int i = 0; i < lambda.Length; i++)
                {
                    Assert.Equal(dScalar[1][i], dVector[1][i], 1e-12 * n);
                    double expected = step == 0
                        ? Enumerable.Range(0, n).Sum(j => dy[j] * (y[j] / lambda[0] - 1))
                        : dy[i] * (y[i] / lambda[i] - 1);
                    Assert.Equal(expected, dVector[1][i], 1e-12 * n);
                }
            }
        }

        // Through the tape, Σ (yᵢ log λ − λ) with λ a rank-0 leaf: ∂/∂λ = Σ yᵢ/λ − n (closed form).
        double[] counts = [.. Enumerable.Range(0, 37).Select(i => (double)(i % 5))];
        var (value, gradients) = AD.ValueAndGrad(p => AutoDiff.Ops.Sum(FusedFunctions.PoissonTerm(Tensor.Vector(counts), p[0])), Tensor.Scalar(1.7));
        Assert.Equal(counts.Sum(c => c * Math.Log(1.7) - 1.7), value, 1e-12);
        Assert.Equal(counts.Sum() / 1.7 - counts.Length, gradients[0].Item(), 1e-12);
    }

    [Theory]
    [InlineData(typeof(FusedFunctions), "PoissonTerm", 1.7)]
    [InlineData(typeof(FusedFunctions), "PoissonTerm", 1e-310)]
    [InlineData(typeof(FusedFunctions), "PoissonTerm", 0.0)]
    [InlineData(typeof(FusedFunctions), "LogExpMix", 0.6)]
    [InlineData(typeof(FusedFunctions), "LogExpMix", -1.0)]
    [InlineData(typeof(FusedFunctions), "LogExpMix", 700.0)]
    public void A_row_invariant_partial_taken_once_per_row_has_the_bits_of_the_cached_partial_per_block(Type container, string name, double b)
    {
        // ∂/∂a reads only b (log λ, log b: a call the cache serves). With b broadcast the backward loop takes ∂/∂a once per
        // row, in a method apart from its loop and without the cache; with b one equal value per element it takes ∂/∂a per
        // block through the cache. The same operations on the same bits: a's adjoints must be the same bits, at both
        // widths, with b constant or variable, added or assigned.
        var kernel = container.GetNestedType("__" + name + "Kernel", BindingFlags.Public | BindingFlags.NonPublic)!;
        var probe = typeof(BinaryCacheProbe<>).MakeGenericType(kernel);
        Assert.Equal(PartialReads.Input1, (PartialReads)probe.GetProperty("DerivativeAReads")!.GetValue(null)!);
        Assert.True(UsesCache(container, name, nary: false));
        var loops = LoopsOf(container, name, nary: false);
        var random = new Random(name.Length);
        foreach (int width in new[] { 256, 512 })
        {
            for (int n = 1; n <= 3 * 8 + 3; n++)
            {
                double[] a = [.. Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 1.0 : 2 * random.NextDouble() - 0.5)];
                double[] dy = [.. Enumerable.Range(0, n).Select(_ => random.Next(4) == 0 ? 0.0 : 2 * random.NextDouble() - 1)];
                double[] broadcast = [b], row = [.. Enumerable.Repeat(b, n)];
                var y = new double[n];
                loops.Value([a, broadcast], [1, 0], y, width);
                foreach (bool variableB in new[] { false, true })
                {
                    foreach (bool assign in new[] { false, true })
                    {
                        double[] start = [.. Enumerable.Range(0, n).Select(_ => random.NextDouble())];
                        double[] once = assign ? new double[n] : (double[])start.Clone(), perBlock = (double[])once.Clone();
                        loops.Backward([a, broadcast], [1, 0], y, dy, [once, variableB ? new double[1] : []], width, assign);
                        loops.Backward([a, row], [1, 1], y, dy, [perBlock, variableB ? new double[n] : []], width, assign);
                        Assert.True(
                            SameBits.ButNaNSign(perBlock, once),
                            $"{name} at b = {b:R}, width {width}, n {n}, b {(variableB ? "variable" : "constant")}, {(assign ? "assigned" : "added")}: " +
                            $"once per row [{string.Join(", ", once.Select(v => v.ToString("R")))}], per block [{string.Join(", ", perBlock.Select(v => v.ToString("R")))}]");
                    }
                }
            }
        }
    }

    private static ILoops LoopsOf(Type container, string name, bool nary) =>
        (ILoops)Activator.CreateInstance((nary ? typeof(NaryLoops<>) : typeof(BinaryLoops<>)).MakeGenericType(
            container.GetNestedType("__" + name + "Kernel", BindingFlags.Public | BindingFlags.NonPublic)!))!;

    // The generated kernels are private to their classes: reached through reflection, run through the driver loops.
    private interface ILoops
    {
        void Value(double[][] x, int[] steps, double[] y, int width);

        void Backward(double[][] x, int[] steps, double[] y, double[] dy, double[][] dx, int width);

        // The first input's adjoints assigned instead of added to (a binary kernel's input with a value per element).
        void Backward(double[][] x, int[] steps, double[] y, double[] dy, double[][] dx, int width, bool assignFirst) =>
            throw new NotSupportedException();
    }

    private sealed class NaryLoops<TKernel> : ILoops
        where TKernel : struct, INaryKernel
    {
        public void Value(double[][] x, int[] steps, double[] y, int width) =>
            ElementwiseLoops.NaryValue<TKernel>(x[0], steps[0], x[1], steps[1], x[2], steps[2], [], 0, y, width);

        public void Backward(double[][] x, int[] steps, double[] y, double[] dy, double[][] dx, int width) =>
            ElementwiseLoops.NaryBackward<TKernel>(x[0], steps[0], x[1], steps[1], x[2], steps[2], [], 0, y, dy, dx[0], dx[1], dx[2], [], width);
    }

    private sealed class BinaryLoops<TKernel> : ILoops
        where TKernel : struct, IBinaryKernel
    {
        public void Value(double[][] x, int[] steps, double[] y, int width) =>
            ElementwiseLoops.BinaryValue<TKernel>(x[0], steps[0], x[1], steps[1], y, width);

        public void Backward(double[][] x, int[] steps, double[] y, double[] dy, double[][] dx, int width) =>
            ElementwiseLoops.BinaryBackward<TKernel>(x[0], steps[0], x[1], steps[1], y, dy, dx[0], dx[1], width);

        public void Backward(double[][] x, int[] steps, double[] y, double[] dy, double[][] dx, int width, bool assignFirst) =>
            ElementwiseLoops.BinaryBackward<TKernel>(x[0], steps[0], x[1], steps[1], y, dy, dx[0], dx[1], width, assignFirst);
    }
}
