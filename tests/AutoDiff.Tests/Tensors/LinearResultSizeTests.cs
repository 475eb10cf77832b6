using System;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// Linear's result is N × out whatever `in` is, so inputs of no elements (in = 0) can ask for more than an array holds.
/// Its size was rows · outputs in int arithmetic: 65536² wrapped to 0 and the GEMM's own length check spoke of "Gemm" and
/// of a C of 0 elements; 46341² wrapped negative, an OverflowException. MatMul of the same factors names itself and the
/// shape, and so must Linear.
/// </summary>
public class LinearResultSizeTests
{
    [Theory]
    [InlineData(65536)]
    [InlineData(46341)]
    [InlineData(50000)]
    public void A_result_too_large_for_an_array_is_an_ArgumentException_naming_Linear_and_the_shape(int n)
    {
        var x = Tensor.Zeros(n, 0);
        var w = Tensor.Zeros(n, 0);
        foreach (var call in new Func<object>[]
        {
            () => Linear(x, w),
            () => Linear(x, w, Tensor.Zeros(n)),
            () => AD.Grad(p => Sum(Linear(p[0], p[1])), x, w),
        })
        {
            var e = Assert.Throws<ArgumentException>(call);
            Assert.StartsWith("Linear:", e.Message, StringComparison.Ordinal);
            Assert.Contains($"[{n}, {n}]", e.Message, StringComparison.Ordinal);
            Assert.Contains("more elements than an array can hold", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Inputs_of_no_elements_with_a_result_that_fits_give_the_bias_on_every_row()
    {
        var y = Linear(Tensor.Zeros(3, 0), Tensor.Zeros(2, 0), Tensor.Vector(1.5, -2));
        Assert.Equal([3, 2], y.Shape);
        Assert.Equal([1.5, -2, 1.5, -2, 1.5, -2], y.ToArray());
        var g = AD.Grad(p => Sum(Linear(Tensor.Zeros(3, 0), Tensor.Zeros(2, 0), p[0])), Tensor.Vector(1.5, -2))[0];
        Assert.Equal([3.0, 3], g.ToArray());
    }
}
