using System;
using System.Collections.Generic;
using System.Runtime;
using System.Runtime.Intrinsics;
using System.Threading;
using AutoDiff.Kernels;
using Xunit;

namespace AutoDiff.Tests.Kernels;

public class GemmTests
{
    /// <summary>Both micro-kernels where the hardware runs both; the Vector256 one everywhere.</summary>
    public static IEnumerable<bool> Kernels => Vector512.IsHardwareAccelerated ? [true, false] : [false];

    public static TheoryData<int, int, int> Shapes()
    {
        var shapes = new TheoryData<int, int, int>
        {
            { 1, 1, 1 }, { 1, 1, 7 }, { 1, 9, 1 }, { 9, 1, 1 }, { 1, 23, 19 }, { 23, 1, 19 }, { 23, 19, 1 },
            { 2, 3, 5 }, { 7, 11, 13 }, { 13, 17, 19 }, { 31, 37, 41 },
            // Just below, at and above the micro-tiles (12×16 and 6×8) and their multiples.
            { 5, 7, 3 }, { 6, 8, 4 }, { 7, 9, 5 }, { 11, 15, 6 }, { 12, 16, 8 }, { 13, 17, 9 }, { 23, 31, 10 }, { 25, 33, 11 },
            // Around the blocks: MC = 144 rows, KC = 512 steps of k.
            { 143, 20, 30 }, { 145, 18, 30 }, { 20, 21, 511 }, { 14, 17, 513 }, { 5, 9, 1025 },
            // Past NC = 2048 columns.
            { 3, 2049, 5 },
        };
        return shapes;
    }

    private static double[] Random(Random random, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = 2 * random.NextDouble() - 1;
        }

        return values;
    }

    /// <summary>The oracle: a plain triple loop over op(A) and op(B), with the bound k·ε·Σ|a||b| per element.</summary>
    private static (double[] Product, double[] Bound) Naive(double[] a, double[] b, int m, int n, int k, bool transposeA, bool transposeB)
    {
        var product = new double[m * n];
        var bound = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = transposeA ? a[p * m + i] : a[i * k + p];
                    double y = transposeB ? b[j * k + p] : b[p * n + j];
                    sum += x * y;
                    magnitude += Math.Abs(x * y);
                }

                product[i * n + j] = sum;
                bound[i * n + j] = 2 * (k + 1) * double.Epsilon + 2 * (k + 1) * Math.Pow(2, -52) * magnitude;
            }
        }

        return (product, bound);
    }

    private static void AssertClose(double[] expected, double[] bound, double[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]);
            Assert.True(error <= bound[i], $"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R} (error {error:E2} > bound {bound[i]:E2}).");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_shape_and_transpose_combination_matches_the_triple_loop(int m, int n, int k)
    {
        var random = new Random(m * 1_000_003 + n * 1009 + k);
        var a = Random(random, m * k);
        var b = Random(random, k * n);
        foreach (bool wide in Kernels)
        {
            foreach (bool transposeA in new[] { false, true })
            {
                foreach (bool transposeB in new[] { false, true })
                {
                    var (expected, bound) = Naive(a, b, m, n, k, transposeA, transposeB);
                    var c = new double[m * n];
                    Array.Fill(c, double.NaN); // overwritten, never read, when not accumulating
                    Gemm.Multiply(a, b, c, m, n, k, transposeA, transposeB, accumulate: false, maxThreads: 1, wide);
                    AssertClose(expected, bound, c, $"{m}×{n}×{k} tA={transposeA} tB={transposeB} wide={wide}");
                }
            }
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(13, 17, 19)]
    [InlineData(40, 33, 600)]
    public void Accumulate_adds_the_product_to_what_C_holds(int m, int n, int k)
    {
        var random = new Random(7);
        var a = Random(random, m * k);
        var b = Random(random, k * n);
        var c0 = Random(random, m * n);
        foreach (bool wide in Kernels)
        {
            foreach (bool transposeA in new[] { false, true })
            {
                foreach (bool transposeB in new[] { false, true })
                {
                    var (product, bound) = Naive(a, b, m, n, k, transposeA, transposeB);
                    var c = (double[])c0.Clone();
                    Gemm.Multiply(a, b, c, m, n, k, transposeA, transposeB, accumulate: true, maxThreads: 1, wide);
                    var expected = new double[m * n];
                    for (int i = 0; i < expected.Length; i++)
                    {
                        expected[i] = c0[i] + product[i];
                        bound[i] += 2 * Math.Pow(2, -52) * Math.Abs(expected[i]);
                    }

                    AssertClose(expected, bound, c, $"accumulate {m}×{n}×{k} tA={transposeA} tB={transposeB} wide={wide}");
                }
            }
        }
    }

    [Fact]
    public void A_large_random_product_matches_on_one_thread_and_on_two()
    {
        const int m = 300, n = 257, k = 129;
        var random = new Random(300);
        var a = Random(random, m * k);
        var b = Random(random, k * n);
        foreach (bool transposeA in new[] { false, true })
        {
            foreach (bool transposeB in new[] { false, true })
            {
                var (expected, bound) = Naive(a, b, m, n, k, transposeA, transposeB);
                foreach (int threads in new[] { 1, 2 })
                {
                    var c = new double[m * n];
                    Gemm.Multiply(a, b, c, m, n, k, transposeA, transposeB, maxThreads: threads);
                    AssertClose(expected, bound, c, $"{m}×{n}×{k} tA={transposeA} tB={transposeB} threads={threads}");
                }
            }
        }
    }

    [Fact]
    public void K_of_zero_gives_zeros_or_leaves_C_when_accumulating()
    {
        var c = new[] { 1.0, double.NaN, 3, 4, 5, 6 };
        Gemm.Multiply([], [], c, 2, 3, 0, accumulate: true);
        Assert.Equal(3.0, c[2]);
        Assert.True(double.IsNaN(c[1]));
        Gemm.Multiply([], [], c, 2, 3, 0);
        Assert.All(c, value => Assert.Equal(0.0, value));
    }

    [Theory]
    [InlineData(13, 17, 19, 5, 1)]
    [InlineData(150, 140, 200, 149, 2)]
    public void A_NaN_or_infinity_in_A_reaches_exactly_its_row_of_C(int m, int n, int k, int row, int threads)
    {
        var random = new Random(11);
        var b = Random(random, k * n);
        for (int i = 0; i < b.Length; i++)
        {
            b[i] = Math.Abs(b[i]) + 0.5; // positive, so ∞ stays ∞
        }

        foreach (double poison in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            foreach (bool transposeA in new[] { false, true })
            {
                foreach (bool transposeB in new[] { false, true })
                {
                    var a = Random(random, m * k);
                    a[transposeA ? 3 * m + row : row * k + 3] = poison;
                    var bStored = transposeB ? Transpose(b, k, n) : b;
                    var c = new double[m * n];
                    Gemm.Multiply(a, bStored, c, m, n, k, transposeA, transposeB, maxThreads: threads);
                    for (int i = 0; i < m; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            double value = c[i * n + j];
                            if (i == row)
                            {
                                Assert.True(double.IsNaN(poison) ? double.IsNaN(value) : value == poison, $"C[{i},{j}] = {value} for {poison}");
                            }
                            else
                            {
                                Assert.True(double.IsFinite(value), $"C[{i},{j}] = {value}: the {poison} leaked out of row {row}");
                            }
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void A_NaN_in_B_reaches_exactly_its_column_of_C()
    {
        const int m = 29, n = 35, k = 21, column = 33;
        var random = new Random(12);
        var a = Random(random, m * k);
        var b = Random(random, k * n);
        b[4 * n + column] = double.NaN;
        var c = new double[m * n];
        Gemm.Multiply(a, b, c, m, n, k);
        for (int i = 0; i < m * n; i++)
        {
            Assert.Equal(i % n == column, double.IsNaN(c[i]));
        }
    }

    private static double[] Transpose(double[] x, int rows, int columns)
    {
        var t = new double[x.Length];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                t[j * rows + i] = x[i * columns + j];
            }
        }

        return t;
    }

    [Fact]
    public void The_result_has_the_same_bits_for_any_thread_count()
    {
        const int m = 250, n = 333, k = 600;
        var random = new Random(5);
        var a = Random(random, m * k);
        var b = Random(random, k * n);
        foreach (bool wide in Kernels)
        {
            foreach (bool transposeB in new[] { false, true })
            {
                var one = new double[m * n];
                Gemm.Multiply(a, b, one, m, n, k, false, transposeB, false, 1, wide);
                foreach (int threads in new[] { 2, 3, 0 })
                {
                    var many = new double[m * n];
                    Gemm.Multiply(a, b, many, m, n, k, false, transposeB, false, threads, wide);
                    Assert.True(one.AsSpan().SequenceEqual(many), $"threads={threads} tB={transposeB} wide={wide} changed bits");
                }
            }
        }
    }

    [Fact]
    public void The_parallel_path_is_right_while_the_GC_compacts_and_moves_the_operands()
    {
        const int m = 140, n = 150, k = 160;
        var random = new Random(6);
        var expected = new double[m * n];
        var a0 = Random(random, m * k);
        var b0 = Random(random, k * n);
        Gemm.Multiply(a0, b0, expected, m, n, k, maxThreads: 1);

        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                Thread.Sleep(1);
            }
        });
        collector.Start();
        try
        {
            var deadline = DateTime.UtcNow.AddMilliseconds(400);
            while (DateTime.UtcNow < deadline)
            {
                // Garbage before the operands, so that compaction has somewhere to move them.
                _ = new double[20_000];
                var a = (double[])a0.Clone();
                _ = new double[20_000];
                var b = (double[])b0.Clone();
                _ = new double[20_000];
                var c = new double[m * n];
                Gemm.Multiply(a, b, c, m, n, k, maxThreads: 2);
                Assert.True(expected.AsSpan().SequenceEqual(c), "the product changed while the GC ran");
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }

    [Fact]
    public void Steady_state_single_threaded_products_allocate_nothing()
    {
        const int m = 70, n = 50, k = 90;
        var a = new double[m * k];
        var b = new double[k * n];
        var c = new double[m * n];
        Gemm.Multiply(a, b, c, m, n, k, true, true, maxThreads: 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Gemm.Multiply(a, b, c, m, n, k, true, true, maxThreads: 1);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Wrong_lengths_throw_and_the_message_names_every_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new double[6], new double[12], new double[7], 2, 4, 3));
        Assert.Contains("C (2×4)", error.Message);
        Assert.Contains("op(A) (2×3)", error.Message);
        Assert.Contains("op(B) (3×4)", error.Message);
        Assert.Contains("got A 6, B 12, C 7", error.Message);

        var transposed = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new double[6], new double[11], new double[8], 2, 4, 3, true, true));
        Assert.Contains("Aᵀ with A 3×2", transposed.Message);
        Assert.Contains("Bᵀ with B 4×3", transposed.Message);

        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply([], [], [], -1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(new double[1], new double[1], new double[1], 1, 1, 1, maxThreads: -1));
    }

    [Fact]
    public void C_overlapping_an_operand_is_refused()
    {
        var buffer = new double[8];
        var error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(buffer.AsSpan(0, 4), buffer.AsSpan(4, 4), buffer.AsSpan(2, 4), 2, 2, 2));
        Assert.Contains("overlaps", error.Message);
    }
}
