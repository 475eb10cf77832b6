using System;
using System.Linq;
using Xunit;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// The broadcast shape itself (TensorShape.Broadcast): NumPy's rule, the result an input's own array when it equals that
/// input (shapes are never written, so no array is made for 1 − y or x + b), a new array otherwise, and ranks above the
/// stack buffer.
/// </summary>
public class BroadcastShapeTests
{
    [Theory]
    [InlineData(new[] { 100 }, new int[0], new[] { 100 })]
    [InlineData(new int[0], new[] { 4, 5 }, new[] { 4, 5 })]
    [InlineData(new int[0], new int[0], new int[0])]
    [InlineData(new[] { 1 }, new int[0], new[] { 1 })]
    [InlineData(new[] { 4, 5 }, new[] { 5 }, new[] { 4, 5 })]
    [InlineData(new[] { 4, 1 }, new[] { 4, 5 }, new[] { 4, 5 })]
    [InlineData(new[] { 1, 5 }, new[] { 3, 1, 5 }, new[] { 3, 1, 5 })]
    public void A_result_equal_to_an_input_is_that_inputs_array(int[] a, int[] b, int[] expected)
    {
        var result = TensorShape.Broadcast("Add", a, b);
        Assert.Equal(expected, result);
        Assert.True(ReferenceEquals(result, a) || ReferenceEquals(result, b));
    }

    [Theory]
    [InlineData(new[] { 2, 1 }, new[] { 1, 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 4, 1, 5 }, new[] { 3, 1 }, new[] { 4, 3, 5 })]
    public void A_result_equal_to_no_input_is_a_new_array(int[] a, int[] b, int[] expected)
    {
        var result = TensorShape.Broadcast("Add", a, b);
        Assert.Equal(expected, result);
        Assert.False(ReferenceEquals(result, a) || ReferenceEquals(result, b));
    }

    [Fact]
    public void Ranks_above_the_stack_buffer_broadcast_and_fail_as_below_it()
    {
        // Rank 11: [1, 2, 1, 2, …] against [2, 1, 2, 1, …] gives all 2s.
        var a = Enumerable.Range(0, 11).Select(i => i % 2 == 0 ? 1 : 2).ToArray();
        var b = Enumerable.Range(0, 11).Select(i => i % 2 == 0 ? 2 : 1).ToArray();
        Assert.Equal(Enumerable.Repeat(2, 11), TensorShape.Broadcast("Add", a, b));

        var c = Enumerable.Repeat(3, 11).ToArray();
        var error = Assert.Throws<ArgumentException>(() => TensorShape.Broadcast("Multiply", a, c));
        Assert.Contains("Multiply", error.Message);
        Assert.Contains(TensorShape.Format(a), error.Message);
        Assert.Contains(TensorShape.Format(c), error.Message);
    }

    [Fact]
    public void Broadcasting_a_scalar_against_a_tensor_gives_a_tensor_of_its_shape_and_values()
    {
        var y = Tensor.FromArray([0.0, 1.0, 1.0, 0.0, 0.5, 2.0], 2, 3);
        var oneMinusY = 1.0 - y;
        Assert.Equal([2, 3], oneMinusY.Shape);
        Assert.Equal([1.0, 0.0, 0.0, 1.0, 0.5, -1.0], oneMinusY.ToArray());
        var row = Tensor.Vector(10.0, 20.0, 30.0);
        Assert.Equal([10.0, 21.0, 31.0, 10.0, 20.5, 32.0], (y + row).ToArray());
    }
}
