using System;
using System.Linq;
using System.Threading;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// The per-call and per-op costs of small tensor expressions: the tape's own free lists of small buffers, the fast
/// liveness checks, and AD.ValueAndGrad without LINQ. Their behaviour must be exactly what it was.
/// </summary>
public class TensorFixedCostTests
{
    private static double[] Sequence(int n, double scale) =>
        [.. Enumerable.Range(0, n).Select(i => scale * Math.Sin(i + 1.0))];

    [Fact]
    public void Reused_small_buffers_give_the_same_gradient_on_every_call_for_every_size()
    {
        // Sizes across the free lists' buckets (1 … 4096) and beyond them, in an order that makes buffers change hands.
        foreach (int n in new[] { 1, 3, 16, 17, 100, 4096, 4097, 100, 5, 1 })
        {
            var x = Tensor.FromArray(Sequence(n * 2, 0.3), n, 2);
            var y = Tensor.Vector(Sequence(n, 1.0));
            var theta = Tensor.Vector(0.4, -0.7);
            Tensor F(Tensor[] p)
            {
                var z = x.MatMul(p[0]);
                return Sum(y * LogSigmoid(z) + (1.0 - y) * LogSigmoid(-z));
            }

            var (value0, g0) = AD.ValueAndGrad(F, theta);
            for (int call = 0; call < 5; call++)
            {
                var (value, g) = AD.ValueAndGrad(F, theta);
                Assert.Equal(value0, value);
                Assert.Equal(g0[0].ToArray(), g[0].ToArray());
                Assert.Equal([2], g[0].Shape);
            }

            // The closed form Xᵀ(y − σ(Xθ)).
            var xs = x.ToArray();
            var ys = y.ToArray();
            var expected = new double[2];
            for (int i = 0; i < n; i++)
            {
                double r = ys[i] - Sigmoid(0.4 * xs[2 * i] - 0.7 * xs[2 * i + 1]);
                expected[0] += r * xs[2 * i];
                expected[1] += r * xs[2 * i + 1];
            }

            Assert.Equal(expected[0], g0[0].ToArray()[0], 1e-9 * Math.Max(1, n));
            Assert.Equal(expected[1], g0[0].ToArray()[1], 1e-9 * Math.Max(1, n));
        }
    }

    [Fact]
    public void An_outer_scopes_values_survive_inner_scopes_that_recycle_their_buffers()
    {
        using var outer = AutoDiff.Tape.Scope();
        var a = Tensor.Leaf(Tensor.Vector(1, 2, 3));
        var b = Exp(a);
        var expected = b.ToArray();
        for (int k = 0; k < 50; k++)
        {
            using var inner = AutoDiff.Tape.Scope();
            var c = Tensor.Leaf(Tensor.Vector(k, k, k));
            var d = Log1p(Square(c)) * b;   // reads the outer tensor, fills recycled buffers
            Assert.Equal(Log1p((double)k * k) * expected[2], d.ToArray()[2], 1e-12);
        }

        Assert.Equal(expected, b.ToArray());
        Sum(b).Backward();
        Assert.Equal(expected, a.Grad.ToArray());
    }

    [Fact]
    public void Stale_and_foreign_tensors_still_throw()
    {
        Tensor stale;
        using (AutoDiff.Tape.Scope())
        {
            stale = Exp(Tensor.Leaf(Tensor.Vector(1, 2)));
        }

        using (AutoDiff.Tape.Scope())
        {
            var fresh = Tensor.Leaf(Tensor.Vector(1, 2));
            Assert.Contains("after the tape scope", Assert.Throws<InvalidOperationException>(() => Exp(stale)).Message);
            Assert.Contains("after the tape scope", Assert.Throws<InvalidOperationException>(() => fresh * stale).Message);
            Assert.Contains("after the tape scope", Assert.Throws<InvalidOperationException>(() => Sum(stale)).Message);
        }

        Tensor? foreign = null;
        using var ready = new ManualResetEventSlim();
        using var done = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            using (AutoDiff.Tape.Scope())
            {
                foreign = Tensor.Leaf(Tensor.Vector(1, 2));
                ready.Set();
                done.Wait();
            }
        });
        thread.Start();
        ready.Wait();
        try
        {
            using (AutoDiff.Tape.Scope())
            {
                var mine = Tensor.Leaf(Tensor.Vector(1, 2));
                Assert.Contains("thread", Assert.Throws<InvalidOperationException>(() => mine + foreign!).Message);
            }
        }
        finally
        {
            done.Set();
            thread.Join();
        }
    }

    [Fact]
    public void ValueAndGrad_of_a_constant_result_gives_zeros_and_a_null_argument_is_named()
    {
        var (value, g) = AD.ValueAndGrad(_ => Sum(Tensor.Vector(1, 2)), Tensor.Zeros(2, 3));
        Assert.Equal(3.0, value);
        Assert.Equal([2, 3], g[0].Shape);
        Assert.Equal(new double[6], g[0].ToArray());

        Assert.Throws<ArgumentNullException>(() => AD.ValueAndGrad(p => Sum(p[0]), Tensor.Vector(1), null!));
    }

    [Fact]
    public void A_small_tensor_gradient_allocates_only_its_tensors()
    {
        var x = Tensor.FromArray(Sequence(500, 0.3), 100, 5);
        var theta = Tensor.Vector(Sequence(5, 0.1));
        Func<Tensor[], Tensor> f = p => Sum(LogSigmoid(x.MatMul(p[0])));
        var args = new[] { theta };
        for (int i = 0; i < 50; i++)
        {
            AD.ValueAndGrad(f, args);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            AD.ValueAndGrad(f, args);
        }

        long perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;

        // Five tensor objects (72 bytes each, with the lazy-adjoint mark, uniform value and borrowed values), the shape of
        // Xθ, and the result: gradient array, its tensor, the arrays of leaves and gradients: 520 bytes. No LINQ, no shape
        // copies, no boxed scale, no closures.
        Assert.True(perCall <= 552, $"{perCall} bytes per call");
    }
}
