using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Ops;

public class ReductionTests
{
    [Fact]
    public void Sum_is_one_node_with_unit_partials()
    {
        using var scope = AutoDiff.Tape.Scope();
        var xs = Enumerable.Range(1, 5).Select(i => Var.Leaf(i)).ToArray();
        int nodes = AutoDiff.Tape.Current.NodeCount;
        var s = Sum(xs) * 2.0;
        Assert.Equal(nodes + 2, AutoDiff.Tape.Current.NodeCount);
        s.Backward();
        Assert.Equal(30.0, s.Value);
        Assert.All(xs, x => Assert.Equal(2.0, x.Grad));
    }

    [Fact]
    public void Sum_of_a_sequence_and_of_nothing()
    {
        var g = AD.Grad(v => Sum(v.Select(x => x * x)), [1.0, 2.0, 3.0]);
        Assert.Equal([2.0, 4.0, 6.0], g);
        Assert.True(Sum().IsConstant);
        Assert.Equal(0.0, Sum().Value);
    }

    [Fact]
    public void LogSumExp_is_stable_and_its_gradient_is_the_softmax()
    {
        double[] x = [1000.0, 1001.0, 999.0];
        var (value, gradient) = AD.ValueAndGrad(v => LogSumExp(v), x);

        double z = Math.Exp(-1) + 1 + Math.Exp(-2);
        Assert.Equal(1001.0 + Math.Log(z), value, 1e-12);
        Assert.Equal(Math.Exp(-1) / z, gradient[0], 1e-15);
        Assert.Equal(1 / z, gradient[1], 1e-15);
        Assert.Equal(Math.Exp(-2) / z, gradient[2], 1e-15);
    }

    [Fact]
    public void LogSumExp_of_a_sequence_equals_that_of_the_span()
    {
        double[] x = [0.5, -1.0, 2.0];
        var fromSequence = AD.ValueAndGrad(v => LogSumExp(v.Select(vi => vi * 2.0)), x);
        var fromSpan = AD.ValueAndGrad(v => LogSumExp(v[0] * 2.0, v[1] * 2.0, v[2] * 2.0), x);
        Assert.Equal(fromSpan.Value, fromSequence.Value);
        Assert.Equal(fromSpan.Gradient, fromSequence.Gradient);
        double z = Math.Exp(1) + Math.Exp(-2) + Math.Exp(4);
        Assert.Equal(Math.Log(z), fromSequence.Value, 1e-14);
        Assert.Equal(2 * Math.Exp(4) / z, fromSequence.Gradient[2], 1e-14);
    }

    [Fact]
    public void LogSumExp_with_minus_infinity_entries_gives_them_zero_gradient()
    {
        var (value, gradient) = AD.ValueAndGrad(v => LogSumExp(v), [double.NegativeInfinity, 0.0, 0.0]);
        Assert.Equal(Math.Log(2), value, 1e-15);
        Assert.Equal([0.0, 0.5, 0.5], gradient);
        Assert.Equal(double.NegativeInfinity, LogSumExp().Value);
    }

    // Every entry −∞, an entry +∞, an entry NaN: the softmax is 0/0, ∞/∞ or NaN, so the gradient is NaN, as the tensor
    // LogSumExp's and NumPy's, PyTorch's and JAX's.
    [Theory]
    [InlineData(double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity)]
    [InlineData(double.PositiveInfinity, 0.0, double.PositiveInfinity)]
    [InlineData(double.NaN, 0.0, double.NaN)]
    public void LogSumExp_whose_result_is_not_finite_has_NaN_gradients_as_the_tensor_form(double a, double b, double expected)
    {
        var (value, gradient) = AD.ValueAndGrad(v => LogSumExp(v), [a, b]);
        Assert.Equal(expected, value);
        Assert.All(gradient, g => Assert.True(double.IsNaN(g), $"gradient {g}"));
        var tensor = AD.Grad(p => LogSumExp(p[0]), Tensor.Vector(a, b))[0].ToArray();
        Assert.Equal(tensor.Length, gradient.Length);
        Assert.All(tensor, g => Assert.True(double.IsNaN(g), $"tensor gradient {g}"));
    }

    [Fact]
    public void Dot_has_the_weights_as_partials_and_checks_lengths()
    {
        double[] w = [0.5, -2.0, 3.0];
        var g = AD.Grad(v => Dot(v, w), [1.0, 1.0, 1.0]);
        Assert.Equal(w, g);

        var error = Assert.Throws<ArgumentException>(() => AD.Grad(v => Dot(v, [1.0]), [1.0, 2.0]));
        Assert.Contains("length 2", error.Message);
        Assert.Contains("length 1", error.Message);
    }

    [Fact]
    public void Nary_checks_that_there_is_a_partial_per_input()
    {
        var error = Assert.Throws<ArgumentException>(() => AutoDiff.Tape.Nary("Mine", 1.0, [1.0, 2.0], [1.0]));
        Assert.Contains("Mine: 2 inputs but 1 partial derivatives", error.Message);
    }
}
