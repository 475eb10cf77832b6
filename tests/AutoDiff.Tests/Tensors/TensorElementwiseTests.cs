using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

public class TensorElementwiseTests
{
    // Every elementwise op, once as a Var function and once as a Tensor function, on arguments inside its domain.
    public static IEnumerable<object[]> UnaryOps()
    {
        yield return Unary("Negate", x => -x, x => -x, -3, 3);
        yield return Unary("Exp", Exp, Exp, -3, 3);
        yield return Unary("Log", Log, Log, 0.1, 5);
        yield return Unary("Log1p", Log1p, Log1p, -0.9, 5);
        yield return Unary("Expm1", Expm1, Expm1, -3, 3);
        yield return Unary("Sqrt", Sqrt, Sqrt, 0.1, 5);
        yield return Unary("Square", Square, Square, -3, 3);
        yield return Unary("Abs", Abs, Abs, -3, 3);
        yield return Unary("Sin", Sin, Sin, -3, 3);
        yield return Unary("Cos", Cos, Cos, -3, 3);
        yield return Unary("Tanh", Tanh, Tanh, -3, 3);
        yield return Unary("Sigmoid", Sigmoid, Sigmoid, -30, 30);
        yield return Unary("LogSigmoid", LogSigmoid, LogSigmoid, -30, 30);
        yield return Unary("Softplus", Softplus, Softplus, -30, 30);
        yield return Unary("Relu", Relu, Relu, -3, 3);
    }

    public static IEnumerable<object[]> BinaryOps()
    {
        yield return Binary("Add", (a, b) => a + b, (a, b) => a + b, -3, 3);
        yield return Binary("Subtract", (a, b) => a - b, (a, b) => a - b, -3, 3);
        yield return Binary("Multiply", (a, b) => a * b, (a, b) => a * b, -3, 3);
        yield return Binary("Divide", (a, b) => a / b, (a, b) => a / b, 0.5, 3);
        yield return Binary("Pow", Pow, Pow, 0.5, 3);
        yield return Binary("Max", Max, Max, -3, 3);
        yield return Binary("Min", Min, Min, -3, 3);
    }

    private static object[] Unary(string name, Func<Var, Var> scalar, Func<Tensor, Tensor> tensor, double lo, double hi) =>
        [name, scalar, tensor, lo, hi];

    private static object[] Binary(string name, Func<Var, Var, Var> scalar, Func<Tensor, Tensor, Tensor> tensor, double lo, double hi) =>
        [name, scalar, tensor, lo, hi];

    private static double[] Uniform(Random random, int n, double lo, double hi) =>
        Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * random.NextDouble()).ToArray();

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary_tensor_op_equals_the_scalar_path_in_values_and_gradients(string name, Func<Var, Var> scalar, Func<Tensor, Tensor> tensor, double lo, double hi)
    {
        var random = new Random(StableSeed.Of(name));
        var x = Uniform(random, 37, lo, hi);
        var weights = Uniform(random, 37, -1, 1);

        // Σ wᵢ f(xᵢ) both ways: same value, same gradient, element by element.
        var (tensorValue, tensorGradient) = AD.ValueAndGrad(t => Sum(tensor(t[0]) * Tensor.Vector(weights)), Tensor.Vector(x));
        var (scalarValue, scalarGradient) = AD.ValueAndGrad(v => Sum(v.Select((vi, i) => scalar(vi) * weights[i])), x);

        Assert.Equal(scalarValue, tensorValue, 1e-12 * Math.Max(1, Math.Abs(scalarValue)));
        var g = tensorGradient[0].ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(scalarGradient[i], g[i], 1e-13 * Math.Max(1, Math.Abs(scalarGradient[i])));
        }
    }

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void Binary_tensor_op_equals_the_scalar_path_in_values_and_gradients(string name, Func<Var, Var, Var> scalar, Func<Tensor, Tensor, Tensor> tensor, double lo, double hi)
    {
        var random = new Random(StableSeed.Of(name));
        var a = Uniform(random, 23, lo, hi);
        var b = Uniform(random, 23, lo, hi);

        var (tensorValue, g) = AD.ValueAndGrad(t => Sum(tensor(t[0], t[1])), Tensor.Vector(a), Tensor.Vector(b));
        var (scalarValue, s) = AD.ValueAndGrad(v => Sum(Enumerable.Range(0, 23).Select(i => scalar(v[i], v[23 + i]))), [.. a, .. b]);

        Assert.Equal(scalarValue, tensorValue, 1e-12 * Math.Max(1, Math.Abs(scalarValue)));
        Assert.Equal(s[..23], g[0].ToArray(), (p, q) => Math.Abs(p - q) <= 1e-13 * Math.Max(1, Math.Abs(p)));
        Assert.Equal(s[23..], g[1].ToArray(), (p, q) => Math.Abs(p - q) <= 1e-13 * Math.Max(1, Math.Abs(p)));
    }

    [Fact]
    public void Broadcasting_follows_NumPy_and_the_backward_sums_to_each_input_shape()
    {
        // a: 2×3, b: 3 (a row), c: 2×1 (a column), s: a scalar Var. y = Σ (a·b + c) · s.
        double[] a = [1, 2, 3, 4, 5, 6], b = [10, 20, 30], c = [-1, 1];
        var (value, g) = AD.ValueAndGrad(
            t => Sum((t[0] * t[1] + t[2]) * (Var)t[3]),
            Tensor.FromArray(a, 2, 3), Tensor.FromArray(b, 3), Tensor.FromArray(c, 2, 1), Tensor.Scalar(0.5));

        double expected = 0;
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                expected += (a[i * 3 + j] * b[j] + c[i]) * 0.5;
            }
        }

        Assert.Equal(expected, value, 1e-12);
        Assert.Equal([2, 3], g[0].Shape);
        Assert.Equal([5.0, 10, 15, 5, 10, 15], g[0].ToArray());          // ∂/∂a_ij = b_j s
        Assert.Equal([3], g[1].Shape);
        Assert.Equal([2.5, 3.5, 4.5], g[1].ToArray());                   // ∂/∂b_j = Σ_i a_ij s
        Assert.Equal([2, 1], g[2].Shape);
        Assert.Equal([1.5, 1.5], g[2].ToArray());                        // ∂/∂c_i = 3 s
        Assert.Equal(expected / 0.5, g[3].Item(), 1e-12);               // ∂/∂s = Σ (a b + c)
    }

    [Fact]
    public void Broadcasting_agrees_with_finite_differences_on_a_rank_3_example()
    {
        var random = new Random(5);
        var a = Uniform(random, 2 * 1 * 4, -1, 1);
        var b = Uniform(random, 3 * 1, -1, 1);
        Func<Var[], Var> f = v =>
        {
            var ta = VarTensors.FromVars(v[..8], 2, 1, 4);
            var tb = VarTensors.FromVars(v[8..], 3, 1);
            return Sum(Tanh(ta * tb) - Square(tb));
        };

        GradCheck.Assert(f, [.. a, .. b]);
    }


    [Fact]
    public void Shapes_that_do_not_broadcast_are_named_with_the_op()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3) * Tensor.Zeros(2));
        Assert.Contains("Multiply: shapes [2, 3] and [2] do not broadcast", error.Message);
    }

    [Fact]
    public void Empty_tensors_behave_like_NumPy()
    {
        var y = Exp(Tensor.Zeros(0, 3)) + Tensor.Zeros(3);
        Assert.Equal([0, 3], y.Shape);
        Assert.Equal(0.0, Sum(Tensor.Zeros(0)).Item());
        Assert.True(double.IsNaN(Mean(Tensor.Zeros(0)).Item()));
    }

    [Fact]
    public void Checking_mode_names_the_tensor_op_that_produced_NaN()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Grad(t => Sum(Log(t[0])), Tensor.Vector(1.0, -2.0)));
        Assert.Equal("Log", error.Operation);
        Assert.Equal([-2.0], error.Inputs);

        // With broadcasting, the inputs named are those of the offending element: row 1, column 0 of a 2×2 result.
        var broadcast = Assert.Throws<NonFiniteValueException>(() =>
            AD.Grad(t => Sum(t[0] / t[1]), Tensor.FromArray([1, 2, 3, 4], 2, 2), Tensor.FromArray([0.5, 0], 2, 1)));
        Assert.Equal("Divide", broadcast.Operation);
        Assert.Equal([3.0, 0.0], broadcast.Inputs);
    }

    [Fact]
    public void Checking_mode_reports_a_non_finite_partial_of_a_tensor_op_as_the_scalar_tape_does()
    {
        using var check = AutoDiff.Tape.CheckFinite();

        // √0 = 0 is finite but its derivative 1/(2√0) is not: the scalar tape reports it, and so must the tensor op.
        var scalar = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => Sqrt(v[0]), [0.0]));
        var unary = Assert.Throws<NonFiniteValueException>(() => AD.Grad(t => Sum(Sqrt(t[0])), Tensor.Vector(4.0, 0.0)));
        Assert.Equal("Sqrt", unary.Operation);
        Assert.Equal(0.0, unary.Result);
        Assert.Equal([0.0], unary.Inputs);
        Assert.Equal([double.PositiveInfinity], unary.Partials);
        Assert.Equal(scalar.Partials, unary.Partials);

        // A binary op: x^0.5 at x = 0, with the partial of the recorded base only (the exponent is a constant).
        var binary = Assert.Throws<NonFiniteValueException>(() => AD.Grad(t => Sum(Pow(t[0], Tensor.Vector(0.5, 0.5))), Tensor.Vector(1.0, 0.0)));
        Assert.Equal("Pow", binary.Operation);
        Assert.Equal([0.0, 0.5], binary.Inputs);
        Assert.Equal([double.PositiveInfinity], binary.Partials);

        // Nothing recorded, no partial computed: a finite result passes, as on the scalar tape under NoGrad.
        using (AutoDiff.Tape.NoGrad())
        {
            Assert.Equal([2.0, 0.0], Sqrt(Tensor.Vector(4.0, 0.0)).ToArray());
            Assert.Equal(0.0, Sqrt((Var)0.0).Value);
        }
    }
}
