using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// AD.Compile: the trace of one call replayed with new inputs gives the gradients of the closed forms and of finite
/// differences at points other than the one it was traced at; what a replay could not repeat throws while tracing.
/// </summary>
public class CompiledGradientTests
{
    // W2's data (WORKLOADS.md) at n = 100, d = 5.
    private const int N = 100, D = 5;

    private static (double[] X, double[] Y) LogisticData()
    {
        var x = new double[N * D];
        var y = new double[N];
        for (int i = 0; i < N; i++)
        {
            double signal = 0.0;
            for (int j = 0; j < D; j++)
            {
                x[i * D + j] = Math.Sin(0.1 * (i * D + j + 1));
                signal += x[i * D + j] * 0.5 * ((j % 3) - 1);
            }

            y[i] = signal > 0.0 ? 1.0 : 0.0;
        }

        return (x, y);
    }

    [Fact]
    public void A_compiled_logistic_gradient_equals_the_closed_form_at_points_it_was_not_traced_at()
    {
        var (x, y) = LogisticData();
        var xt = Tensor.FromArray(x, N, D);
        var yt = Tensor.Vector(y);
        var compiled = AD.Compile(p =>
        {
            var z = xt.MatMul(p[0]);
            return Sum(yt * LogSigmoid(z) + (1.0 - yt) * LogSigmoid(-z));
        }, Tensor.Vector(new double[D]));

        var random = new Random(5);
        for (int trial = 0; trial < 5; trial++)
        {
            double[] theta = [.. Enumerable.Range(0, D).Select(_ => 2 * random.NextDouble() - 1)];
            var (value, gradients) = compiled.ValueAndGrad(Tensor.Vector(theta));

            // LL = Σ y log σ(z) + (1 − y) log(1 − σ(z)), ∇ = Xᵀ(y − σ(Xθ)).
            double expectedValue = 0.0;
            var expected = new double[D];
            for (int i = 0; i < N; i++)
            {
                double z = 0.0;
                for (int j = 0; j < D; j++)
                {
                    z += x[i * D + j] * theta[j];
                }

                double s = 1.0 / (1.0 + Math.Exp(-z));
                expectedValue += y[i] * Math.Log(s) + (1 - y[i]) * Math.Log(1 - s);
                for (int j = 0; j < D; j++)
                {
                    expected[j] += x[i * D + j] * (y[i] - s);
                }
            }

            Assert.Equal(expectedValue, value, 1e-10 * Math.Abs(expectedValue));
            var g = gradients[0].ToArray();
            for (int j = 0; j < D; j++)
            {
                Assert.Equal(expected[j], g[j], 1e-10 * Math.Max(1, Math.Abs(expected[j])));
            }
        }
    }

    // Every kind of recorded operation in one function: elementwise (unary, binary with broadcasting, a declared
    // three-input kernel), MatMul, Linear, transpose, reshape, sums and means along axes, MaxAlong, the softmax family,
    // cross-entropy, row selection, Concat and Stack.
    private static readonly int[] Labels = [2, 0, 1, 1];

    private static Tensor Everything(Tensor[] p)
    {
        Tensor x = p[0], w = p[1], b = p[2];
        var h = Tanh(Linear(x, w, b));                                                 // 4×3
        var z = h.MatMul(w) + Exp(-Square(x)) * 0.5;                                  // 4×2
        var joined = Concat(1, h, z);                                                 // 4×5
        var stacked = Stack(0, Sum(joined, 1), Mean(joined, 1), MaxAlong(joined, 1)); // 3×4
        var blended = FusedFunctions.Blend(Softmax(joined), Sigmoid(joined), LogSoftmax(joined, 0));
        return Sum(stacked.T.Reshape(12)) + CrossEntropy(Linear(joined, Concat(1, w, Square(w), Rows(w.T, 0).Reshape(3, 1))), Labels)
            + Sum(LogSumExp(Rows(blended, 3, 0, 3), 1)) + Mean(Relu(x.T - Rows(b.Reshape(3, 1), 0, 2)));
    }

    private static Tensor[] EverythingInputs(Random random) =>
    [
        Tensor.FromArray([.. Enumerable.Range(0, 8).Select(_ => 2 * random.NextDouble() - 1)], 4, 2),
        Tensor.FromArray([.. Enumerable.Range(0, 6).Select(_ => 2 * random.NextDouble() - 1)], 3, 2),
        Tensor.Vector([.. Enumerable.Range(0, 3).Select(_ => random.NextDouble() - 0.5)]),
    ];

    [Fact]
    public void Every_recorded_operation_replays_to_the_finite_difference_gradient()
    {
        var random = new Random(11);
        var compiled = AD.Compile(Everything, EverythingInputs(random));
        for (int trial = 0; trial < 3; trial++)
        {
            var inputs = EverythingInputs(random);
            var (value, gradients) = compiled.ValueAndGrad(inputs);
            Assert.Equal(Everything(inputs).Item(), value, 1e-12);
            for (int k = 0; k < inputs.Length; k++)
            {
                var point = inputs[k].ToArray();
                var g = gradients[k].ToArray();
                for (int e = 0; e < point.Length; e++)
                {
                    double h = 1e-6;
                    double Shifted(double delta)
                    {
                        var moved = (double[])point.Clone();
                        moved[e] += delta;
                        var args = (Tensor[])inputs.Clone();
                        args[k] = Tensor.FromArray(moved, inputs[k].Shape);
                        return Everything(args).Item();
                    }

                    double fd = (Shifted(h) - Shifted(-h)) / (2 * h);
                    Assert.True(Math.Abs(fd - g[e]) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"input {k}, element {e}: finite differences {fd:R}, compiled {g[e]:R}");
                }
            }
        }
    }

    [Fact]
    public void A_replay_gives_the_bits_of_a_fresh_recording()
    {
        var random = new Random(12);
        var compiled = AD.Compile(Everything, EverythingInputs(random));
        var inputs = EverythingInputs(random);
        var (value, gradients) = compiled.ValueAndGrad(inputs);
        var (expectedValue, expected) = AD.ValueAndGrad(Everything, inputs);
        Assert.Equal(expectedValue, value);
        for (int k = 0; k < inputs.Length; k++)
        {
            Assert.Equal(expected[k].ToArray(), gradients[k].ToArray());
        }
    }

    [Fact]
    public void Data_passed_as_an_argument_follows_each_call()
    {
        // A mini-batch changes between calls, so it is an argument (its gradient is simply not used).
        var compiled = AD.Compile(p => Sum(Square(p[1].MatMul(p[0]) - p[2])), Tensor.Vector([0.0, 0.0]), Tensor.Zeros(3, 2), Tensor.Zeros(3));
        var random = new Random(13);
        for (int trial = 0; trial < 3; trial++)
        {
            double[] w = [random.NextDouble(), random.NextDouble()];
            double[] x = [.. Enumerable.Range(0, 6).Select(_ => random.NextDouble())];
            double[] t = [random.NextDouble(), random.NextDouble(), random.NextDouble()];
            var g = compiled.Grad(Tensor.Vector(w), Tensor.FromArray(x, 3, 2), Tensor.Vector(t))[0].ToArray();

            // ∂/∂w Σ(Xw − t)² = 2Xᵀ(Xw − t).
            for (int j = 0; j < 2; j++)
            {
                double expected = 0.0;
                for (int i = 0; i < 3; i++)
                {
                    expected += 2 * x[i * 2 + j] * (x[i * 2] * w[0] + x[i * 2 + 1] * w[1] - t[i]);
                }

                Assert.Equal(expected, g[j], 1e-12);
            }
        }
    }

    [Fact]
    public void Reading_a_traced_value_throws_while_tracing_and_leaves_the_thread_tape_working()
    {
        var x = Tensor.Vector([1.0, 2.0]);
        var item = Assert.Throws<NotSupportedException>(() => AD.Compile(p => Sum(p[0]).Item() > 0 ? Sum(p[0]) : -Sum(p[0]), x));
        Assert.Contains("Item", item.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => AD.Compile(p => Sum(Tensor.Vector(p[0].ToArray())), x));
        Assert.Throws<NotSupportedException>(() => AD.Compile(p => Sum(p[0].Detach() * p[0]), x));

        // Afterwards the thread's own tape records as before.
        Assert.Equal([2.0, 4.0], AD.Grad(p => Sum(Square(p[0])), x)[0].ToArray());
    }

    [Fact]
    public void Scalar_Var_arithmetic_scopes_and_NoGrad_inside_a_compiled_function_throw()
    {
        var x = Tensor.Vector([1.0, 2.0]);
        var scalar = Assert.Throws<NotSupportedException>(() => AD.Compile(p => (Tensor)((Var)Sum(p[0]) * 2.0), x));
        Assert.Contains("Var", scalar.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => AD.Compile(p =>
        {
            using var noGrad = AutoDiff.Tape.NoGrad();
            return Sum(p[0]);
        }, x));
        Assert.Throws<NotSupportedException>(() => AD.Compile(p => Sum(p[0] * AD.Grad(q => Sum(Square(q[0])), p[0])[0]), x));
    }

    [Fact]
    public void A_variable_of_the_thread_tape_used_inside_throws_and_a_constant_result_has_zero_gradients()
    {
        var x = Tensor.Vector([1.0, 2.0]);
        AD.Grad(q =>
        {
            var outer = Assert.Throws<NotSupportedException>(() => AD.Compile(p => Sum(p[0] * q[0]), x));
            Assert.Contains("recorded outside it", outer.Message, StringComparison.Ordinal);
            return Sum(q[0]);
        }, x);

        var constant = AD.Compile(p => Sum(Tensor.Vector([3.0, 4.0])), x);
        var (value, gradients) = constant.ValueAndGrad(Tensor.Vector([5.0, 6.0]));
        Assert.Equal(7.0, value);
        Assert.Equal([0.0, 0.0], gradients[0].ToArray());
    }

    [Fact]
    public void Wrong_shapes_name_the_input_and_both_shapes()
    {
        var compiled = AD.Compile(p => Sum(Square(p[0])), Tensor.Zeros(2, 3));
        var error = Assert.Throws<ArgumentException>(() => compiled.Grad(Tensor.Zeros(3, 2)));
        Assert.Contains("input 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 2]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3]", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => compiled.Grad(Tensor.Zeros(2, 3), Tensor.Zeros(1)));
        Assert.Throws<ArgumentException>(() => AD.Compile(p => Square(p[0]), Tensor.Zeros(2)));
    }

    [Fact]
    public void A_replay_allocates_only_the_gradients_it_returns()
    {
        var (x, y) = LogisticData();
        var xt = Tensor.FromArray(x, N, D);
        var yt = Tensor.Vector(y);
        var compiled = AD.Compile(p => Sum(yt * LogSigmoid(xt.MatMul(p[0])) + (1.0 - yt) * LogSigmoid(-xt.MatMul(p[0]))), Tensor.Vector(new double[D]));
        var theta = Tensor.Vector([0.1, 0.2, 0.3, 0.4, 0.5]);
        compiled.ValueAndGrad(theta);
        long before = GC.GetAllocatedBytesForCurrentThread();
        const int Calls = 1000;
        for (int i = 0; i < Calls; i++)
        {
            compiled.ValueAndGrad(theta);
        }

        // The gradient's array (5 doubles), its tensor and the array of gradients: about 200 bytes, none of it per operation.
        long perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / Calls;
        Assert.InRange(perCall, 1, 400);
    }

    [Fact]
    public void Calls_from_several_threads_at_once_each_get_their_own_gradient()
    {
        var compiled = AD.Compile(p => Sum(Exp(p[0]) * p[0]), Tensor.Zeros(64));
        Parallel.For(0, 64, k =>
        {
            double a = k / 64.0;
            var g = compiled.Grad(Tensor.Vector([.. Enumerable.Repeat(a, 64)]))[0].ToArray();

            // d/dx x·eˣ = (1 + x)·eˣ.
            Assert.All(g, v => Assert.Equal((1 + a) * Math.Exp(a), v, 1e-12));
        });
    }
}
