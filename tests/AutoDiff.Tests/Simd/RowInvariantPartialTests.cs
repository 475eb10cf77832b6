using System;
using System.Linq;
using System.Runtime.Intrinsics;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Simd;

/// <summary>
/// Partials that read only inputs broadcast along a row (<see cref="PartialReads"/>) are evaluated once per row by the
/// backward loops, and give the same bits as the rule evaluated per element: counted on hand-written kernels, and checked
/// on the library's Divide at divisors where 1/b is ±∞ or NaN.
/// </summary>
[Collection(QuotientKernel.CounterCollection)]
public class RowInvariantPartialTests
{
    [Theory]
    [InlineData(256)]
    [InlineData(512)]
    public void A_binary_partial_reading_only_the_broadcast_input_runs_once_per_row(int width)
    {
        const int n = 64;
        var random = new Random(3);
        double[] a = [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5)];
        double[] dy = [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5)];
        double[] b = [1.7];
        double[] y = new double[n];
        ElementwiseLoops.BinaryValue<QuotientKernel>(a, 1, b, 0, y, 0);

        double[] daScalar = new double[n], daVector = new double[n], dbScalar = new double[1], dbVector = new double[1];
        ElementwiseLoops.BinaryBackward<QuotientKernel>(a, 1, b, 0, y, dy, daScalar, dbScalar, 0);
        QuotientKernel.PartialCalls = 0;
        ElementwiseLoops.BinaryBackward<QuotientKernel>(a, 1, b, 0, y, dy, daVector, dbVector, width);

        // ∂/∂a = 1/b reads only b: one evaluation for the row; ∂/∂b = −y/b reads the output, so it runs per block.
        int blocks = n / (width / 64);
        Assert.Equal(1 + blocks, QuotientKernel.PartialCalls);
        Assert.Equal(daScalar, daVector);
        Assert.Equal(dbScalar[0], dbVector[0], 1e-12);

        // With b per element, nothing is invariant: both partials run per block.
        double[] bRow = [.. Enumerable.Repeat(1.7, n)];
        QuotientKernel.PartialCalls = 0;
        ElementwiseLoops.BinaryBackward<QuotientKernel>(a, 1, bRow, 1, y, dy, new double[n], new double[n], width);
        Assert.Equal(2 * blocks, QuotientKernel.PartialCalls);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(512)]
    public void An_nary_partial_runs_once_per_row_only_when_every_input_it_reads_is_broadcast(int width)
    {
        const int n = 48;
        var random = new Random(5);
        double[] x0 = [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() + 0.5)];
        double[] dy = [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5)];
        double[] x1 = [2.5], x2 = [0.75], x1Row = [.. Enumerable.Repeat(2.5, n)];
        double[] y = new double[n];
        int blocks = n / (width / 64);

        // ∂/∂x₀ = x₁/x₂ reads x₁ and x₂, both broadcast: once per row.
        ElementwiseLoops.NaryValue<ProductOverQuotient>(x0, 1, x1, 0, x2, 0, default, 0, y, 0);
        double[] dScalar = new double[n], dVector = new double[n];
        ElementwiseLoops.NaryBackward<ProductOverQuotient>(x0, 1, x1, 0, x2, 0, default, 0, y, dy, dScalar, default, default, default, 0);
        ProductOverQuotient.Calls = 0;
        ElementwiseLoops.NaryBackward<ProductOverQuotient>(x0, 1, x1, 0, x2, 0, default, 0, y, dy, dVector, default, default, default, width);
        Assert.Equal(1, ProductOverQuotient.Calls);
        Assert.Equal(dScalar, dVector);

        // x₁ per element: the partial reads a changing input and runs per block.
        ProductOverQuotient.Calls = 0;
        ElementwiseLoops.NaryBackward<ProductOverQuotient>(x0, 1, x1Row, 1, x2, 0, default, 0, y, dy, new double[n], default, default, default, width);
        Assert.Equal(blocks, ProductOverQuotient.Calls);
    }

    [Fact]
    public void Division_by_a_broadcast_scalar_matches_the_per_element_rule_at_special_divisors()
    {
        double[] numerators = [.. Enumerable.Range(0, 27).Select(i => i % 5 == 0 ? 0.0 : Math.Sin(i) * 3)];
        foreach (double divisor in new[] { 1.5, 0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e-310, -3e300 })
        {
            var a = Tensor.Vector(numerators);
            var gradients = AD.Grad(p => Sum(p[0] / p[1]), a, Tensor.Scalar(divisor));
            double[] tensorPath = gradients[0].ToArray();
            for (int i = 0; i < numerators.Length; i++)
            {
                double expected = AD.Grad(p => p[0] / p[1], [numerators[i], divisor])[0];
                Assert.True(
                    BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(tensorPath[i]) || (double.IsNaN(expected) && double.IsNaN(tensorPath[i])),
                    $"∂(a/b)/∂a at a = {numerators[i]:R}, b = {divisor:R}: scalar {expected:R}, tensor {tensorPath[i]:R}");
            }
        }
    }

    // y = x₀·x₁/x₂, with ∂y/∂x₀ = x₁/x₂ reading x₁ and x₂; only that partial is vectorized and counted (x₀ alone is variable here).
    private readonly struct ProductOverQuotient : INaryKernel
    {
        public static int Calls;

        public static string Name => "ProductOverQuotient";

        public static int Arity => 3;

        public static double Value(double x0, double x1, double x2, double x3) => x0 * x1 / x2;

        public static double Derivative(int input, double x0, double x1, double x2, double x3, double result) => input switch
        {
            0 => x1 / x2,
            1 => x0 / x2,
            _ => -result / x2,
        };

        public static PartialReads DerivativeReads(int input) => input switch
        {
            0 => PartialReads.Input1 | PartialReads.Input2,
            1 => PartialReads.Input0 | PartialReads.Input2,
            _ => PartialReads.Input2 | PartialReads.Result,
        };

        public static void PartialTangents(ReadOnlySpan<double> values, ReadOnlySpan<double> tangents, double result, double resultTangent, Span<double> partialTangents) =>
            throw new NotSupportedException();

        public static bool IsDerivativeVectorized => true;

        public static Vector512<double> Derivative(int input, Vector512<double> x0, Vector512<double> x1, Vector512<double> x2, Vector512<double> x3, Vector512<double> result)
        {
            Calls++;
            return input switch { 0 => x1 / x2, 1 => x0 / x2, _ => -result / x2 };
        }

        public static Vector256<double> Derivative(int input, Vector256<double> x0, Vector256<double> x1, Vector256<double> x2, Vector256<double> x3, Vector256<double> result)
        {
            Calls++;
            return input switch { 0 => x1 / x2, 1 => x0 / x2, _ => -result / x2 };
        }
    }
}
