using System;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// A reduction along an empty axis has no elements to read, but its result has every other extent: reducing axis 1 of
/// [65536, 0, 65536] gives [65536, 65536], 2³² zeros, more than an array can hold. The result's size was the product of
/// the other extents in int arithmetic, which wrapped: to 0 (a tensor of shape [65536, 65536] holding no values), or to
/// a negative count (an OverflowException), or to a buffer shorter than the loops (an IndexOutOfRangeException).
/// </summary>
public class EmptyAxisReductionSizeTests
{
    public static TheoryData<string, Func<Tensor, Tensor>> Reductions() => new()
    {
        { "Sum", x => Sum(x, 1) },
        { "Mean", x => Mean(x, 1) },
        { "Sum", x => Sum(x, 1, keepDims: true) },
        { "LogSumExp", x => LogSumExp(x, 1) },
    };

    [Theory]
    [MemberData(nameof(Reductions))]
    public void A_result_too_large_for_an_array_is_an_ArgumentException_naming_the_op_and_the_shapes(string op, Func<Tensor, Tensor> reduce)
    {
        foreach (var shape in new[] { new[] { 65536, 0, 65536 }, [46341, 0, 46341], [50000, 0, 50000] })
        {
            var x = Tensor.Zeros(shape);
            var e = Assert.Throws<ArgumentException>(() => reduce(x));
            Assert.Contains(op, e.Message, StringComparison.Ordinal);
            Assert.Contains(TensorShape.Format(shape), e.Message, StringComparison.Ordinal);
            Assert.Contains("more elements than an array can hold", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_empty_axis_whose_result_fits_still_reduces_as_NumPy_does()
    {
        var x = Tensor.Zeros(3, 0, 2);
        Assert.Equal([3, 2], Sum(x, 1).Shape);
        Assert.Equal(new double[6], Sum(x, 1).ToArray());
        Assert.All(Mean(x, 1).ToArray(), v => Assert.True(double.IsNaN(v)));
        Assert.All(LogSumExp(x, 1).ToArray(), v => Assert.Equal(double.NegativeInfinity, v));
        Assert.Equal([0, 1, 2], Sum(Tensor.Zeros(0, 65536, 2), 1, keepDims: true).Shape);
    }
}
