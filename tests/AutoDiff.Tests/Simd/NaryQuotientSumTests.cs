using System;
using System.Linq;
using Xunit;

namespace AutoDiff.Tests.Simd;

/// <summary>
/// The backward of a three- or four-input kernel whose rule is one quotient n/v by an expression of inputs
/// (<see cref="INaryKernel.DerivativeDivisorReads"/>): summed into a broadcast input while v reads only broadcast inputs,
/// it must equal the per-element rule summed (the scalar loop, width 0) without a per-element division, at every length
/// around the vector widths; where v changes along the row it is the per-element rule; and at special divisors the
/// sum is what the per-element rule gives.
/// </summary>
[Collection(QuotientKernel.CounterCollection)]
public class NaryQuotientSumTests
{
    public static TheoryData<int, bool> Widths() => new() { { 256, false }, { 256, true }, { 512, false }, { 512, true } };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Quotients_by_broadcast_inputs_are_summed_as_one_division_per_row_and_equal_the_per_element_rule(int width, bool uniform)
    {
        var random = new Random(width + (uniform ? 1 : 0));
        int lanes = width / 64;
        for (int n = 0; n <= 3 * lanes + 3; n++)
        {
            double[] x = [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() * 4 - 2)];
            double[] a = [-1.37], b = [0.83];
            double[] y = new double[n];
            ElementwiseLoops.NaryValue<NaryQuotientKernel>(x, 1, a, 0, b, 0, [0.0], 0, y, 0);
            double[] dy = uniform ? [0.625] : [.. Enumerable.Range(0, n).Select(i => i % 3 == 1 ? 0.0 : random.NextDouble() - 0.5)];
            double G(int i) => uniform ? dy[0] : dy[i];

            // Σ g·∂/∂a = Σ g·(−xᵢ/(a²b)), Σ g·∂/∂b = Σ g·(−xᵢ/(ab²)), written independently of the kernel.
            double expectedA = Enumerable.Range(0, n).Sum(i => G(i) * (-x[i] / (a[0] * a[0] * b[0])));
            double expectedB = Enumerable.Range(0, n).Sum(i => G(i) * (-x[i] / (a[0] * b[0] * b[0])));
            double[] scalarA = [0.0], scalarB = [0.0], vectorA = [0.0], vectorB = [0.0];
            ElementwiseLoops.NaryBackward<NaryQuotientKernel>(x, 1, a, 0, b, 0, default, 0, y, dy, default, scalarA, scalarB, default, 0);
            NaryQuotientKernel.PartialCalls = NaryQuotientKernel.NumeratorCalls = 0;
            ElementwiseLoops.NaryBackward<NaryQuotientKernel>(x, 1, a, 0, b, 0, default, 0, y, dy, default, vectorA, vectorB, default, width);

            Assert.Equal(expectedA, scalarA[0], 1e-12);
            Assert.Equal(expectedB, scalarB[0], 1e-12);
            Assert.Equal(scalarA[0], vectorA[0], 1e-12);
            Assert.Equal(scalarB[0], vectorB[0], 1e-12);

            // Both partials by their numerators alone, once per block: n/8 blocks of 512 bits and one of 256 where four
            // or more elements are left, or n/4 blocks of 256 bits.
            int blocks = width == 512 ? n / 8 + (n % 8 >= 4 ? 1 : 0) : n / 4;
            Assert.Equal(0, NaryQuotientKernel.PartialCalls);
            Assert.Equal(2 * blocks, NaryQuotientKernel.NumeratorCalls);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void A_quotient_whose_divisor_changes_along_the_row_is_evaluated_per_element(int width, bool uniform)
    {
        // b per element: ∂/∂a = −x/(a²bᵢ) divides by bᵢ, so the broadcast a sums the whole rule; x per element is no sum.
        const int n = 29;
        double[] x = [.. Enumerable.Range(0, n).Select(i => Math.Sin(i) + 0.3)];
        double[] a = [0.8];
        double[] b = [.. Enumerable.Range(0, n).Select(i => 0.5 + 0.1 * i)];
        double[] y = new double[n];
        ElementwiseLoops.NaryValue<NaryQuotientKernel>(x, 1, a, 0, b, 1, [0.0], 0, y, 0);
        double[] dy = uniform ? [1.5] : [.. Enumerable.Range(0, n).Select(i => Math.Cos(i))];
        double G(int i) => uniform ? dy[0] : dy[i];
        double[] dx = new double[n], da = [0.0];
        NaryQuotientKernel.PartialCalls = NaryQuotientKernel.NumeratorCalls = 0;
        ElementwiseLoops.NaryBackward<NaryQuotientKernel>(x, 1, a, 0, b, 1, default, 0, y, dy, dx, da, default, default, width);

        Assert.Equal(Enumerable.Range(0, n).Sum(i => G(i) * (-x[i] / (a[0] * a[0] * b[i]))), da[0], 1e-12);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(G(i) / (a[0] * b[i]), dx[i], 1e-12);
        }

        Assert.Equal(0, NaryQuotientKernel.NumeratorCalls);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(512)]
    public void Where_one_division_per_row_would_not_round_alike_the_sum_is_what_the_per_element_rule_gives(int width)
    {
        // The row is summed again with the rule itself where v = a·a·b is 0, ±∞, NaN or subnormal (a = 1e−160), where
        // Σ g·n is not finite (an infinite x with an adjoint) and where Σ g·n is among the subnormals' neighbours (x near
        // 1e−290): the scalar loop's result, NaN for NaN and the same infinity. x's own adjoints, per element, are
        // requested too, so that summing the row again cannot add them twice.
        double[] divisors = [1.5, 0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e-160, -3e150];
        var cases = divisors.Select(a => (A: a, X: (Func<int, double>)(i => i % 5 == 0 ? 0.0 : Math.Sin(i) * 3)))
            .Append((A: 0.75, X: i => i == 2 ? double.PositiveInfinity : Math.Sin(i)))
            .Append((A: 0.75, X: i => 1e-290 * Math.Sin(i)));
        foreach (int n in new[] { 4, 5, 8, 9, 16, 17, 27, 40 })
        {
            double[] dy = [.. Enumerable.Range(0, n).Select(i => i % 4 == 3 ? 0.0 : Math.Cos(i))];
            foreach (var (aValue, xOf) in cases)
            {
                double[] x = [.. Enumerable.Range(0, n).Select(xOf)];
                double[] a = [aValue], b = [1.25];
                double[] y = new double[n];
                ElementwiseLoops.NaryValue<NaryQuotientKernel>(x, 1, a, 0, b, 0, [0.0], 0, y, 0);
                double expected = Enumerable.Range(0, n).Where(i => dy[i] != 0.0).Sum(i => dy[i] * NaryQuotientKernel.Derivative(1, x[i], aValue, 1.25, 0.0, y[i]));
                double[] dx = new double[n], da = [0.0];
                ElementwiseLoops.NaryBackward<NaryQuotientKernel>(x, 1, a, 0, b, 0, default, 0, y, dy, dx, da, default, default, width);
                Assert.True(
                    double.IsNaN(expected) ? double.IsNaN(da[0]) : double.IsInfinity(expected) ? da[0] == expected : Math.Abs(da[0] - expected) <= 1e-12 * Math.Abs(expected),
                    $"n = {n}, a = {aValue:R}, x[1] = {x[1]:R}: per element {expected:R}, vector {da[0]:R}");
                for (int i = 0; i < n; i++)
                {
                    double expectedX = dy[i] == 0.0 ? 0.0 : dy[i] * (1.0 / (aValue * 1.25));
                    Assert.True(
                        double.IsNaN(expectedX) ? double.IsNaN(dx[i]) : dx[i] == expectedX || Math.Abs(dx[i] - expectedX) <= 1e-15 * Math.Abs(expectedX),
                        $"n = {n}, a = {aValue:R}: dx[{i}] = {dx[i]:R}, per element {expectedX:R}");
                }
            }
        }
    }
}
