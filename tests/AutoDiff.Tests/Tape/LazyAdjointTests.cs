using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

/// <summary>
/// Intermediate tensors of at least <c>Tape.LazyAdjointMinSize</c> elements are not cleared when a sweep starts: the
/// first rule that writes their adjoints assigns them or clears them first. Every way a region can be written, shared, or
/// left unwritten is checked here against closed forms, on tensors above the threshold and of a length that leaves a
/// vector tail.
/// </summary>
public class LazyAdjointTests
{
    private const int N = 3001;

    private static double[] Data(int n, int seed) => RandomData.Symmetric(n, seed);

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

    [Fact]
    public void A_sum_hands_one_adjoint_down_a_chain_of_elementwise_rules()
    {
        // f = Σ (c − (2x)²/s), c and s rank-0 leaves: ∂f/∂x = −8x/s, ∂f/∂s = Σ(2x)²/s², ∂f/∂c = n. The sum's adjoint passes
        // through c − u (∂/∂u = −1) and u/s (∂/∂u = 1/s) as one value; the square reads it as one value.
        double[] x = Data(N, 11);
        const double c = 0.4, s = 1.7;
        var (value, gradients) = AD.ValueAndGrad(
            p => Sum(p[1] - Square(p[0] * 2.0) / p[2]), Tensor.Vector(x), Tensor.Scalar(c), Tensor.Scalar(s));
        double[] dx = gradients[0].ToArray();
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(-8 * x[i] / s, dx[i], 1e-12);
        }

        Assert.Equal(N, gradients[1].Item());
        Assert.Equal(x.Sum(v => 4 * v * v) / (s * s), gradients[2].Item(), 1e-9);
        Assert.Equal(x.Sum(v => c - 4 * v * v / s), value, 1e-9);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_uniform_adjoint_meets_per_element_contributions(bool sumFirst)
    {
        // f = Σ t + Σ t·z + Σ (t + t), t = exp(x): ∂f/∂x = eˣ(3 + z), whichever contribution reaches t first.
        double[] x = Data(N, 12), z = Data(N, 13);
        var zt = Tensor.Vector(z);
        var gradient = AD.Grad(
            p =>
            {
                var t = Exp(p[0]);
                return sumFirst ? Sum(t) + Sum(t * zt) + Sum(t + t) : Sum(t + t) + Sum(t * zt) + Sum(t);
            },
            Tensor.Vector(x))[0].ToArray();
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(Math.Exp(x[i]) * (3 + z[i]), gradient[i], 1e-12);
        }
    }

    [Fact]
    public void A_uniform_adjoint_through_a_per_element_partial_becomes_per_element()
    {
        // f = Σ eˣ·z: the sum's one adjoint meets ∂/∂t = z, different in every element: ∂f/∂x = eˣ·z.
        double[] x = Data(N, 18), z = Data(N, 19);
        var zt = Tensor.Vector(z);
        var gradient = AD.Grad(p => Sum(Exp(p[0]) * zt), Tensor.Vector(x))[0].ToArray();
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(Math.Exp(x[i]) * z[i], gradient[i], 1e-12);
        }
    }

    [Fact]
    public void A_uniform_adjoint_is_written_out_before_a_rule_adds_into_it()
    {
        // f = Σ t·B + Σ t, t = 2x, the sum recorded last so its uniform adjoint comes first: ∂f/∂xᵢ = 2(1 + Σₖ Bᵢₖ).
        double[] x = Data(N, 20), b = Data(2 * N, 21);
        var matrix = Tensor.FromArray(b, N, 2);
        var gradient = AD.Grad(p => { var t = p[0] * 2.0; return Sum(t.MatMul(matrix)) + Sum(t); }, Tensor.Vector(x))[0].ToArray();
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(2 * (1 + b[2 * i] + b[2 * i + 1]), gradient[i], 1e-12);
        }
    }

    [Fact]
    public void The_gradient_of_an_intermediate_left_uniform_is_read_element_by_element()
    {
        double[] x = Data(N, 14);
        using (AutoDiff.Tape.Scope())
        {
            var leaf = Tensor.Leaf(Tensor.Vector(x));
            var t = leaf * 2.0;
            var u = t - 1.0;
            var loss = Sum(u);
            loss.Backward();
            AssertAll(u.Grad, _ => 1.0);
            AssertAll(t.Grad, _ => 1.0);
            AssertAll(leaf.Grad, _ => 2.0);
        }
    }

    [Fact]
    public void A_uniform_adjoint_is_written_out_for_a_rule_that_reads_element_by_element()
    {
        // f = Σ (M·W) with M (n × k) data and W (k × m): ∂f/∂Wⱼₗ = Σᵢ Mᵢⱼ; the product's rule reads its adjoints per element.
        const int n = 700, k = 3, m = 2;
        double[] data = Data(n * k, 16), weights = Data(k * m, 17);
        var gradient = AD.Grad(p => Sum(Tensor.FromArray(data, n, k).MatMul(p[0])), Tensor.FromArray(weights, k, m))[0].ToArray();
        for (int j = 0; j < k; j++)
        {
            double expected = Enumerable.Range(0, n).Sum(i => data[i * k + j]);
            Assert.Equal(expected, gradient[j * m], 1e-10);
            Assert.Equal(expected, gradient[j * m + 1], 1e-10);
        }
    }

    [Fact]
    public void A_fused_kernel_reads_a_uniform_adjoint()
    {
        // W1's log-likelihood through the declared three-input LogNormal: ∂/∂μ = Σ(y − μ)/σ², ∂/∂σ = −n/σ + Σ(y − μ)²/σ³.
        double[] y = Data(N, 15);
        const double mu = 0.2, sigma = 1.3;
        var gradients = AD.Grad(
            p => Sum(AutoDiff.Benchmarks.Workloads.DeclaredDensities.LogNormal(Tensor.Vector(y), p[0], p[1])),
            Tensor.Scalar(mu), Tensor.Scalar(sigma));
        Assert.Equal(y.Sum(v => (v - mu) / (sigma * sigma)), gradients[0].Item(), 1e-9);
        Assert.Equal(-N / sigma + y.Sum(v => (v - mu) * (v - mu)) / (sigma * sigma * sigma), gradients[1].Item(), 1e-9);
    }

    // The cases below came from an independent review of this change: each failed before its fix.

    [Fact]
    public void Hessian_vector_products_through_a_sum_that_is_not_the_last_op()
    {
        // A Hessian reruns each rule on the lanes' adjoint tangents; the lazy bookkeeping must stay out of those sweeps.
        // log Σ exp(x): Hv = p∘v − p(pᵀv) with p = softmax(x); (Σ 2x)²: Hv = 8·Σv everywhere.
        double[] x = Data(2048, 22), v = Data(2048, 23);
        double[] hv = AD.HessianVectorProduct(p => Log(Sum(Exp(p))), Tensor.Vector(x), Tensor.Vector(v)).ToArray();
        double z = x.Sum(Math.Exp);
        double[] probabilities = [.. x.Select(e => Math.Exp(e) / z)];
        double pv = probabilities.Zip(v, (a, b) => a * b).Sum();
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(probabilities[i] * v[i] - probabilities[i] * pv, hv[i], 1e-12);
        }

        double[] x2 = Data(1024, 24), v2 = Data(1024, 25);
        double[] square = AD.HessianVectorProduct(p => Square(Sum(p * 2.0)), Tensor.Vector(x2), Tensor.Vector(v2)).ToArray();
        Assert.All(square, h => Assert.Equal(8 * v2.Sum(), h, 1e-9));
    }

    [Fact]
    public void A_Hessian_vector_product_where_the_sums_adjoint_is_zero_but_its_tangent_is_not()
    {
        // f = (s − s₀)² at s₀ = s = Σ 2x: ∇f = 0, Hv = 8·Σv.
        double[] x = Data(1024, 26), v = Data(1024, 27);
        double[] hv = AD.HessianVectorProduct(
            p => { var s = Sum(p * 2.0); return Square(s - s.Item()); }, Tensor.Vector(x), Tensor.Vector(v)).ToArray();
        Assert.All(hv, h => Assert.Equal(8 * v.Sum(), h, 1e-9));
    }

    [Theory]
    [InlineData(AutoDiff.Tape.LazyAdjointMinSize - 1)]
    [InlineData(AutoDiff.Tape.LazyAdjointMinSize)]
    [InlineData(1024)]
    public void The_Hessian_of_a_Gaussian_log_likelihood_in_tensor_form(int n)
    {
        // LL(μ, s) = −n·s − Σ(y − μ)²/(2e^(2s)), s = log σ: H = [[−n e^(−2s), −2r e^(−2s)], [−2r e^(−2s), −2q e^(−2s)]],
        // r = Σ(y − μ), q = Σ(y − μ)².
        var random = new Random(11);
        double[] y = [.. Enumerable.Range(0, n).Select(_ => 3 + 2 * random.NextDouble())];
        var data = Tensor.Vector(y);
        const double mu = 3.7, s = 0.1;
        double[] h = AD.Hessian(
            theta => -n * Sum(Rows(theta, 1)) - Sum(Square(data - Rows(theta, 0))) / (2.0 * Exp(2.0 * Rows(theta, 1))),
            Tensor.Vector(mu, s)).ToArray();
        double e = Math.Exp(-2 * s), q = y.Sum(v => (v - mu) * (v - mu)), r = y.Sum(v => v - mu);
        double[] expected = [-n * e, -2 * r * e, -2 * r * e, -2 * q * e];
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], h[i], 1e-8 * Math.Max(1, Math.Abs(expected[i])));
        }
    }

    [Theory]
    [InlineData(AutoDiff.Tape.LazyAdjointMinSize - 1)]
    [InlineData(AutoDiff.Tape.LazyAdjointMinSize)]
    [InlineData(100)]
    public void Repeated_logistic_gradients_at_small_sizes_equal_the_closed_form(int n)
    {
        // ∇θ Σ(y·log σ(Xθ) + (1 − y)·log σ(−Xθ)) = Xᵀ(y − σ(Xθ)), three times at different θ on one tape: every sweep
        // after the first finds the regions holding the previous sweep's adjoints.
        const int d = 3;
        double[] x = Data(n * d, 30);
        double[] y = [.. Data(n, 31).Select(v => v > 0 ? 1.0 : 0.0)];
        var design = Tensor.FromArray(x, n, d);
        var labels = Tensor.Vector(y);
        for (int call = 0; call < 3; call++)
        {
            double[] theta = [0.5 - call, 0.25 * call, -1.5];
            var gradient = AD.Grad(
                p => { var z = design.MatMul(p[0]); return Sum(labels * LogSigmoid(z) + (1.0 - labels) * LogSigmoid(-z)); },
                Tensor.Vector(theta))[0].ToArray();
            for (int j = 0; j < d; j++)
            {
                double expected = 0;
                for (int i = 0; i < n; i++)
                {
                    double z = x[i * d] * theta[0] + x[i * d + 1] * theta[1] + x[i * d + 2] * theta[2];
                    expected += x[i * d + j] * (y[i] - 1 / (1 + Math.Exp(-z)));
                }

                Assert.Equal(expected, gradient[j], 1e-12 * Math.Max(1, Math.Abs(expected)));
            }
        }
    }

    [Fact]
    public void A_gradient_from_a_Hessian_sweep_where_the_cross_entropys_adjoint_is_zero()
    {
        // f(θ) = (CE(Aθ) − c)² at c = CE(Aθ): ∇f = 0 exactly, after a call that left ∂CE/∂logits where these logits live.
        const int n = 512, d = 2, classes = 2;
        var random = new Random(3);
        var a = Tensor.FromArray([.. Enumerable.Range(0, n * d).Select(_ => random.NextDouble() - 0.5)], n, d);
        int[] labels = [.. Enumerable.Range(0, n).Select(i => i % classes)];
        var theta = Tensor.FromArray([0.3, -0.2, 0.1, 0.4], d, classes);
        AD.ValueGradHessian(t => CrossEntropy(a.MatMul(t), labels), theta);
        var (_, gradient, _) = AD.ValueGradHessian(t => { var ce = CrossEntropy(a.MatMul(t), labels); return Square(ce - ce.Item()); }, theta);
        Assert.All(gradient.ToArray(), g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void The_gradient_of_an_intermediate_reshaped_after_the_sweep()
    {
        using (AutoDiff.Tape.Scope())
        {
            var x = Tensor.Leaf(Tensor.Vector(Data(2048, 28)));
            var t = x * 2.0;
            var second = Sum(t);
            var first = Sum(Square(t));
            first.Backward();  // leaves 2t in t's adjoints
            second.Backward(); // t's adjoint is one value, 1
            AssertAll(t.Reshape(32, 64).Grad, _ => 1.0);
            AssertAll(t.Grad, _ => 1.0);
        }
    }

    [Fact]
    public void Sweep_numbers_restart_before_they_wrap_around()
    {
        var tape = AutoDiff.Tape.Current;
        var field = typeof(AutoDiff.Tape).GetField("_sweepNumber", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        int saved = (int)field.GetValue(tape)!;
        try
        {
            field.SetValue(tape, int.MaxValue - 5);
            using (AutoDiff.Tape.Scope())
            {
                double[] x = Data(2048, 29);
                var leaf = Tensor.Leaf(Tensor.Vector(x));
                var t = leaf * 2.0;
                var loss = Sum(t * 3.0);
                for (int sweep = 0; sweep < 4; sweep++)
                {
                    loss.Backward();
                    AssertAll(leaf.Grad, _ => 6.0);
                    AssertAll(t.Grad, _ => 3.0);
                    Assert.InRange((int)field.GetValue(tape)!, 2, int.MaxValue - 1);
                }

                var r = leaf.Reshape(32, 64);
                Sum(r * 3.0).Backward();
                AssertAll(leaf.Grad, _ => 3.0);
            }
        }
        finally
        {
            field.SetValue(tape, saved);
        }
    }

    // From a second review (a helper) of the fixes: first-order and Hessian sweeps mixed in one scope, and a Newton fit,
    // each against closed forms.

    [Fact]
    public void First_order_and_Hessian_sweeps_alternate_in_one_scope()
    {
        const int n = 2048;
        double[] x = Data(n, 1), v = Data(n, 2);
        using (AutoDiff.Tape.Scope())
        {
            var leaf = Tensor.Leaf(Tensor.Vector(x));
            var t = Exp(leaf * 0.5);
            var u = t - 1.0;
            var loss = Sum(u);
            loss.Backward();
            AssertAll(leaf.Grad, i => 0.5 * Math.Exp(0.5 * x[i]));
            AssertAll(t.Grad, _ => 1.0);
            AssertAll(u.Grad, _ => 1.0);

            // Hessian capturing t (outer variable): f(p) = Σ exp(p ∘ t) ; Hv = t² exp(p t) v
            var tv = t.ToArray();
            double[] p0 = Data(n, 3);
            var hv = AD.HessianVectorProduct(p => Sum(Exp(p * t)), Tensor.Vector(p0), Tensor.Vector(v)).ToArray();
            for (int i = 0; i < n; i++)
            {
                double e = tv[i] * tv[i] * Math.Exp(p0[i] * tv[i]) * v[i];
                Assert.True(Math.Abs(hv[i] - e) <= 1e-12 * Math.Max(1, Math.Abs(e)), $"hv[{i}]");
            }


            // Pin a region that was uniform in the lazy sweep, after a tangent sweep cleared and rewrote the adjoints.
            var view = u.Reshape(32, 64);

            loss.Backward();
            AssertAll(leaf.Grad, i => 0.5 * Math.Exp(0.5 * x[i]));
            AssertAll(t.Grad, _ => 1.0);
            AssertAll(u.Grad, _ => 1.0);
            AssertAll(view.Grad, _ => 1.0);

            var loss2 = Sum(Square(view)) + Sum(t * 3.0);
            loss2.Backward();
            AssertAll(u.Grad, i => 2 * (Math.Exp(0.5 * x[i]) - 1));
            AssertAll(t.Grad, i => 2 * (Math.Exp(0.5 * x[i]) - 1) + 3);
            AssertAll(leaf.Grad, i => 0.5 * Math.Exp(0.5 * x[i]) * (2 * (Math.Exp(0.5 * x[i]) - 1) + 3));
            loss.Backward();
            AssertAll(leaf.Grad, i => 0.5 * Math.Exp(0.5 * x[i]));
            AssertAll(view.Grad, _ => 1.0);
        }
    }

    [Fact]
    public void Hessian_and_first_order_sweeps_alternate_over_rounds()
    {
        const int n = 1500;
        double[] x = Data(n, 4), v = Data(n, 5);
        using (AutoDiff.Tape.Scope())
        {
            var leaf = Tensor.Leaf(Tensor.Vector(x));
            var t = leaf * 2.0;
            for (int round = 0; round < 3; round++)
            {
                var hv = AD.HessianVectorProduct(p => Log(Sum(Exp(p))) + Square(Sum(p * 2.0)), Tensor.Vector(x), Tensor.Vector(v)).ToArray();
                double z = x.Sum(Math.Exp);
                double[] pr = [.. x.Select(e => Math.Exp(e) / z)];
                double pv = pr.Zip(v, (a, b) => a * b).Sum();
                for (int i = 0; i < n; i++)
                {
                    double e = pr[i] * v[i] - pr[i] * pv + 8 * v.Sum();
                    Assert.True(Math.Abs(hv[i] - e) <= 1e-9, $"round {round} hv[{i}] {hv[i]} vs {e}");
                }

                var loss = Sum(t - 1.0) + Sum(Square(t));
                loss.Backward();
                AssertAll(leaf.Grad, i => 2 * (1 + 4 * x[i]));
                AssertAll(t.Grad, i => 1 + 4 * x[i]);
            }
        }
    }

    [Fact]
    public void A_Newton_fit_of_a_Gaussian_over_3000_observations_in_tensor_form()
    {
        const int n = 3000;
        var random = new Random(9);
        double[] y = [.. Enumerable.Range(0, n).Select(_ => 3 + 2 * random.NextDouble())];
        var data = Tensor.Vector(y);
        var fit = Mle.Fit(theta =>
        {
            var mu = Rows(theta, 0);
            var s = Rows(theta, 1);
            return -n * Sum(s) - Sum(Square(data - mu)) / (2.0 * Exp(2.0 * s));
        }, Tensor.Vector(0.0, 0.0), new MleOptions { ObservationCount = n });
        Assert.True(fit.Converged, fit.Message);
        double mean = y.Average();
        double sd = Math.Sqrt(y.Sum(v => (v - mean) * (v - mean)) / n);
        Assert.Equal(mean, fit.Estimates[0], 1e-8);
        Assert.Equal(Math.Log(sd), fit.Estimates[1], 1e-8);
        // SE of mu = sd / sqrt(n); SE of log sd = 1/sqrt(2n)
        Assert.Equal(sd / Math.Sqrt(n), fit.StandardErrors[0], 1e-6);
        Assert.Equal(1 / Math.Sqrt(2.0 * n), fit.StandardErrors[1], 1e-6);
    }

    // Leaves of at least LazyAdjointMinSize elements (AD.Grad's parameters, Tensor.Leaf) are cleared lazily too: a matrix
    // product assigns the adjoints of a factor nothing has added into yet (C = A·B) and adds into them otherwise.

    [Fact]
    public void A_parameter_of_matrix_products_is_assigned_by_the_first_and_added_into_by_the_rest()
    {
        // Y = X·Wᵀ (X 7×5, W 4×5), f = Σ Y + ½ Σ Y² + Σ (V·V) with V = W[:, :4] taken as W's 4×4 square part by a second
        // leaf: ∂f/∂W = Gᵀ·X with G = 1 + Y; ∂/∂V Σ(V·V) = J·Vᵀ + Vᵀ·J (J all ones), both parts in one rule.
        const int rows = 7, inputs = 5, outputs = 4;
        double[] x = Data(rows * inputs, 41), w = Data(outputs * inputs, 42), v = Data(16, 43);
        var data = Tensor.FromArray(x, rows, inputs);
        using (AutoDiff.Tape.Scope())
        {
            var weight = Tensor.Leaf(Tensor.FromArray(w, outputs, inputs));
            var square = Tensor.Leaf(Tensor.FromArray(v, 4, 4));
            var y = Linear(data, weight);
            var loss = Sum(y) + 0.5 * Sum(Square(y)) + Sum(square.MatMul(square));
            var other = Sum(Linear(data, weight) * 3.0); // a second sweep, whose adjoints must not add to the first's

            // Each sweep starts afresh: the product assigns what the sweep before it left.
            for (int round = 0; round < 3; round++)
            {
                loss.Backward();
                double[] yv = y.ToArray();
                AssertAll(weight.Grad, k =>
                {
                    int o = k / inputs, i = k % inputs;
                    return Enumerable.Range(0, rows).Sum(r => (1 + yv[r * outputs + o]) * x[r * inputs + i]);
                });
                AssertAll(square.Grad, k =>
                {
                    int i = k / 4, j = k % 4;
                    return Enumerable.Range(0, 4).Sum(m => v[j * 4 + m]) + Enumerable.Range(0, 4).Sum(m => v[m * 4 + i]);
                });

                other.Backward();
                AssertAll(weight.Grad, k => 3 * Enumerable.Range(0, rows).Sum(r => x[r * inputs + k % inputs]));
                AssertAll(square.Grad, _ => 0.0);
            }
        }
    }

    [Fact]
    public void A_parameter_no_rule_reaches_has_a_zero_gradient_and_inner_calls_leave_the_outer_leaves_alone()
    {
        double[] x = Data(64, 44), unused = Data(48, 45);
        using (AutoDiff.Tape.Scope())
        {
            var outer = Tensor.Leaf(Tensor.Vector(x));
            var matrix = Tensor.FromArray(Data(64 * 3, 46), 64, 3);
            var loss = Sum(Square(outer.MatMul(matrix)));
            var count = typeof(AutoDiff.Tape).GetField("_lazyLeafCount", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
            int before = (int)count.GetValue(AutoDiff.Tape.Current)!;

            // AD.Grad inside the scope: its leaves live in its own scope and are forgotten when it closes; the one f
            // ignores gets zeros although its region was never written.
            for (int call = 0; call < 3; call++)
            {
                var gradients = AD.Grad(p => Sum(p[0] * 2.0), Tensor.Vector(x), Tensor.Vector(unused));
                AssertAll(gradients[0], _ => 2.0);
                AssertAll(gradients[1], _ => 0.0);
                Assert.Equal(before, (int)count.GetValue(AutoDiff.Tape.Current)!);

                // ∂/∂x Σ (x·M)² = 2·M·(x·M)
                loss.Backward();
                double[] m = matrix.ToArray();
                double[] xm = [.. Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, 64).Sum(i => x[i] * m[i * 3 + c]))];
                AssertAll(outer.Grad, i => 2 * Enumerable.Range(0, 3).Sum(c => m[i * 3 + c] * xm[c]));
            }
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
