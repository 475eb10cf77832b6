using System;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

public class TensorTapeTests
{
    [Fact]
    public void Creation_and_read_back()
    {
        var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        Assert.Equal([2, 3], t.Shape);
        Assert.Equal(2, t.Rank);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], t.ToArray());
        Assert.Equal([1.0, 2, 3, 4], Tensor.From(new double[,] { { 1, 2 }, { 3, 4 } }).ToArray());
        Assert.Equal(7.5, Tensor.Scalar(7.5).Item());
        Assert.Equal([0.0, 0, 0], Tensor.Zeros(3).ToArray());
        Assert.Contains("3 values cannot fill shape [2, 2]", Assert.Throws<ArgumentException>(() => Tensor.FromArray([1, 2, 3], 2, 2)).Message);
        Assert.Contains("shape [2]", Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(2).Item()).Message);
    }

    [Fact]
    public void Rank_0_tensors_and_Vars_convert_into_each_other_and_share_the_node()
    {
        var g = AD.Grad(v =>
        {
            Tensor t = v[0];                 // Var → rank-0 tensor
            Var s = Sum(Exp(t) * 2.0);       // rank-0 tensor → Var
            return s * v[1];
        }, [0.5, 3.0]);

        Assert.Equal(2.0 * Math.Exp(0.5) * 3.0, g[0], 1e-14);
        Assert.Equal(2.0 * Math.Exp(0.5), g[1], 1e-14);
    }

    [Fact]
    public void Imperative_Backward_and_Grad_on_tensors()
    {
        using var scope = AutoDiff.Tape.Scope();
        var x = Tensor.Leaf(Tensor.Vector(1, 2, 3));
        var loss = Sum(Square(x));
        loss.Backward();
        Assert.Equal([2.0, 4, 6], x.Grad.ToArray());
    }

    [Fact]
    public void Creating_a_tensor_from_null_names_the_parameter()
    {
        // Tensor.Vector(null) threw a NullReferenceException from inside the library; its siblings already named the argument.
        Assert.Equal("values", Assert.Throws<ArgumentNullException>(() => Tensor.Vector(null!)).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => Tensor.FromArray(null!, 2)).ParamName);
        Assert.Equal("matrix", Assert.Throws<ArgumentNullException>(() => Tensor.From(null!)).ParamName);
        Assert.Equal("shape", Assert.Throws<ArgumentNullException>(() => Tensor.Zeros(null!)).ParamName);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    public void Backward_from_a_tensor_without_exactly_one_element_names_Backward_and_the_shape(int size)
    {
        // It spoke of converting to a Var ("Only a tensor with one element converts to a Var"), a call the user never wrote.
        using var scope = AutoDiff.Tape.Scope();
        var y = Square(Tensor.Leaf(Tensor.Zeros(size)));
        var error = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains($"Backward() needs a result with one element (a loss); this tensor has shape [{size}].", error.Message);
        Assert.Contains("Ops.Sum", error.Message);
    }

    [Fact]
    public void A_tensor_used_after_its_scope_ended_throws()
    {
        Tensor stale;
        using (AutoDiff.Tape.Scope())
        {
            stale = Exp(Tensor.Leaf(Tensor.Vector(1, 2)));
        }

        var error = Assert.Throws<InvalidOperationException>(() => stale.ToArray());
        Assert.Contains("after the tape scope that recorded it ended", error.Message);
        Assert.Throws<InvalidOperationException>(() => Exp(stale));
    }

    [Fact]
    public void NoGrad_and_Detach_make_constant_tensors_that_outlive_the_scope()
    {
        Tensor kept;
        using (AutoDiff.Tape.Scope())
        {
            var w = Tensor.Leaf(Tensor.Vector(1, 2));
            using (AutoDiff.Tape.NoGrad())
            {
                kept = w - 0.5 * Exp(w);
            }

            Assert.True(kept.IsConstant);
            Assert.True(w.Detach().IsConstant);
        }

        Assert.Equal(1 - 0.5 * Math.Exp(1), kept.ToArray()[0], 1e-15);
    }

}

[Collection(MemoryCollection.Name)]
public class TensorMemoryTests
{
    [Fact]
    public void A_long_training_loop_runs_in_bounded_memory()
    {
        // Plain gradient descent on Σ (w − 3)² for 10⁵ steps: every step's intermediates come from pooled memory
        // that the scope returns, so the heap does not grow with the number of steps.
        var w = Tensor.Zeros(64);
        long before = 0;
        for (int step = 0; step < 100_000; step++)
        {
            if (step == 1000)
            {
                GC.Collect();
                before = GC.GetTotalMemory(forceFullCollection: true);
            }

            var g = AD.Grad(t => Sum(Square(t[0] - 3.0)), w)[0];
            using (AutoDiff.Tape.NoGrad())
            {
                w = w - 0.01 * g;
            }
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(after - before < 1_000_000, $"heap grew by {after - before} bytes");
        Assert.All(w.ToArray(), v => Assert.Equal(3.0, v, 1e-9));
    }
}
