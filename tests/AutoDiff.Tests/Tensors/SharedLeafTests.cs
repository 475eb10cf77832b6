using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// AD.ValueAndGrad's leaves read a constant input's own values rather than a copy (Tape.TensorLeafOver): the gradient
/// must be what it was with copies whatever else the function does with the same tensor, the input must come out
/// unchanged, and a leaf must stop being readable when the call ends, as a copied one did.
/// </summary>
public class SharedLeafTests
{
    [Fact]
    public void A_constant_input_is_read_in_place_and_comes_out_unchanged()
    {
        double[] values = [.. Enumerable.Range(0, 37).Select(i => Math.Sin(0.3 * i) + 0.1)];
        var x = Tensor.Vector(values);
        var (value, gradients) = AD.ValueAndGrad(
            p =>
            {
                Assert.Same(x.Data, p[0].Data);
                return Sum(p[0] * p[0] * p[0]);
            },
            x);

        Assert.Equal(values.Sum(v => v * v * v), value, 1e-12);
        Assert.Equal(values.Select(v => 3 * v * v), gradients[0].ToArray(), new Tolerance(1e-12));
        Assert.Equal(values, x.ToArray());
    }

    [Fact]
    public void The_same_tensor_passed_twice_and_used_as_a_constant_gives_each_leaf_its_own_gradient()
    {
        // f(p, q) = Σ p·q·x at p = q = x: ∂f/∂p = q·x = x², ∂f/∂q = p·x = x², x itself a constant in f.
        double[] values = [.. Enumerable.Range(0, 21).Select(i => 0.5 * i - 3.0)];
        var x = Tensor.Vector(values);
        var gradients = AD.Grad(p => Sum(p[0] * p[1] * x), x, x);

        double[] squares = [.. values.Select(v => v * v)];
        Assert.Equal(squares, gradients[0].ToArray(), new Tolerance(1e-12));
        Assert.Equal(squares, gradients[1].ToArray(), new Tolerance(1e-12));
        Assert.Equal(values, x.ToArray());
    }

    [Fact]
    public void A_leaf_kept_past_its_call_is_refused_as_a_copied_one_was()
    {
        var x = Tensor.Vector(1.0, 2.0, 3.0);
        Tensor? kept = null;
        AD.ValueAndGrad(p => { kept = p[0]; return Sum(p[0] * p[0]); }, x);

        Assert.Throws<InvalidOperationException>(() => kept!.ToArray());
        Assert.Equal([1.0, 2.0, 3.0], x.ToArray());
    }

    private sealed class Tolerance(double absolute) : System.Collections.Generic.IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= absolute;

        public int GetHashCode(double value) => 0;
    }
}
