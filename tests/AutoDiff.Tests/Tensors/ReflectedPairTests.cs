using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// The compiled trace's pass that computes f(z) and f(−z) in one loop (<see cref="ReflectedPairs"/>): which traces it
/// fuses, and that a fused trace replays to the bits of a fresh recording whose ops each ran their own loop
/// (<see cref="SeparateLoops"/>), and to the closed form.
/// </summary>
public class ReflectedPairTests
{
    // z (6×5, with ±0 and huge values among ordinary ones), labels y (6), and w (5×4) for a z computed as X·w.
    internal static Tensor[] Inputs(Random random) =>
    [
        Tensor.FromArray([.. Enumerable.Range(0, 30).Select(i => (i % 11) switch { 0 => 0.0, 1 => -0.0, 2 => 750.0, 3 => -750.0, _ => 6 * random.NextDouble() - 3 })], 6, 5),
        Tensor.Vector([.. Enumerable.Range(0, 6).Select(_ => (double)random.Next(2))]),
        Tensor.FromArray([.. Enumerable.Range(0, 20).Select(_ => random.NextDouble() - 0.5)], 5, 4),
    ];

    public static TheoryData<string, int> Traces => new()
    {
        // The logistic log-likelihood: LogSigmoid at z and at −z; −z read by nothing else, z by nothing else: the
        // negation is neither computed nor swept, f(−z)'s backward adds into z.
        { "y·LogSigmoid(z) + (1 − y)·LogSigmoid(−z)", 1 },

        // The same with z = X·w, a product whose adjoints are cleared lazily (30 elements): the fused backward is its
        // first writer in each sweep.
        { "logistic term of z = X·w", 1 },

        // Two pairs on two inputs.
        { "two logistic terms", 2 },

        // The reflection first in the trace; and −z also read by another op, so it is still computed.
        { "Softplus(−z) then Softplus(z), −z read again", 1 },

        // z read by other ops: −z is not computed, but its backward stays, so that it adds into z's adjoints in the
        // sweep's order (moved to f(−z)'s place, it would be added before the ops recorded between −z and f(−z)).
        { "LogSigmoid pair, z read again", 1 },
        { "LogSigmoid pair, z read between −z and f(−z)", 1 },

        // −z and z read again through views (Reshape shares their memory): the negation stays, forward and backward.
        { "LogSigmoid pair, −z read through a view", 1 },
        { "LogSigmoid pair, z read through a view", 1 },

        // −z is the function's value (f(z) and f(−z) recorded but unused): the negation stays.
        { "the output is −z", 1 },

        // Sigmoid and a user's declared function (FusedFunctions.LogCosh) have reflections too.
        { "Sigmoid and LogCosh pairs", 2 },

        // Different functions at z and −z, a −z that is not a negation (0 − z), a function that keeps no partials (Abs):
        // nothing to share, nothing fused.
        { "unpaired", 0 },
    };

    internal static Tensor Trace(string name, Tensor[] p)
    {
        Tensor z = p[0], y = p[1].Reshape(6, 1);
        switch (name)
        {
            case "y·LogSigmoid(z) + (1 − y)·LogSigmoid(−z)":
                return Sum(y * LogSigmoid(z) + (1.0 - y) * LogSigmoid(-z));
            case "logistic term of z = X·w":
                var xw = Tensor.FromArray([.. Enumerable.Range(0, 40).Select(i => Math.Sin(0.3 * i))], 10, 4).MatMul(p[2].T);
                return Sum(LogSigmoid(xw) * 0.25 + LogSigmoid(-xw));
            case "two logistic terms":
                var w = p[2];
                return Sum(y * LogSigmoid(z) + (1.0 - y) * LogSigmoid(-z)) + Sum(LogSigmoid(w) * 2.0 + LogSigmoid(-w));
            case "Softplus(−z) then Softplus(z), −z read again":
                var minusZ = -z;
                return Sum(Softplus(minusZ) * y) + Sum(Square(minusZ)) - Sum(Softplus(z));
            case "LogSigmoid pair, z read again":
                return Sum(LogSigmoid(z) * y + LogSigmoid(-z)) + Sum(Square(z) * y);
            case "LogSigmoid pair, z read between −z and f(−z)":
                var nz = -z;
                var square = Square(z);
                var exp = Exp(z * 0.3);
                return Sum(LogSigmoid(z) * y + LogSigmoid(nz) + square * y + exp);
            case "LogSigmoid pair, −z read through a view":
                var negated = -z;
                return Sum(LogSigmoid(z) * y + LogSigmoid(negated)) + Sum(Square(negated.Reshape(30)));
            case "LogSigmoid pair, z read through a view":
                return Sum(LogSigmoid(z) * y + LogSigmoid(-z)) + Sum(Square(z.Reshape(5, 6)));
            case "the output is −z":
                var total = Sum(z * 0.1);
                _ = LogSigmoid(total);
                var negatedTotal = -total;
                _ = LogSigmoid(negatedTotal);
                return negatedTotal;
            case "Sigmoid and LogCosh pairs":
                return Sum(Sigmoid(z) * Sigmoid(-z) * y) + Sum(FusedFunctions.LogCosh(-z) - FusedFunctions.LogCosh(z) * y);
            default:
                return Sum(LogSigmoid(z) + Softplus(-z)) + Sum(Sigmoid(z) * Sigmoid(0.0 - z)) + Sum(Abs(z) * Abs(-z));
        }
    }

    [Theory]
    [MemberData(nameof(Traces))]
    public void A_fused_trace_replays_to_the_bits_of_a_fresh_recording(string name, int pairs)
    {
        var random = new Random(StableSeed.Of(name));
        var compiled = AD.Compile(p => Trace(name, p), Inputs(random));
        Assert.Equal(pairs, compiled.ReflectedPairCount);
        for (int trial = 0; trial < 4; trial++)
        {
            var inputs = Inputs(random);
            var (value, gradients) = compiled.ValueAndGrad(inputs);
            var (expectedValue, expected) = SeparateLoops.ValueAndGrad(p => Trace(name, p), inputs);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expectedValue), BitConverter.DoubleToInt64Bits(value));
            for (int k = 0; k < inputs.Length; k++)
            {
                Assert.Equal(expected[k].ToArray().Select(BitConverter.DoubleToInt64Bits), gradients[k].ToArray().Select(BitConverter.DoubleToInt64Bits));
            }
        }
    }

    [Fact]
    public void The_fused_logistic_gradient_is_the_closed_form()
    {
        // ∂/∂z of y·log σ(z) + (1 − y)·log σ(−z) is y − σ(z), at 103 elements: whole vectors and a tail.
        var random = new Random(7);
        double[] z = [.. Enumerable.Range(0, 103).Select(i => i % 17 == 0 ? 40.0 * (random.NextDouble() - 0.5) : 8 * random.NextDouble() - 4)];
        double[] y = [.. z.Select(_ => (double)random.Next(2))];
        var labels = Tensor.Vector(y);
        var compiled = AD.Compile(p => Sum(labels * LogSigmoid(p[0]) + (1.0 - labels) * LogSigmoid(-p[0])), Tensor.Vector(new double[z.Length]));
        Assert.Equal(1, compiled.ReflectedPairCount);

        var (value, gradients) = compiled.ValueAndGrad(Tensor.Vector(z));
        double expectedValue = 0.0;
        var g = gradients[0].ToArray();
        for (int i = 0; i < z.Length; i++)
        {
            double sigma = 1.0 / (1.0 + Math.Exp(-z[i]));
            expectedValue += y[i] == 1.0 ? -Math.Log(1.0 + Math.Exp(-z[i])) : -Math.Log(1.0 + Math.Exp(z[i]));
            Assert.True(Math.Abs(g[i] - (y[i] - sigma)) <= 4e-16, $"element {i}, z = {z[i]:R}, y = {y[i]}: {g[i]:R}, closed form {y[i] - sigma:R}");
        }

        Assert.Equal(expectedValue, value, 1e-12 * Math.Abs(expectedValue));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(15)]
    [InlineData(17)]
    public void Short_tensors_and_NaN_replay_to_a_fresh_recording_but_for_a_NaN_sign(int n)
    {
        // Below 16 elements −z's adjoints are not lazily cleared; a NaN's sign may differ (ȳ·(−p) against (ȳ·p)·(−1)).
        var random = new Random(n);
        Tensor[] Inputs(bool withNaN) =>
        [
            Tensor.Vector([.. Enumerable.Range(0, n).Select(i => withNaN && i == n / 2 ? double.NaN : 8 * random.NextDouble() - 4)]),
            Tensor.Vector([.. Enumerable.Range(0, n).Select(_ => (double)random.Next(2))]),
        ];
        static Tensor F(Tensor[] p) => Sum(p[1] * LogSigmoid(p[0]) + (1.0 - p[1]) * LogSigmoid(-p[0]));
        var compiled = AD.Compile(F, Inputs(false));
        Assert.Equal(1, compiled.ReflectedPairCount);
        foreach (bool withNaN in new[] { false, true, false })
        {
            var inputs = Inputs(withNaN);
            var (value, gradients) = compiled.ValueAndGrad(inputs);
            var (expectedValue, expected) = SeparateLoops.ValueAndGrad(F, inputs);
            Assert.True(SameBits.ButNaNSign(expectedValue, value), $"n = {n}: value {value:R}, fresh recording {expectedValue:R}");
            for (int k = 0; k < inputs.Length; k++)
            {
                double[] e = expected[k].ToArray(), g = gradients[k].ToArray();
                for (int i = 0; i < n; i++)
                {
                    Assert.True(SameBits.ButNaNSign(e[i], g[i]), $"n = {n}, NaN {withNaN}, input {k}[{i}]: {g[i]:R}, fresh recording {e[i]:R}");
                }
            }
        }
    }
}
