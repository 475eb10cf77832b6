using System;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

public class TensorLayoutTests
{
    [Fact]
    public void Reshape_keeps_row_major_order_infers_minus_one_and_passes_gradients_through()
    {
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        Assert.Equal([3, 2], x.Reshape(3, -1).Shape);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], x.Reshape(6).ToArray());

        // y = Σ w ∘ reshape(x): ∂y/∂x is w laid back out in x's shape.
        double[] w = [10, 20, 30, 40, 50, 60];
        var g = AD.Grad(t => Sum(t[0].Reshape(3, 2) * Tensor.FromArray(w, 3, 2)), x)[0];
        Assert.Equal([2, 3], g.Shape);
        Assert.Equal(w, g.ToArray());
    }

    [Fact]
    public void Reshape_to_a_different_size_is_rejected_with_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Reshape(4, 2));
        Assert.Contains("shape [2, 3] (6 elements) cannot take shape [4, 2]", error.Message);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(6).Reshape(-1, -1));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(7).Reshape(2, -1));
    }

    [Fact]
    public void Transpose_swaps_indices_and_its_gradient_is_the_transposed_seed()
    {
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var t = x.T;
        Assert.Equal([3, 2], t.Shape);
        Assert.Equal([1.0, 4, 2, 5, 3, 6], t.ToArray());

        double[] w = [1, 2, 3, 4, 5, 6]; // weights on the 3×2 transpose
        var g = AD.Grad(v => Sum(v[0].T * Tensor.FromArray(w, 3, 2)), x)[0];
        Assert.Equal([1.0, 3, 5, 2, 4, 6], g.ToArray()); // ∂/∂x_ij = w_ji
        Assert.Contains("shape [3]", Assert.Throws<ArgumentException>(() => Tensor.Zeros(3).T).Message);
    }

    // A tensor that is not a matrix is a shape error, an ArgumentException naming the op and the shape, as every other
    // op's (MatMul, Reshape, broadcasting): it was an InvalidOperationException, the exception of a tape's misuse (a
    // stale tensor, scopes closed out of order).
    [Theory]
    [InlineData(new int[0], "[]")]
    [InlineData(new[] { 3 }, "[3]")]
    [InlineData(new[] { 2, 3, 4 }, "[2, 3, 4]")]
    public void Transpose_of_a_tensor_that_is_not_a_matrix_is_an_ArgumentException_naming_T_and_the_shape(int[] shape, string formatted)
    {
        var constant = Assert.Throws<ArgumentException>(() => Tensor.Zeros(shape).T);
        Assert.Equal($".T (Transpose): needs a matrix (rank 2); this tensor has shape {formatted}.", constant.Message);

        using var scope = AutoDiff.Tape.Scope();
        var leaf = Tensor.Leaf(Tensor.Zeros(shape));
        Assert.Contains($"shape {formatted}", Assert.Throws<ArgumentException>(() => leaf.T).Message, StringComparison.Ordinal);
    }
}
