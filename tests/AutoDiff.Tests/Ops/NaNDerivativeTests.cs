using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Ops;

/// <summary>
/// The derivative at a NaN input is undefined, and the library's rule is that NaN propagates: Abs, Relu, Max and Min
/// (and MaxAlong) give a NaN input a NaN gradient, where the comparisons of their rules, all false for a NaN, gave 0 — a
/// number that looks meaningful. For Max and Min the NaN goes to the NaN operand only: the result is that NaN, and it
/// does not depend on the other operand, which gets 0 (NaN too when it is NaN as well). Checked on every path: the
/// scalar rule, tensor kernels (vector lanes and the scalar tail, weighted and uniform adjoints, a broadcast operand),
/// compiled replays and Hessians. The SIMD loops themselves: SimdKernelTests.
/// </summary>
public class NaNDerivativeTests
{
    private const double NaN = double.NaN;

    [Fact]
    public void Abs_and_Relu_of_a_NaN_Var_have_gradient_NaN()
    {
        foreach (Func<Var, Var> f in new Func<Var, Var>[] { x => Abs(x), x => Relu(x) })
        {
            var (value, g) = AD.ValueAndGrad(v => f(v[0]), [NaN]);
            Assert.True(double.IsNaN(value));
            Assert.True(double.IsNaN(g[0]), $"gradient {g[0]}");
        }

        // The NaN stays with its input: ∂/∂y of Relu(x) + 2y is 2 all the same.
        Assert.Equal([NaN, 2.0], AD.Grad(v => Relu(v[0]) + 2.0 * v[1], [NaN, 1.0]));

        // Around it nothing changes: sign(x), and 0 at either zero.
        Assert.Equal([-1.0, 0.0, 0.0, 1.0], AD.Grad(v => Abs(v[0]) + Abs(v[1]) + Abs(v[2]) + Abs(v[3]), [-2.0, -0.0, 0.0, 3.0]));
        Assert.Equal([0.0, 0.0, 0.0, 1.0], AD.Grad(v => Relu(v[0]) + Relu(v[1]) + Relu(v[2]) + Relu(v[3]), [-2.0, -0.0, 0.0, 3.0]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Max_and_Min_give_a_NaN_operand_gradient_NaN_and_the_other_operand_0(bool max)
    {
        Func<Var, Var, Var> f = max ? Max : Min;
        Func<Var, double, Var> fVarConstant = max ? Max : Min;
        Func<double, Var, Var> fConstantVar = max ? Max : Min;

        Assert.Equal([NaN, 0.0], AD.Grad(v => f(v[0], v[1]), [NaN, 1.0]));
        Assert.Equal([0.0, NaN], AD.Grad(v => f(v[0], v[1]), [1.0, NaN]));
        Assert.Equal([NaN, NaN], AD.Grad(v => f(v[0], v[1]), [NaN, NaN]));
        Assert.Equal([NaN], AD.Grad(v => f(v[0], v[0]), [NaN]));

        // One operand a constant: the variable's own partial, NaN when it is the NaN, 0 beside a constant NaN.
        Assert.Equal([NaN], AD.Grad(v => fVarConstant(v[0], 2.0), [NaN]));
        Assert.Equal([NaN], AD.Grad(v => fConstantVar(2.0, v[0]), [NaN]));
        Assert.Equal([0.0], AD.Grad(v => fVarConstant(v[0], NaN), [2.0]));
        Assert.Equal([0.0], AD.Grad(v => fConstantVar(NaN, v[0]), [2.0]));

        // Finite operands as before: the winner 1, a tie ½ each.
        Assert.Equal(max ? [1.0, 0.0] : [0.0, 1.0], AD.Grad(v => f(v[0], v[1]), [2.0, 1.0]));
        Assert.Equal([0.5, 0.5], AD.Grad(v => f(v[0], v[1]), [1.0, 1.0]));
    }

    // x = [NaN, −2, −0, 0, 3, NaN, 1.5, −1, NaN, 0.25, 2], 11 elements: NaNs in vector lanes and in the scalar tail at 256
    // and 512 bits. y holds its own NaNs (at 1 and 8) and ties x at 3 and 6.
    private static readonly double[] X = [NaN, -2, -0.0, 0, 3, NaN, 1.5, -1, NaN, 0.25, 2];
    private static readonly double[] Y = [1, NaN, 0.5, 0, -3, 0.5, 1.5, 4, NaN, -0.25, 5];
    private static readonly double[] W = [.. Enumerable.Range(0, 11).Select(i => 0.5 + 0.25 * i)];

    private static double AbsSlope(double x) => double.IsNaN(x) ? NaN : Math.Sign(x);

    private static double ReluSlope(double x) => double.IsNaN(x) ? NaN : x > 0 ? 1.0 : 0.0;

    // ∂max(a, b)/∂a (∂min with wins = −1): 1 where a wins, ½ at a tie, NaN where a is NaN, else 0.
    private static double Partial(double a, double b, int wins) =>
        double.IsNaN(a) ? NaN : double.IsNaN(b) ? 0.0 : a == b ? 0.5 : Math.Sign(a - b) == wins ? 1.0 : 0.0;

    [Fact]
    public void Tensor_kernels_give_NaN_inputs_NaN_gradients_with_weighted_and_uniform_adjoints()
    {
        var x = Tensor.Vector(X);
        var y = Tensor.Vector(Y);
        var w = Tensor.Vector(W);

        Assert.Equal([.. X.Select((v, i) => W[i] * AbsSlope(v))], AD.Grad(p => Sum(w * Abs(p[0])), x)[0].ToArray());
        Assert.Equal([.. X.Select(AbsSlope)], AD.Grad(p => Sum(Abs(p[0])), x)[0].ToArray());
        Assert.Equal([.. X.Select((v, i) => W[i] * ReluSlope(v))], AD.Grad(p => Sum(w * Relu(p[0])), x)[0].ToArray());
        Assert.Equal([.. X.Select(ReluSlope)], AD.Grad(p => Sum(Relu(p[0])), x)[0].ToArray());

        foreach (var (op, wins) in new (Func<Tensor, Tensor, Tensor>, int)[] { (Max, 1), (Min, -1) })
        {
            var g = AD.Grad(p => Sum(w * op(p[0], p[1])), x, y);
            Assert.Equal([.. X.Select((v, i) => W[i] * Partial(v, Y[i], wins))], g[0].ToArray());
            Assert.Equal([.. Y.Select((v, i) => W[i] * Partial(v, X[i], wins))], g[1].ToArray());

            // A broadcast operand b = 0.5 sums its partials: finite, since none of them is at a NaN of b.
            var (_, gb) = AD.ValueAndGrad(p => Sum(w * op(p[0], p[1])), x, Tensor.Scalar(0.5));
            Assert.Equal(X.Select((v, i) => W[i] * Partial(0.5, v, wins)).Sum(), gb[1].Item(), 1e-12);
            Assert.Equal([.. X.Select((v, i) => W[i] * Partial(v, 0.5, wins))], gb[0].ToArray());

            // A NaN broadcast operand: its gradient is NaN, a finite tensor's 0.
            var nanB = AD.Grad(p => Sum(op(p[0], p[1])), Tensor.Vector([.. X.Select(v => double.IsNaN(v) ? 7.0 : v)]), Tensor.Scalar(NaN));
            Assert.True(double.IsNaN(nanB[1].Item()));
            Assert.Equal(new double[X.Length], nanB[0].ToArray());
        }
    }

    [Fact]
    public void A_compiled_gradient_replayed_at_NaN_inputs_gives_them_NaN_gradients()
    {
        var w = Tensor.Vector(W);
        Func<Tensor[], Tensor> f = p => Sum(w * (Abs(p[0]) + Relu(p[0]) + Max(p[0], p[1]) + 2.0 * Min(p[0], p[1])));
        var compiled = AD.Compile(f, Tensor.Vector([.. Enumerable.Range(0, 11).Select(i => i - 5.0)]), Tensor.Zeros(11));

        var g = compiled.Grad(Tensor.Vector(X), Tensor.Vector(Y));
        Assert.Equal(
            [.. X.Select((v, i) => W[i] * (AbsSlope(v) + ReluSlope(v) + Partial(v, Y[i], 1) + 2.0 * Partial(v, Y[i], -1)))],
            g[0].ToArray());
        Assert.Equal([.. Y.Select((v, i) => W[i] * (Partial(v, X[i], 1) + 2.0 * Partial(v, X[i], -1)))], g[1].ToArray());
    }

    // A maximum along an axis generalizes the elementwise Max, and treats a NaN entry as Max treats a NaN operand (the
    // slices themselves: AxisOpTests).
    [Fact]
    public void MaxAlong_of_two_entries_has_the_gradient_of_Max_at_a_NaN()
    {
        foreach (double[] point in new[] { new[] { NaN, 1.0 }, [1.0, NaN], [NaN, NaN] })
        {
            double[] expected = [.. point.Select(v => double.IsNaN(v) ? NaN : 0.0)];
            Assert.Equal(expected, AD.Grad(v => Max(v[0], v[1]), point));
            Assert.Equal(expected, AD.Grad(p => Sum(MaxAlong(p[0], 0)), Tensor.Vector(point))[0].ToArray());
        }
    }

    [Fact]
    public void Hessians_through_a_NaN_input_of_Abs_Relu_Max_or_Min_are_NaN_in_its_entries()
    {
        // The rules' NaN branches are NaN to the next order too: H = [NaN] where it was 0.
        foreach (Func<Var, Var> f in new Func<Var, Var>[] { x => Abs(x), x => Relu(x), x => Max(x, 1.0), x => Min(1.0, x) })
        {
            var (_, gradient, hessian) = AD.ValueGradHessian(v => f(v[0]), [NaN]);
            Assert.True(double.IsNaN(gradient[0]), $"gradient {gradient[0]}");
            Assert.True(double.IsNaN(hessian[0, 0]), $"Hessian {hessian[0, 0]}");
        }

        // max(a, b) at a = NaN: H[i, j] = ∂(∂f/∂xᵢ)/∂xⱼ. ∂f/∂a is NaN, so its row is NaN; ∂f/∂b is 0 beside a's NaN, so its
        // row is 0. At finite points Max and Min stay piecewise linear: H = 0.
        foreach (Func<Var, Var, Var> f in new Func<Var, Var, Var>[] { Max, Min })
        {
            var h = AD.Hessian(v => f(v[0], v[1]), [NaN, 1.0]);
            Assert.Equal(new double[,] { { NaN, NaN }, { 0, 0 } }, h);
            Assert.Equal(new double[,] { { 0, 0 }, { 0, 0 } }, AD.Hessian(v => f(v[0], v[1]), [2.0, 1.0]));
        }

        // Tensors: Σ w·Relu(t) + Σ w·Abs(t) at t = [NaN, 1, −1] has H = diag(NaN, 0, 0); MaxAlong's NaN entry moves its
        // maximum by NaN (Σ b·max(t₀, t₁) over t = [NaN, 1, b = 2]: H[2, 0] = ∂max/∂t₀ = NaN, H[2, 1] = 0).
        var wt = Tensor.Vector(0.5, 2, 3);
        var diagonal = AD.Hessian(t => Sum(wt * Relu(t)) + Sum(wt * Abs(t)), Tensor.Vector(NaN, 1, -1)).ToArray();
        Assert.Equal([NaN, 0, 0, 0, 0, 0, 0, 0, 0], diagonal);
        var along = AD.Hessian(t => Sum(MaxAlong(Rows(t, 0, 1), 0) * Rows(t, 2)), Tensor.Vector(NaN, 1, 2)).ToArray();
        Assert.Equal([NaN, 0, 0], along[6..9]);
    }
}
