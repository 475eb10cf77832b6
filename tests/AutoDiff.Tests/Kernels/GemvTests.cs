using System;
using System.Runtime.Intrinsics;
using AutoDiff.Kernels;
using Xunit;

namespace AutoDiff.Tests.Kernels;

public class GemvTests
{
    private static readonly int[] Widths = Vector512.IsHardwareAccelerated ? [512, 256, 0] : Vector256.IsHardwareAccelerated ? [256, 0] : [0];

    private static double[] Random(Random random, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = 2 * random.NextDouble() - 1;
        }

        return values;
    }

    public static TheoryData<int, int> Shapes() => new()
    {
        { 0, 0 }, { 0, 5 }, { 5, 0 }, { 1, 1 }, { 1, 17 }, { 17, 1 }, { 3, 7 }, { 4, 8 }, { 5, 9 }, { 7, 15 }, { 8, 16 },
        { 9, 17 }, { 11, 31 }, { 13, 33 }, { 4, 63 }, { 37, 64 }, { 41, 65 }, { 101, 257 }, { 300, 129 },
        { 23, 5 }, { 6, 7 }, { 569, 6 }, { 130, 2 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Both_forms_match_the_plain_loop_overwriting_and_accumulating(int m, int n)
    {
        var random = new Random(m * 1000 + n);
        var a = Random(random, m * n);
        foreach (bool transposeA in new[] { false, true })
        {
            int xLength = transposeA ? m : n, yLength = transposeA ? n : m;
            var x = Random(random, xLength);
            var y0 = Random(random, yLength);
            var expected = new double[yLength];
            var bound = new double[yLength];
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double term = a[i * n + j] * (transposeA ? x[i] : x[j]);
                    expected[transposeA ? j : i] += term;
                    bound[transposeA ? j : i] += Math.Abs(term);
                }
            }

            int length = transposeA ? m : n;
            foreach (int width in Widths)
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    var y = accumulate ? (double[])y0.Clone() : new double[yLength];
                    if (!accumulate)
                    {
                        Array.Fill(y, double.NaN);
                    }

                    Gemv.Multiply(a, x, y, m, n, transposeA, accumulate, width);
                    for (int i = 0; i < yLength; i++)
                    {
                        double want = accumulate ? y0[i] + expected[i] : expected[i];
                        double tolerance = 2 * (length + 2) * Math.Pow(2, -52) * (bound[i] + Math.Abs(want));
                        Assert.True(Math.Abs(y[i] - want) <= tolerance,
                            $"{m}×{n} tA={transposeA} acc={accumulate} width={width}: y[{i}] = {y[i]:R}, expected {want:R}");
                    }
                }
            }
        }
    }

    [Fact]
    public void A_NaN_in_A_reaches_exactly_its_row_of_y_and_for_Aᵀx_its_column()
    {
        const int m = 13, n = 21;
        var random = new Random(3);
        var a = Random(random, m * n);
        a[6 * n + 18] = double.NaN;
        foreach (int width in Widths)
        {
            var y = new double[m];
            Gemv.Multiply(a, Random(random, n), y, m, n, false, false, width);
            for (int i = 0; i < m; i++)
            {
                Assert.Equal(i == 6, double.IsNaN(y[i]));
            }

            var yt = new double[n];
            Gemv.Multiply(a, Random(random, m), yt, m, n, true, false, width);
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(j == 18, double.IsNaN(yt[j]));
            }
        }
    }

    [Fact]
    public void Wrong_lengths_throw_and_the_message_names_every_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => Gemv.Multiply(new double[6], new double[3], new double[3], 2, 3));
        Assert.Contains("y (2) = A·x with A 2×3 and x (3)", error.Message);
        Assert.Contains("got A 6, x 3, y 3", error.Message);

        var transposed = Assert.Throws<ArgumentException>(() => Gemv.Multiply(new double[6], new double[3], new double[3], 2, 3, transposeA: true));
        Assert.Contains("Aᵀ·x with A 2×3 and x (2)", transposed.Message);

        var buffer = new double[10];
        Assert.Throws<ArgumentException>(() => Gemv.Multiply(buffer.AsSpan(0, 6), buffer.AsSpan(6, 3), buffer.AsSpan(5, 2), 2, 3));
    }

    [Fact]
    public void The_transposed_product_is_the_row_by_row_fused_sum_at_every_width_and_wherever_y_lies()
    {
        // y += Aᵀx adds row after row into each element with one fused multiply-add per row, whatever the width and
        // whether y is held in registers (n ≤ 4 vectors) or written back every four rows; and y's position in memory
        // changes nothing (the tape's gradient of θ lies anywhere in its adjoint array).
        var random = new Random(11);
        foreach (int m in new[] { 0, 1, 3, 4, 5, 37 })
        {
            for (int n = 8; n <= 40; n++)
            {
                var a = Random(random, m * n);
                var x = Random(random, m);
                var y0 = Random(random, n);
                var expected = (double[])y0.Clone();
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        expected[j] = Math.FusedMultiplyAdd(a[i * n + j], x[i], expected[j]);
                    }
                }

                foreach (int width in Widths)
                {
                    for (int offset = 0; offset < 8; offset++)
                    {
                        var buffer = new double[n + 8];
                        y0.CopyTo(buffer, offset);
                        Gemv.Multiply(a, x, buffer.AsSpan(offset, n), m, n, transposeA: true, accumulate: true, width);
                        for (int j = 0; j < n; j++)
                        {
                            Assert.True(
                                BitConverter.DoubleToInt64Bits(expected[j]) == BitConverter.DoubleToInt64Bits(buffer[offset + j]),
                                $"{m}×{n} width {width}, y at offset {offset}: y[{j}] = {buffer[offset + j]:R}, row by row {expected[j]:R}");
                        }
                    }
                }
            }
        }
    }
}
