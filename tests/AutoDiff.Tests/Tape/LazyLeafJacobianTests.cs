using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

/// <summary>
/// AD.Jacobian over a leaf of at least <c>Tape.LazyAdjointMinSize</c> elements: a sweep may leave the leaf's adjoints as
/// one uniform value (a <c>Sum</c>) or as a constant's values (<c>Sum(c * x)</c>), not written out, so each row is read
/// through the lazy bookkeeping, never from whatever an earlier sweep left in those nodes (found by a review of the lazily
/// cleared leaves). Oracle: closed forms.
/// </summary>
public class LazyLeafJacobianTests
{
    // Leaves stale values in the nodes the Jacobian's leaf will take (both calls open their scope at the same node).
    private static void Dirty(double[] x) => AD.Grad(p => Sum(Square(p[0]) * 3.0), Tensor.Vector(x));

    [Theory]
    [InlineData(15)] // below LazyAdjointMinSize: cleared up front
    [InlineData(16)]
    [InlineData(1000)]
    public void The_Jacobian_of_a_sum_is_a_row_of_ones(int n)
    {
        double[] x = RandomData.Symmetric(n, 1);
        Dirty(x);
        double[] row = AD.Jacobian(v => Sum(v), Tensor.Vector(x)).ToArray();
        Assert.All(row, value => Assert.Equal(1.0, value));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(100)]
    public void The_Jacobian_of_a_scaled_sum_is_the_scale(int n)
    {
        double[] x = RandomData.Symmetric(n, 2);
        Dirty(x);
        double[] row = AD.Jacobian(v => Sum(v * 2.0), Tensor.Vector(x)).ToArray();
        Assert.All(row, value => Assert.Equal(2.0, value));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(100)]
    public void The_Jacobian_of_a_weighted_sum_is_the_weights(int n)
    {
        double[] x = RandomData.Symmetric(n, 3), c = RandomData.Symmetric(n, 4);
        var weights = Tensor.Vector(c);
        Dirty(x);
        double[] row = AD.Jacobian(v => Sum(weights * v), Tensor.Vector(x)).ToArray();
        for (int j = 0; j < n; j++)
        {
            Assert.Equal(c[j], row[j]);
        }
    }
}
