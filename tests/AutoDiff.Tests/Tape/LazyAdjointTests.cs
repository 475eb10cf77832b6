using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

/// <summary>
/// Large intermediate tensors (at least <c>Tape.LazyAdjointMinSize</c> elements) are not cleared when a sweep starts: the
/// first rule that writes their adjoints assigns them or clears them first. Every way a region can be written, shared, or
/// left unwritten is checked here against closed forms, on tensors above the threshold and of a length that leaves a
/// vector tail.
/// </summary>
public class LazyAdjointTests
{
    private const int N = 3001;

    private static double[] Data(int n, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => 2 * random.NextDouble() - 1)];
    }

    [Fact]
    public void The_threshold_is_below_the_test_sizes() => Assert.True(AutoDiff.Tape.LazyAdjointMinSize <= N);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_intermediate_read_by_assigning_and_accumulating_rules_receives_every_contribution(bool matMulLast)
    {
        // f = Σt + Σt² + Σ(t·B), t = 2x: ∂f/∂xᵢ = 2(1 + 2tᵢ + Σₖ Bᵢₖ), whichever rule writes t's adjoints first.
        double[] x = Data(N, 1), b = Data(2 * N, 2);
        var matrix = Tensor.FromArray(b, N, 2);
        var gradient = AD.Grad(
            p =>
            {
                var t = p[0] * 2.0;
                return matMulLast
                    ? Sum(t) + Sum(Square(t)) + Sum(t.MatMul(matrix))
                    : Sum(t.MatMul(matrix)) + Sum(Square(t)) + Sum(t);
            },
            Tensor.Vector(x))[0].ToArray();

        for (int i = 0; i < N; i++)
        {
            double expected = 2 * (1 + 4 * x[i] + b[2 * i] + b[2 * i + 1]);
            Assert.Equal(expected, gradient[i], 1e-12);
        }
    }

    [Fact]
    public void An_intermediate_as_both_inputs_of_one_rule_gets_both_partials()
    {
        // f = Σ t·t + Σ t, t = x + 1: ∂f/∂x = 2t + 1.
        double[] x = Data(N, 3);
        var gradient = AD.Grad(p => { var t = p[0] + 1.0; return Sum(t * t) + Sum(t); }, Tensor.Vector(x))[0].ToArray();
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(2 * (x[i] + 1) + 1, gradient[i], 1e-12);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_reshaped_intermediate_and_its_source_add_into_the_same_adjoints(bool viewFirst)
    {
        // f = Σ r² + Σ t with r = t reshaped, t = 2x: ∂f/∂x = 2(2t + 1), whichever of t and its view is written first.
        double[] x = Data(40 * 30, 4);
        var gradient = AD.Grad(
            p =>
            {
                var t = p[0] * 2.0;
                var r = t.Reshape(40, 30);
                return viewFirst ? Sum(t) + Sum(Square(r)) : Sum(Square(r)) + Sum(t);
            },
            Tensor.Vector(x))[0].ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(2 * (4 * x[i] + 1), gradient[i], 1e-12);
        }
    }

    [Fact]
    public void A_broadcast_partner_and_a_broadcast_intermediate_accumulate()
    {
        // f = Σᵢⱼ Tᵢⱼ·bⱼ + Σ T² + Σ T·s with T = X + 0 (m × k), b (k), s rank 0: ∂f/∂X = b + 2T + s, ∂f/∂b = Σᵢ Tᵢⱼ, ∂f/∂s = ΣT.
        const int m = 101, k = 31;
        double[] xs = Data(m * k, 5), bs = Data(k, 6);
        const double s = 0.75;
        var (_, gradients) = AD.ValueAndGrad(
            p => { var t = p[0] + 0.0; return Sum(t * p[1]) + Sum(Square(t)) + Sum(t * p[2]); },
            Tensor.FromArray(xs, m, k), Tensor.Vector(bs), Tensor.Scalar(s));
        double[] dx = gradients[0].ToArray(), db = gradients[1].ToArray();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < k; j++)
            {
                Assert.Equal(bs[j] + 2 * xs[i * k + j] + s, dx[i * k + j], 1e-12);
            }
        }

        for (int j = 0; j < k; j++)
        {
            Assert.Equal(Enumerable.Range(0, m).Sum(i => xs[i * k + j]), db[j], 1e-10);
        }

        Assert.Equal(xs.Sum(), gradients[2].Item(), 1e-9);
    }

    [Fact]
    public void Regions_no_rule_reaches_read_zero_and_repeated_sweeps_start_afresh()
    {
        double[] x = Data(N, 7);
        using (AutoDiff.Tape.Scope())
        {
            var leaf = Tensor.Leaf(Tensor.Vector(x));
            var t = leaf * 2.0;
            var unused = Exp(leaf);
            var first = Sum(t);
            var second = Sum(Square(t));
            var after = t * 3.0; // recorded after both losses: no sweep from them reaches it
            var third = Sum(after);

            // A sweep from the third loss writes after's adjoints; the sweeps below never reach them again.
            third.Backward();
            AssertAll(after.Grad, _ => 1.0);
            first.Backward();
            AssertAll(leaf.Grad, _ => 2.0);
            AssertAll(t.Grad, _ => 1.0);
            AssertAll(unused.Grad, _ => 0.0);
            AssertAll(after.Grad, _ => 0.0);

            // Stale adjoints of the first sweep must not leak into the second, nor the second's into a third.
            second.Backward();
            AssertAll(leaf.Grad, i => 8 * x[i]);
            AssertAll(unused.Grad, _ => 0.0);
            first.Backward();
            AssertAll(leaf.Grad, _ => 2.0);
            AssertAll(t.Grad, _ => 1.0);
        }
    }

    [Fact]
    public void A_Jacobian_seeds_each_element_of_a_large_output()
    {
        // y = 2x + 1 elementwise: J = 2I; every sweep seeds one element of y's region.
        const int n = 1030;
        double[] x = Data(n, 8);
        double[] jacobian = AD.Jacobian(v => v * 2.0 + 1.0, Tensor.Vector(x)).ToArray();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(i == j ? 2.0 : 0.0, jacobian[i * n + j]);
            }
        }
    }

    [Fact]
    public void A_Hessian_vector_product_through_large_intermediates()
    {
        // f = Σ exp(2x): H = diag(4·e^(2x)), so Hv = 4·e^(2x)·v.
        double[] x = Data(N, 9), v = Data(N, 10);
        double[] product = AD.HessianVectorProduct(p => Sum(Exp(p * 2.0)), Tensor.Vector(x), Tensor.Vector(v)).ToArray();
        for (int i = 0; i < N; i++)
        {
            double expected = 4 * Math.Exp(2 * x[i]) * v[i];
            Assert.Equal(expected, product[i], 1e-12 * Math.Max(1, Math.Abs(expected)));
        }
    }

    private static void AssertAll(Tensor gradient, Func<int, double> expected)
    {
        double[] values = gradient.ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(expected(i), values[i], 1e-12);
        }
    }
}
