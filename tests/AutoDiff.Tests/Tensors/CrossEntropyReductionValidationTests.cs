using System;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// A <see cref="Reduction"/> that is neither Sum nor Mean (a cast integer, say a "None" expected from PyTorch's
/// reduction='none') was read as Sum: the loss came back summed, silently, where MleOptions.Method refuses its like.
/// </summary>
public class CrossEntropyReductionValidationTests
{
    private static readonly Tensor Logits = Tensor.FromArray([0.5, -1.0, 2.0, 0.25, 0.0, -0.75], 2, 3);

    [Theory]
    [InlineData(2)]
    [InlineData(-1)]
    [InlineData(7)]
    public void An_undefined_reduction_is_an_ArgumentOutOfRangeException_naming_it(int value)
    {
        var reduction = (Reduction)value;
        foreach (var call in new Func<Tensor>[]
        {
            () => CrossEntropy(Logits, [0, 2], reduction),
            () => CrossEntropy(Logits, Tensor.Vector(0, 2), reduction),
            () => AD.Grad(p => CrossEntropy(p[0], [0, 2], reduction), Logits)[0],
        })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(call);
            Assert.Equal("reduction", e.ParamName);
            Assert.Contains($"CrossEntropy: reduction is {value}, which is not a Reduction (Sum or Mean)", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Sum_and_Mean_still_score_the_batch()
    {
        double sum = CrossEntropy(Logits, [0, 2], Reduction.Sum).Item();
        double mean = CrossEntropy(Logits, [0, 2], Reduction.Mean).Item();
        double row0 = Math.Log(Math.Exp(0.5) + Math.Exp(-1.0) + Math.Exp(2.0)) - 0.5;
        double row1 = Math.Log(Math.Exp(0.25) + Math.Exp(0.0) + Math.Exp(-0.75)) + 0.75;
        Assert.Equal(row0 + row1, sum, 14);
        Assert.Equal((row0 + row1) / 2, mean, 14);
    }
}
