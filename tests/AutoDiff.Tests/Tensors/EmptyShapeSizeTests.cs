using System;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// A shape with a zero extent holds no elements, as NumPy's <c>zeros((65536, 65536, 0))</c> does. The size check
/// multiplied the extents left to right and refused the product of those before the 0 as "more elements than an array
/// can hold", a false statement about an empty shape, while the same extents with the 0 first ([0, 65536, 65536]) passed.
/// </summary>
public class EmptyShapeSizeTests
{
    [Fact]
    public void A_zero_extent_anywhere_makes_an_empty_shape_whatever_the_other_extents()
    {
        foreach (var shape in new[] { new[] { 65536, 65536, 0 }, [0, 65536, 65536], [65536, 0, 65536], [65537, 65537, 0, 3] })
        {
            var zeros = Tensor.Zeros(shape);
            Assert.Equal(shape, zeros.Shape);
            Assert.Equal(0, zeros.Size);
            Assert.Equal(shape, Tensor.FromArray([], shape).Shape);
            Assert.Equal(shape, Tensor.Zeros(0).Reshape(shape).Shape);
            Assert.Equal(0.0, Sum(zeros).Item());
            Assert.Equal(shape, (zeros + 1.0).Shape);
            Assert.Equal(shape, AD.Grad(p => Sum(p[0] * p[0]), zeros)[0].Shape);
        }
    }

    [Fact]
    public void A_trailing_zero_extent_works_through_the_shape_operations()
    {
        var x = Tensor.Zeros(65536, 65536, 0);
        Assert.Equal([65536, 0], Sum(x, 0).Shape);
        Assert.Equal([131072, 65536, 0], Concat(0, x, x).Shape);
        Assert.Equal([65536, 65536, 0, 2], Stack(-1, x, x).Shape);
        Assert.Equal([2, 65536, 0], Rows(x, 1, 0).Shape);
        Assert.Equal([65536, 65536, 0], Softmax(x, 0).Shape);

        // Reducing the empty axis would make [65536, 65536], which no array holds: refused, naming it.
        Assert.Contains("more elements than an array can hold", Assert.Throws<ArgumentException>(() => Sum(x, 2)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shape_with_elements_beyond_an_array_and_a_negative_extent_are_still_refused()
    {
        Assert.Contains("more elements than an array can hold",
            Assert.Throws<ArgumentException>(() => Tensor.Zeros(65536, 65537)).Message, StringComparison.Ordinal);
        Assert.Contains("negative extent",
            Assert.Throws<ArgumentException>(() => Tensor.Zeros(65536, 65536, -1, 0)).Message, StringComparison.Ordinal);
    }
}
