using System;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// <see cref="Tape.CheckFinite"/> over the tensor operations that are not elementwise: the first one whose result holds
/// NaN or ±∞ throws, naming itself, the element, and what its inputs held; finite results pass.
/// </summary>
public class FiniteResultCheckTests
{
    private static readonly Tensor Matrix = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);

    // Each case: the op's name and its number in Apply, which applies it (first, if with others) to a 2×3 matrix.
    public static TheoryData<string, int> Ops => new()
    {
        { "MatMul", 0 }, { "Linear", 1 }, { "T", 2 }, { "Sum", 3 }, { "Mean", 4 }, { "MaxAlong", 5 }, { "Softmax", 6 },
        { "LogSoftmax", 7 }, { "LogSumExp", 8 }, { "CrossEntropy", 9 }, { "Rows", 10 }, { "Concat", 11 }, { "Stack", 12 },
    };

    private static Tensor Apply(int op, Tensor x) => op switch
    {
        0 => Sum(x.MatMul(Tensor.FromArray([1, 1, 1], 3))),
        1 => Sum(Linear(x, Tensor.FromArray([1, 1, 1, 2, 2, 2], 2, 3), Tensor.Vector(0.5, 0.5))),
        2 => Sum(x.T),
        3 => Sum(x) + Sum(Sum(x, 1)),
        4 => Sum(Mean(x, 0)) + Mean(x),
        5 => Sum(MaxAlong(x, 1)),
        6 => Sum(Softmax(x)),
        7 => Sum(LogSoftmax(x)),
        8 => Sum(LogSumExp(x, 1)),
        9 => CrossEntropy(x, [0, 2]),
        10 => Sum(Rows(x, 0, 1)),
        11 => Sum(Concat(0, x, x)),
        _ => Sum(Stack(0, x, x)),
    };

    [Theory]
    [MemberData(nameof(Ops))]
    public void A_non_finite_input_is_named_by_the_first_op_that_reads_it(string name, int op)
    {
        var data = Matrix.ToArray();
        data[1] = double.NaN;
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Grad(p => Apply(op, p[0]), Tensor.FromArray(data, 2, 3)));
        Assert.Equal(name, error.Operation);
        Assert.True(double.IsNaN(error.Result));
        Assert.Contains("input 0 (shape [2, 3]) holds NaN at element 1", error.Message);
        Assert.Empty(error.Inputs);

        // Finite inputs pass, recorded or not.
        AD.Grad(p => Apply(op, p[0]), Matrix);
        using (AutoDiff.Tape.NoGrad())
        {
            Apply(op, Matrix);
        }
    }

    [Fact]
    public void An_overflow_from_finite_inputs_is_named_with_its_element()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        var huge = Tensor.FromArray([1e200, 1, 1, 1e200], 2, 2);
        var product = Assert.Throws<NonFiniteValueException>(() => AD.Grad(p => Sum(p[0].MatMul(p[0])), huge));
        Assert.Equal("MatMul", product.Operation);
        Assert.Equal(double.PositiveInfinity, product.Result);
        Assert.Equal("MatMul produced Infinity at element 0 of its result (shape [2, 2]); its inputs are all finite.", product.Message);

        var sum = Assert.Throws<NonFiniteValueException>(() => AD.Grad(p => Sum(Sum(p[0], 1)), Tensor.FromArray([1e308, 1e308, 1, 1], 2, 2)));
        Assert.Equal("Sum produced Infinity at element 0 of its result (shape [2]); its inputs are all finite.", sum.Message);

        // Under NoGrad too, as for elementwise ops: results are checked.
        using (AutoDiff.Tape.NoGrad())
        {
            Assert.Equal("MatMul", Assert.Throws<NonFiniteValueException>(() => huge.MatMul(huge)).Operation);
        }
    }

    [Fact]
    public void Without_checking_a_non_finite_result_passes_through()
    {
        var data = Matrix.ToArray();
        data[1] = double.PositiveInfinity;
        Assert.True(double.IsNaN(Softmax(Tensor.FromArray(data, 2, 3)).ToArray()[0]));
        Assert.Equal(double.PositiveInfinity, Sum(Tensor.FromArray(data, 2, 3).MatMul(Tensor.Vector(1, 1, 1))).Item());
    }

    // A throw leaves nothing recorded: caught inside the function, the gradient of what follows is exact.
    [Theory]
    [InlineData(0)] [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)]
    public void An_op_that_throws_records_nothing(int op)
    {
        var x = Tensor.FromArray([double.PositiveInfinity, 0, 1, 2], 2, 2);
        using var check = AutoDiff.Tape.CheckFinite();
        var g = AD.Grad(p =>
        {
            Assert.Throws<NonFiniteValueException>(() => op switch
            {
                0 => Softmax(p[0]),
                1 => LogSoftmax(p[0]),
                2 => LogSumExp(p[0], 1),
                3 => MaxAlong(p[0], 1),
                4 => Sum(p[0], 1),
                _ => p[0].MatMul(p[0]),
            });
            return Sum(Rows(p[0], 1) * Tensor.FromArray([3, 4], 1, 2));
        }, x)[0].ToArray();
        Assert.Equal([0.0, 0, 3, 4], g);
    }

    // Under NoGrad the softmax family checks too (not only recorded ops).
    [Fact]
    public void Unrecorded_softmax_family_is_checked()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        using var noGrad = AutoDiff.Tape.NoGrad();
        var x = Tensor.Vector(double.PositiveInfinity, 0);
        Assert.Equal("Softmax", Assert.Throws<NonFiniteValueException>(() => Softmax(x)).Operation);
        Assert.Equal("LogSumExp", Assert.Throws<NonFiniteValueException>(() => LogSumExp(x)).Operation);
        Assert.Equal("CrossEntropy", Assert.Throws<NonFiniteValueException>(() => CrossEntropy(Tensor.FromArray([double.NaN, 0], 1, 2), [0])).Operation);
    }

    // Every input holding a non-finite value is named, not only the first.
    [Fact]
    public void Every_non_finite_input_is_named()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        var e = Assert.Throws<NonFiniteValueException>(() => Linear(Tensor.FromArray([1, 2], 1, 2), Tensor.FromArray([1, 1], 1, 2), Tensor.Vector(double.NaN)));
        Assert.Equal("Linear produced NaN at element 0 of its result (shape [1, 1]); input 2 (shape [1]) holds NaN at element 0.", e.Message);
    }
}
