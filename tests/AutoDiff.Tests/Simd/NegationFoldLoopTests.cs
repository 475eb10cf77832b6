using System;
using System.Linq;
using Xunit;

namespace AutoDiff.Tests.Simd;

/// <summary>
/// The loop of a negation's rule folded into f(z)'s (<see cref="ElementwiseLoops.KeptPartialBackwardAfterNegation"/>)
/// against the two passes it replaces: the negation's rule (z̄ += z̄′·(−1)) and then f's with its kept partials
/// (z̄ += ȳ·p), each <see cref="ElementwiseLoops.UnaryBackward{TKernel}"/> over <see cref="SavedPartialKernel{TSign}"/>,
/// bit for bit (a NaN's sign aside), at every width and every length 0…3·8+3, assigning and adding, with adjoints per
/// element or one for all, and NaN, ±∞, ±0 among adjoints, partials and what z̄ held (a zero adjoint skips its term).
/// </summary>
public class NegationFoldLoopTests
{
    private static readonly double[] Specials =
    [
        0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1.0, -1.0, 1e-310, -3.5, 1e300, 0.0, 2.25, -0.0, 0.0,
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(256)]
    [InlineData(512)]
    public void The_folded_pass_gives_the_bits_of_the_two_passes(int width)
    {
        var random = new Random(width + 1);
        for (int n = 0; n <= 3 * 8 + 3; n++)
        {
            foreach (bool assign in new[] { true, false })
            {
                foreach (bool uniformDy in new[] { false, true })
                {
                    foreach (bool uniformNegated in new[] { false, true })
                    {
                        double[] partial = Draw(random, n), start = Draw(random, n);
                        double[] dy = Draw(random, uniformDy ? 1 : n), dNegated = Draw(random, uniformNegated ? 1 : n);
                        double[] expected = (double[])start.Clone(), actual = (double[])start.Clone();
                        double[] minusOnes = [.. Enumerable.Repeat(-1.0, n)];
                        ElementwiseLoops.UnaryBackward<SavedPartialKernel<AsKept>>(minusOnes, new double[n], dNegated, expected, width, assign);
                        ElementwiseLoops.UnaryBackward<SavedPartialKernel<AsKept>>(partial, new double[n], dy, expected, width, assign: false);
                        ElementwiseLoops.KeptPartialBackwardAfterNegation(partial, dy, dNegated, actual, width, assign);
                        for (int i = 0; i < n; i++)
                        {
                            Assert.True(
                                SameBits.ButNaNSign(expected[i], actual[i]),
                                $"width {width}, n = {n}, assign {assign}, element {i}: {actual[i]:R}, two passes {expected[i]:R} "
                                + $"(z̄ {start[i]:R}, z̄′ {dNegated[uniformNegated ? 0 : i]:R}, ȳ {dy[uniformDy ? 0 : i]:R}, p {partial[i]:R})");
                        }
                    }
                }
            }
        }
    }

    // Half special values (zeros most often, so that whole vectors of zero adjoints occur), half ordinary ones.
    private static double[] Draw(Random random, int n) =>
        [.. Enumerable.Range(0, n).Select(_ => random.Next(2) == 0 ? Specials[random.Next(Specials.Length)] : 4 * random.NextDouble() - 2)];
}
