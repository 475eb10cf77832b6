using System;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>Tensor cases an independent review (helper-52) found wrong: a reshape under NoGrad, LogSumExp of an empty variable.</summary>
public class NoGradAndEmptyReviewTests
{
    [Fact]
    public void A_reshape_under_NoGrad_is_a_constant_so_no_gradient_flows_through_it()
    {
        // f = Σ x·c with c = x reshaped under NoGrad (a constant): ∂f/∂x = c = x. The reshape shared x's nodes, so the
        // gradient came out 2x, and keeping c past the call threw.
        Tensor? kept = null;
        var gradient = AD.Grad(
            p =>
            {
                Tensor c;
                using (AutoDiff.Tape.NoGrad())
                {
                    c = p[0].Reshape(3);
                    kept = p[0].Reshape(3, 1);
                }

                Assert.True(c.IsConstant);
                return Sum(p[0] * c);
            },
            Tensor.Vector(1.0, 2.0, 3.0))[0].ToArray();
        Assert.Equal([1.0, 2.0, 3.0], gradient);
        Assert.Equal([3, 1], kept!.Shape);
        Assert.Equal([1.0, 2.0, 3.0], kept.ToArray());
    }

    [Fact]
    public void LogSumExp_of_an_empty_variable_is_recorded_like_its_axis_form()
    {
        // log Σ over no elements = log 0 = −∞, as NumPy's log(sum(exp([]))); the gradient is empty.
        using (AutoDiff.Tape.Scope())
        {
            var empty = Tensor.Leaf(Tensor.Zeros(0));
            var all = LogSumExp(empty);
            Assert.False(all.IsConstant);
            Assert.Equal(double.NegativeInfinity, all.Item());
            all.Backward();
            Assert.Empty(empty.Grad.ToArray());
        }

        Assert.Equal(double.NegativeInfinity, LogSumExp(Tensor.Zeros(0)).Item());
        Assert.Equal(double.NegativeInfinity, LogSumExp(Tensor.Zeros(0, 3)).Item());
    }
}
