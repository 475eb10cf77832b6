using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using Xunit;
using static AutoDiff.Tests.Ulp;
using Xunit.Abstractions;

namespace AutoDiff.Tests.Simd;

/// <summary>
/// <see cref="VectorMath.Log(Vector256{double})"/> and its 512-bit twin against <see cref="Math.Log(double)"/>: within
/// 1 ulp over the whole double range (random bit patterns, i.e. log-uniform over every exponent, values near 1,
/// subnormals, powers of two and their neighbours), and Math.Log's special values exactly; likewise
/// <see cref="VectorMath.Exp(Vector256{double})"/> against <see cref="Math.Exp(double)"/> (whole range, tiny arguments,
/// subnormal results, overflow and underflow thresholds).
/// </summary>
public class VectorMathTests(ITestOutputHelper output)
{
    private const long MaxUlps = 1;

    public static IEnumerable<object[]> Sets() =>
        new[] { "log-uniform", "near 1", "subnormal", "powers of two", "moderate" }.Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Sets))]
    public void Log_is_within_one_ulp_of_Math_Log(string set)
    {
        double[] x = Inputs(set);
        foreach (int width in new[] { 256, 512 })
        {
            double[] y = Evaluate(x, width);
            long worst = 0;
            int worstAt = 0, differing = 0;
            for (int i = 0; i < x.Length; i++)
            {
                long d = Ulps(Math.Log(x[i]), y[i]);
                differing += d == 0 ? 0 : 1;
                if (d > worst)
                {
                    (worst, worstAt) = (d, i);
                }
            }

            output.WriteLine($"{set}, {width} bits: {x.Length} values, {differing} differ from Math.Log, worst {worst} ulp at {x[worstAt]:R}");
            Assert.True(
                worst <= MaxUlps,
                $"{set}, width {width}: Log({x[worstAt]:R}) = {y[worstAt]:R}, Math.Log = {Math.Log(x[worstAt]):R} ({worst} ulp)");
        }
    }

    [Fact]
    public void Log_has_the_special_values_of_Math_Log()
    {
        double[] x =
        [
            0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, -double.NaN, -1.0, -double.Epsilon,
            -1e-310, double.MinValue, double.Epsilon, 1e-310, 1.0, 2.0, 0.5, double.MaxValue, Math.E,
            BitConverter.UInt64BitsToDouble(0x000fffffffffffffUL), BitConverter.UInt64BitsToDouble(0x0010000000000000UL),
            BitConverter.UInt64BitsToDouble(0x7ff0000000000001UL), BitConverter.UInt64BitsToDouble(0xfff8000000000001UL),
        ];
        foreach (int width in new[] { 256, 512 })
        {
            // Every special in every lane position, next to ordinary values.
            for (int shift = 0; shift < 8; shift++)
            {
                double[] rotated = [.. x.Skip(shift), .. x.Take(shift)];
                double[] y = Evaluate(rotated, width);
                for (int i = 0; i < rotated.Length; i++)
                {
                    double expected = Math.Log(rotated[i]);
                    Assert.True(
                        double.IsNaN(expected) ? double.IsNaN(y[i]) : expected == y[i] && double.IsNegative(expected) == double.IsNegative(y[i]),
                        $"width {width}: Log({rotated[i]:R}) = {y[i]:R}, Math.Log = {expected:R}");
                }
            }
        }

        Assert.Equal(0.0, Evaluate([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], 256)[0]);
        Assert.False(double.IsNegative(Evaluate([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], 512)[0]));
    }

    public static IEnumerable<object[]> ExpSets() =>
        new[] { "whole range", "near 0", "subnormal results", "moderate", "reduction edges" }.Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(ExpSets))]
    public void Exp_is_within_one_ulp_of_Math_Exp(string set)
    {
        var random = new Random(StableSeed.Of(set) ^ 54321);
        double[] x = set switch
        {
            "whole range" => [.. Enumerable.Range(0, 1_000_000).Select(_ => -746.0 + 1457.0 * random.NextDouble())],
            "near 0" => [.. Enumerable.Range(0, 200_000).Select(i => (i % 2 == 0 ? 1 : -1) * Math.ScaleB(1 + random.NextDouble(), -random.Next(1, 1075)))],
            "subnormal results" => [.. Enumerable.Range(0, 200_000).Select(_ => -745.2 + 37.0 * random.NextDouble())],

            // x = k·ln2 + r with |r| near ln2/2, the ends of the polynomial's interval, where its error is largest: a
            // dropped term or a wrong coefficient shows here first.
            "reduction edges" => [.. Enumerable.Range(0, 400_000).Select(i =>
                (random.Next(-1074, 1024) + (i % 2 == 0 ? 0.5 : -0.5) * (1 - 0.2 * random.NextDouble())) * Math.Log(2.0))],
            _ => [.. Enumerable.Range(0, 600_000).Select(_ => 80 * random.NextDouble() - 40)],
        };
        foreach (int width in new[] { 256, 512 })
        {
            double[] y = Evaluate(x, width, exp: true);
            long worst = 0;
            int worstAt = 0, differing = 0;
            for (int i = 0; i < x.Length; i++)
            {
                long d = Ulps(Math.Exp(x[i]), y[i]);
                differing += d == 0 ? 0 : 1;
                if (d > worst)
                {
                    (worst, worstAt) = (d, i);
                }
            }

            output.WriteLine($"Exp {set}, {width} bits: {x.Length} values, {differing} differ from Math.Exp, worst {worst} ulp at {x[worstAt]:R}");
            Assert.True(
                worst <= MaxUlps,
                $"{set}, width {width}: Exp({x[worstAt]:R}) = {y[worstAt]:R}, Math.Exp = {Math.Exp(x[worstAt]):R} ({worst} ulp)");
        }
    }

    [Fact]
    public void Exp_has_the_special_values_of_Math_Exp()
    {
        double[] x =
        [
            0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.MaxValue, double.MinValue,
            709.782712893384, 709.7827128933841, 709.79, 710.0, -708.39641853226408, -745.1332191019411, -745.1332191019412,
            -745.14, -746.0, -1e10, 1e10, double.Epsilon, -double.Epsilon, 1.0, -1.0, Math.Log(2.0),
            BitConverter.UInt64BitsToDouble(0x7ff0000000000001UL),
        ];
        foreach (int width in new[] { 256, 512 })
        {
            for (int shift = 0; shift < 8; shift++)
            {
                double[] rotated = [.. x.Skip(shift), .. x.Take(shift)];
                double[] y = Evaluate(rotated, width, exp: true);
                for (int i = 0; i < rotated.Length; i++)
                {
                    double expected = Math.Exp(rotated[i]);
                    Assert.True(
                        double.IsNaN(expected) ? double.IsNaN(y[i]) : Ulps(expected, y[i]) <= MaxUlps && double.IsFinite(expected) == double.IsFinite(y[i]),
                        $"width {width}: Exp({rotated[i]:R}) = {y[i]:R}, Math.Exp = {expected:R}");
                }
            }

            Assert.Equal(1.0, Evaluate([0.0, -0.0, 0.0, -0.0], width, exp: true)[1]);
        }
    }

    private static double[] Inputs(string set)
    {
        var random = new Random(StableSeed.Of(set) ^ 12345);
        var x = new List<double>();
        switch (set)
        {
            case "log-uniform":
                // Uniform positive bit patterns below +∞: every exponent (subnormals included) equally likely.
                while (x.Count < 1_000_000)
                {
                    ulong bits = (ulong)random.NextInt64() & 0x7fffffffffffffffUL;
                    if (bits < 0x7ff0000000000000UL && bits != 0)
                    {
                        x.Add(BitConverter.UInt64BitsToDouble(bits));
                    }
                }

                break;

            case "near 1":
                for (int k = 1; k <= 17; k++)
                {
                    for (int j = 0; j < 4000; j++)
                    {
                        double delta = Math.Pow(10, -k) * random.NextDouble();
                        x.Add(1 + delta);
                        x.Add(1 - delta);
                    }
                }

                for (long j = 1; j <= 5000; j++)
                {
                    x.Add(BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(1.0) + j));
                    x.Add(BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(1.0) - j));
                }

                // Around the reduction's boundaries √½ and √2.
                foreach (double edge in new[] { Math.Sqrt(0.5), Math.Sqrt(2.0) })
                {
                    for (long j = -2000; j <= 2000; j++)
                    {
                        x.Add(BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(edge) + j));
                    }
                }

                break;

            case "subnormal":
                for (int j = 0; j < 100_000; j++)
                {
                    x.Add(BitConverter.UInt64BitsToDouble(((ulong)random.NextInt64() & 0x000fffffffffffffUL) >> random.Next(52) | 1));
                }

                for (long j = 1; j <= 1000; j++)
                {
                    x.Add(BitConverter.Int64BitsToDouble(j));
                    x.Add(BitConverter.Int64BitsToDouble(0x0010000000000000L - j));
                }

                break;

            case "powers of two":
                for (int e = -1074; e <= 1023; e++)
                {
                    double p = Math.ScaleB(1.0, e);
                    long bits = BitConverter.DoubleToInt64Bits(p);
                    x.Add(p);
                    for (long j = 1; j <= 3; j++)
                    {
                        x.Add(BitConverter.Int64BitsToDouble(bits + j));
                        if (bits - j > 0)
                        {
                            x.Add(BitConverter.Int64BitsToDouble(bits - j));
                        }
                    }
                }

                break;

            case "moderate":
                // Where kernels mostly evaluate it: (0, 10] uniformly, and 1 + e^(−|t|) as Softplus does.
                for (int j = 0; j < 300_000; j++)
                {
                    x.Add(10 * (1 - random.NextDouble()));
                    x.Add(1 + Math.Exp(-40 * random.NextDouble()));
                }

                break;
        }

        return [.. x];
    }

    private static double[] Evaluate(double[] x, int width, bool exp = false)
    {
        int lanes = width / 64;
        double[] padded = new double[(x.Length + lanes - 1) / lanes * lanes];
        Array.Fill(padded, 1.0);
        x.CopyTo(padded, 0);
        double[] y = new double[padded.Length];
        for (int i = 0; i < padded.Length; i += lanes)
        {
            if (width == 256)
            {
                var v = Vector256.Create(padded.AsSpan(i, lanes));
                (exp ? VectorMath.Exp(v) : VectorMath.Log(v)).CopyTo(y.AsSpan(i, lanes));
            }
            else
            {
                var v = Vector512.Create(padded.AsSpan(i, lanes));
                (exp ? VectorMath.Exp(v) : VectorMath.Log(v)).CopyTo(y.AsSpan(i, lanes));
            }
        }

        return y[..x.Length];
    }

}
