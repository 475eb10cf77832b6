using System;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// <see cref="Tape.CheckFinite"/> in the reverse sweep over tensor records: the first rule that leaves an input's adjoint
/// NaN or ±∞ while its output's adjoints are finite throws, naming the operation, the input, the element and the shapes.
/// Before, each case returned an infinite gradient without an exception, as it still does without checking.
/// </summary>
public class SweepFiniteCheckTensorTests
{
    // Sum(x · √u) at x = (1e300, 1), u = (1e-300, 1): ∂/∂u₀ = x₀ · ½/√u₀ = 1e300 · 5e149.
    private static Tensor ScaledRoot(Tensor[] p) => Sum(p[0] * Sqrt(p[1]));

    private static readonly Tensor[] RootPoint = [Tensor.Vector(1e300, 1.0), Tensor.Vector(1e-300, 1.0)];

    [Fact]
    public void An_elementwise_rule_that_overflows_names_the_element_and_the_shapes()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Grad(ScaledRoot, RootPoint));

        Assert.Equal(
            "Sqrt produced Infinity in the reverse sweep as the adjoint of element 0 of its input 0 (shape [2]), from finite adjoints of its result (shape [2], largest magnitude 1E+300).",
            error.Message);
        Assert.Equal("Sqrt", error.Operation);
        Assert.Equal(0, error.InputPosition);
        Assert.Equal(double.PositiveInfinity, error.Result);
    }

    [Fact]
    public void Without_checking_the_same_tensor_gradient_is_infinite_and_nothing_throws()
    {
        var gradients = AD.Grad(ScaledRoot, RootPoint);

        Assert.Equal([double.PositiveInfinity, 0.5], gradients[1].ToArray());
    }

    [Fact]
    public void A_broadcast_input_whose_summed_adjoint_overflows_is_named()
    {
        // Sum(c · w), w of shape [1] broadcast over c = (1e308, 1e308): w's adjoint is the sum 1e308 + 1e308.
        var c = Tensor.Vector(1e308, 1e308);
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Grad(p => Sum(c * p[0]), Tensor.Vector(1e-10)));

        Assert.Equal(
            "Multiply produced Infinity in the reverse sweep as the adjoint of element 0 of its input 1 (shape [1]), from finite adjoints of its result (shape [2], largest magnitude 1).",
            error.Message);
        Assert.Equal(1, error.InputPosition);
    }

    [Fact]
    public void A_matrix_product_whose_backward_overflows_is_named()
    {
        // Sum(1e300 · AB): ∂/∂A = 1e300 · 1 Bᵀ, and B holds 1e10.
        var b = Tensor.FromArray([1e10, 0, 0, 1], 2, 2);
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Grad(p => Sum(p[0].MatMul(b) * 1e300), Tensor.FromArray([1e-20, 0, 0, 1e-20], 2, 2)));

        Assert.Equal(
            "MatMul produced Infinity in the reverse sweep as the adjoint of element 0 of its input 0 (shape [2, 2]), from finite adjoints of its result (shape [2, 2], largest magnitude 1E+300).",
            error.Message);
    }

    [Fact]
    public void A_reduction_whose_adjoint_adds_up_past_the_largest_double_is_named()
    {
        // Sum(x)·1e308 + Sum(1e308·x): the second term gives x the adjoint 1e308, and Sum(x)'s rule adds 1e308 to it.
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Grad(p => Sum(p[0]) * 1e308 + Sum(1e308 * p[0]), Tensor.Vector(1e-300, 1e-300)));

        Assert.Equal(
            "Sum produced Infinity in the reverse sweep as the adjoint of element 0 of its input 0 (shape [2]), from the adjoint 1E+308 of its result (shape []).",
            error.Message);
    }

    [Fact]
    public void Adjoints_kept_as_one_value_for_a_large_tensor_are_checked_too()
    {
        // Sum((x·1)·1e10)·1e300 with 20 elements: the sum hands (x·1)·1e10 the one adjoint 1e300, and the product's rule
        // hands x·1 the one adjoint 1e300·1e10 = ∞, for every element, without writing any of them.
        var x = Tensor.FromArray(new double[20], 20);
        using var check = AutoDiff.Tape.CheckFinite();
        var uniform = Assert.Throws<NonFiniteValueException>(() => AD.Grad(p => Sum(p[0] * 1.0 * 1e10) * 1e300, x));
        Assert.Equal(
            "Multiply produced Infinity in the reverse sweep as the adjoint of every element of its input 0 (shape [20]), from the adjoint 1E+300 of every element of its result (shape [20]).",
            uniform.Message);
        Assert.Equal(1e300, uniform.IncomingAdjoint);

        // Sum(m)·1e308 + Sum(1e308·m), m = x·1: m's one adjoint 1e308, written out when Sum(m)'s rule adds 1e308 to it.
        var written = Assert.Throws<NonFiniteValueException>(() => AD.Grad(p => { var m = p[0] * 1.0; return Sum(m) * 1e308 + Sum(1e308 * m); }, x));
        Assert.Equal(
            "Sum produced Infinity in the reverse sweep as the adjoint of element 0 of its input 0 (shape [20]), from the adjoint 1E+308 of its result (shape []).",
            written.Message);
    }

    [Fact]
    public void Finite_tensor_sweeps_pass_and_agree_with_the_unchecked_ones()
    {
        static Tensor F(Tensor[] p) => Sum(LogSoftmax(p[0].MatMul(p[1]))) + Mean(Sum(p[0] * p[0], 1)) + Sum(Concat(0, p[0], Sqrt(p[0])));
        Tensor[] x = [Tensor.FromArray([0.5, 1, 2, 3], 2, 2), Tensor.FromArray([1, -1, 0.5, 2], 2, 2)];
        var plain = AD.Grad(F, x);
        using var check = AutoDiff.Tape.CheckFinite();
        var checkedGradients = AD.Grad(F, x);
        Assert.Equal(plain[0].ToArray(), checkedGradients[0].ToArray());
        Assert.Equal(plain[1].ToArray(), checkedGradients[1].ToArray());
    }
}
