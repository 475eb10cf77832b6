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

            var (expectedValue, expected) = LogisticClosedForm.At(x, y, theta);
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

    // AD.Grad threw a NullReferenceException (y.Size), and AD.Compile's message told to reduce a tensor that was null.
    [Fact]
    public void A_function_returning_null_is_refused_by_name()
    {
        var grad = Assert.Throws<InvalidOperationException>(() => AD.Grad(_ => null!, Tensor.Zeros(2)));
        Assert.Contains("AD.Grad: f returned null", grad.Message, StringComparison.Ordinal);
        var compile = Assert.Throws<ArgumentException>(() => AD.Compile(_ => null!, Tensor.Zeros(2)));
        Assert.Contains("AD.Compile: f returned null", compile.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Reduce it", compile.Message, StringComparison.Ordinal);
        Assert.Equal([2.0, 4.0], AD.Grad(p => Sum(Square(p[0])), Tensor.Vector(1, 2))[0].ToArray());
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
    public void The_buffer_form_writes_the_same_gradients_and_allocates_nothing()
    {
        var (x, y) = LogisticData();
        var xt = Tensor.FromArray(x, N, D);
        var yt = Tensor.Vector(y);
        var compiled = AD.Compile(p => Sum(yt * LogSigmoid(xt.MatMul(p[0])) + (1.0 - yt) * LogSigmoid(-xt.MatMul(p[0]))) - Square(p[1]), Tensor.Zeros(D), Tensor.Scalar(0.0));
        Tensor[] point = [Tensor.Vector(0.1, -0.2, 0.3, 0.4, -0.5), Tensor.Scalar(0.25)];
        double[][] buffers = [new double[D], new double[1]];
        var (value, gradients) = compiled.ValueAndGrad(point);
        Assert.Equal(value, compiled.ValueAndGrad(point, buffers));
        Assert.Equal(gradients[0].ToArray(), buffers[0]);
        Assert.Equal([-0.5], buffers[1]); // ∂(−s²)/∂s at s = 0.25

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            compiled.ValueAndGrad(point, buffers);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Contains(
            "CompiledGradient.ValueAndGrad: 1 gradient arrays given for 2 arguments",
            Assert.Throws<ArgumentException>(() => compiled.ValueAndGrad(point, [new double[D]])).Message,
            StringComparison.Ordinal);
        var length = Assert.Throws<ArgumentException>(() => compiled.ValueAndGrad(point, [new double[D], new double[2]]));
        Assert.Contains("gradients[1] has length 2 but argument 1 has shape [] (1 elements)", length.Message, StringComparison.Ordinal);

        // A null array is refused as a wrong length, as AD.ValueAndGrad refuses it (one check serves both).
        Assert.Contains("gradients[0] has length null", Assert.Throws<ArgumentException>(() => compiled.ValueAndGrad(point, [null!, new double[1]])).Message, StringComparison.Ordinal);
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

    private static Tensor RandomTensor(Random random, params int[] shape) =>
        Tensor.FromArray([.. Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => 2 * random.NextDouble() - 1)], shape);

    // Forms on 48-element tensors, so the sweep's lazy clearing, uniform adjoints, kept partials and broadcast sums take part.
    private static Tensor Form(int k, Tensor[] p)
    {
        Tensor x = p[0], c = p[1], r = p[2]; // x 8×6, c a scalar, r a row of 6
        return k switch
        {
            0 => Sum(x - c),
            1 => Sum(x / c) + Sum(c / x),
            2 => Sum(Exp(x * c)) + Sum(Tanh(x + r)),
            3 => Sum(LogSigmoid(x) * r) + Mean(Sigmoid(x - r) * c),
            4 => Sum(Sum(Square(x - r), 0) * r) + Sum(x.Reshape(48)),
            5 => Sum(Softplus(x) - x * c) + Sum(Sum(x, 1) * Sum(x, 1)),
            6 => Sum(Square(Linear(x, x.T.MatMul(x), r))),
            7 => Sum(Sqrt(Square(x) + c * c)) + Sum(Abs(x) * Relu(x + r)),
            8 => Sum(Exp(Sum(x, 0)) + r) * c,
            9 => Sum(Pow(Square(x) + 1.0, c)) + Sum(Max(x, r)) + Sum(Min(x, c)),
            10 => Sum(Log1p(Square(x)) + Expm1(x * 0.1) + Sin(x) * Cos(r)) + Sum(LogSumExp(x, 0)),
            _ => Sum(Concat(0, x, x * c).Reshape(2, 48).MatMul(x.Reshape(48, 1)) * Stack(0, Sum(r), Mean(r)).Reshape(2, 1))
                + Sum(Rows(x.T, 0, 1, 5, 5) * Stack(1, r, r, r, r, r, r, r, r).Rows(0, 1, 2, 3)),
        };
    }

    public static TheoryData<int> Forms => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    [Theory]
    [MemberData(nameof(Forms))]
    public void Replay_after_replay_gives_the_bits_of_a_fresh_recording(int k)
    {
        var random = new Random(100 + k);
        Tensor[] Inputs() => [RandomTensor(random, 8, 6), Tensor.Scalar(0.5 + random.NextDouble()), RandomTensor(random, 6)];
        var compiled = AD.Compile(p => Form(k, p), Inputs());
        var other = AD.Compile(p => Form((k + 1) % 12, p), Inputs());
        for (int trial = 0; trial < 5; trial++)
        {
            var inputs = Inputs();
            var (value, gradients) = compiled.ValueAndGrad(inputs);
            other.ValueAndGrad(Inputs());
            var (expectedValue, expected) = AD.ValueAndGrad(p => Form(k, p), inputs);

            // Form 10's Sin and Cos run on .NET's vector Sin/Cos, whose MultiplyAddEstimate is fused or not by JIT tier:
            // a tier-up between the two calls may move a bit (docs/declaring-ops.md). Every other kernel is fixed.
            long ulps = k == 10 ? 4 : 0;
            Assert.True(Ulp.Ulps(expectedValue, value) <= ulps, $"form {k}: value {value:R}, fresh recording {expectedValue:R}");
            for (int i = 0; i < inputs.Length; i++)
            {
                double[] e = expected[i].ToArray(), g = gradients[i].ToArray();
                for (int j = 0; j < e.Length; j++)
                {
                    // Or, where a gradient element cancels, within that many ulps of the 48 terms of size ≤ 2 it sums.
                    Assert.True(
                        Ulp.Ulps(e[j], g[j]) <= ulps || Math.Abs(e[j] - g[j]) <= ulps * 96 * Math.ScaleB(1.0, -52),
                        $"form {k}, input {i}[{j}]: {g[j]:R}, fresh recording {e[j]:R}");
                }
            }
        }
    }

    [Fact]
    public void A_compiled_gradient_or_a_compile_inside_a_traced_function_throws()
    {
        var inner = AD.Compile(q => Sum(Square(q[0])), Tensor.Zeros(3));
        var x = Tensor.Vector(1.0, 1.0, 1.0);
        Assert.Contains("compiled gradient", Assert.Throws<NotSupportedException>(() => AD.Compile(p => Sum(p[0] * inner.Grad(p[0])[0]), x)).Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => AD.Compile(p => Sum(p[0] * AD.Compile(q => Sum(q[0]), p[0]).Grad(p[0])[0]), x));
        Assert.Equal([4.0, 6.0, 8.0], inner.Grad(Tensor.Vector(2.0, 3.0, 4.0))[0].ToArray());
    }

    [Fact]
    public void A_function_that_writes_into_its_argument_array_follows_each_call()
    {
        var compiled = AD.Compile(p => { p[0] = p[0] * 2.0; return Sum(Square(p[0])); }, Tensor.Vector(1.0, 1.0));
        var (value, gradients) = compiled.ValueAndGrad(Tensor.Vector(3.0, 4.0));

        // f(x) = Σ (2x)², ∂f/∂x = 8x.
        Assert.Equal(100.0, value);
        Assert.Equal([24.0, 32.0], gradients[0].ToArray());
    }

    [Fact]
    public void The_input_shapes_are_read_only_copies()
    {
        var compiled = AD.Compile(p => Sum(Square(p[0])), Tensor.Zeros(4));
        Assert.Equal([4], compiled.InputShapes[0]);
        Assert.Throws<NotSupportedException>(() => ((System.Collections.Generic.IList<int>)compiled.InputShapes[0])[0] = 2);
        Assert.Throws<ArgumentException>(() => compiled.Grad(Tensor.Vector(1.0, 1.0)));
    }

    [Fact]
    public void Linear_without_input_features_replays()
    {
        // y = x·Wᵀ + b with zero features is b on every row: Σy = 3·(1 + 2), ∂/∂b = 3 each.
        var compiled = AD.Compile(p => Sum(Linear(p[0], p[1], p[2])), Tensor.Zeros(3, 0), Tensor.Zeros(2, 0), Tensor.Vector(0.0, 0.0));
        var (value, gradients) = compiled.ValueAndGrad(Tensor.Zeros(3, 0), Tensor.Zeros(2, 0), Tensor.Vector(1.0, 2.0));
        Assert.Equal(9.0, value);
        Assert.Equal([3.0, 3.0], gradients[2].ToArray());
    }

    [Fact]
    public void ToString_of_a_traced_tensor_shows_no_values()
    {
        string? text = null;
        AD.Compile(p => { text = p[0].ToString(); return Sum(p[0]); }, Tensor.Vector(1.0, 2.0));
        Assert.Equal("Tensor[2] (traced)", text);
    }

    [Fact]
    public void A_mini_batch_loop_compiles_once_with_indices_and_labels_as_arguments()
    {
        // Softmax regression on 12 points of 2 features, 3 classes: J = Σ_{n in batch} CE(W x_n, y_n), ∂J/∂W = Σ (p_n − e_{y_n}) x_nᵀ.
        var random = new Random(21);
        const int Points = 12, Features = 2, Classes = 3;
        double[] data = [.. Enumerable.Range(0, Points * Features).Select(_ => 2 * random.NextDouble() - 1)];
        double[] labels = [.. Enumerable.Range(0, Points).Select(n => (double)(n % Classes))];
        var x = Tensor.FromArray(data, Points, Features);
        var y = Tensor.Vector(labels);
        var step = AD.Compile(p => CrossEntropy(Linear(Rows(x, p[1]), p[0]), Rows(y, p[1])), Tensor.Zeros(Classes, Features), Tensor.Vector(0, 1, 2, 3));
        for (int trial = 0; trial < 4; trial++)
        {
            double[] w = [.. Enumerable.Range(0, Classes * Features).Select(_ => random.NextDouble() - 0.5)];
            int[] batch = [.. Enumerable.Range(0, 4).Select(_ => random.Next(Points))];
            var (value, gradients) = step.ValueAndGrad(Tensor.FromArray(w, Classes, Features), Tensor.Vector([.. batch.Select(b => (double)b)]));

            double expectedValue = 0.0;
            var expected = new double[Classes * Features];
            foreach (int n in batch)
            {
                var scores = Enumerable.Range(0, Classes).Select(c => w[c * Features] * data[n * Features] + w[c * Features + 1] * data[n * Features + 1]).ToArray();
                double lse = Math.Log(scores.Sum(Math.Exp));
                expectedValue += lse - scores[(int)labels[n]];
                for (int c = 0; c < Classes; c++)
                {
                    double residual = Math.Exp(scores[c] - lse) - (c == (int)labels[n] ? 1.0 : 0.0);
                    expected[c * Features] += residual * data[n * Features];
                    expected[c * Features + 1] += residual * data[n * Features + 1];
                }
            }

            Assert.Equal(expectedValue, value, 1e-12);
            var g = gradients[0].ToArray();
            for (int k = 0; k < expected.Length; k++)
            {
                Assert.Equal(expected[k], g[k], 1e-12);
            }

            Assert.All(gradients[1].ToArray(), v => Assert.Equal(0.0, v));
        }

        var outOfRange = Assert.Throws<ArgumentOutOfRangeException>(() => step.Grad(Tensor.Zeros(Classes, Features), Tensor.Vector(0, 1, 2, 12)));
        Assert.Contains("index 12 at position 3", outOfRange.Message, StringComparison.Ordinal);

        // A replay that threw leaves nothing behind: the next one is a fresh recording's.
        Tensor[] point = [Tensor.FromArray([0.1, -0.2, 0.3, 0.4, -0.5, 0.6], Classes, Features), Tensor.Vector(5, 5, 0, 11)];
        Assert.Equal(
            AD.Grad(p => CrossEntropy(Linear(Rows(x, p[1]), p[0]), Rows(y, p[1])), point)[0].ToArray(),
            step.Grad(point)[0].ToArray());
    }
}
