using System;
using System.Linq;
using System.Runtime.Intrinsics;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Simd;

/// <summary>
/// The adjoint of a binary operation's one variable input broadcast along the row is one sum (BroadcastSums): it must
/// equal the per-element rule summed (the scalar loop, width 0) at every length around the vector widths, with adjoints
/// per element (zeros among them) or one for the row; a quotient rule n/v must be summed as (Σ g·n)/v, without its
/// per-element division; and a zero adjoint must contribute nothing whatever the partial.
/// </summary>
[Collection(QuotientKernel.CounterCollection)]
public class BroadcastSumTests
{
    public static TheoryData<int, bool> Widths() => new() { { 256, false }, { 256, true }, { 512, false }, { 512, true } };

    [Theory]
    [MemberData(nameof(Widths))]
    public void A_quotient_rule_summed_into_a_broadcast_divisor_equals_the_per_element_rule_without_its_divisions(int width, bool uniform)
    {
        var random = new Random(width + (uniform ? 1 : 0));
        int lanes = width / 64;
        for (int n = 0; n <= 3 * lanes + 3; n++)
        {
            double[] a = [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() * 4 - 2)];
            double[] b = [-1.37];
            double[] y = new double[n];
            ElementwiseLoops.BinaryValue<QuotientKernel>(a, 1, b, 0, y, 0);
            double[] dy = uniform ? [0.625] : [.. Enumerable.Range(0, n).Select(i => i % 3 == 1 ? 0.0 : random.NextDouble() - 0.5)];

            // Σ g·∂(a/b)/∂b = Σ g·(−aᵢ/b²), written independently of the kernel.
            double expected = Enumerable.Range(0, n).Sum(i => (uniform ? dy[0] : dy[i]) * (-a[i] / (b[0] * b[0])));
            double[] scalar = [0.0], vector = [0.0];
            ElementwiseLoops.BinaryBackward<QuotientKernel>(a, 1, b, 0, y, dy, default, scalar, 0);
            QuotientKernel.PartialCalls = QuotientKernel.NumeratorCalls = 0;
            ElementwiseLoops.BinaryBackward<QuotientKernel>(a, 1, b, 0, y, dy, default, vector, width);

            Assert.Equal(expected, scalar[0], 1e-12);
            Assert.Equal(scalar[0], vector[0], 1e-12);
            Assert.Equal(0, QuotientKernel.PartialCalls);
            Assert.Equal(n / lanes, QuotientKernel.NumeratorCalls);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void A_quotient_rule_whose_divisor_changes_along_the_row_is_evaluated_per_element(int width, bool uniform)
    {
        // y = a/b summed into a broadcast a: ∂y/∂a = 1/bᵢ divides by b, which has a value per element here.
        const int n = 29;
        double[] a = [0.8];
        double[] b = [.. Enumerable.Range(0, n).Select(i => 0.5 + 0.1 * i)];
        double[] y = new double[n];
        ElementwiseLoops.BinaryValue<QuotientKernel>(a, 0, b, 1, y, 0);
        double[] dy = uniform ? [1.5] : [.. Enumerable.Range(0, n).Select(i => Math.Cos(i))];
        double[] da = [0.0];
        QuotientKernel.PartialCalls = QuotientKernel.NumeratorCalls = 0;
        ElementwiseLoops.BinaryBackward<QuotientKernel>(a, 0, b, 1, y, dy, da, default, width);

        Assert.Equal(Enumerable.Range(0, n).Sum(i => (uniform ? dy[0] : dy[i]) / b[i]), da[0], 1e-12);
        Assert.Equal(0, QuotientKernel.NumeratorCalls);
        Assert.Equal(n / (width / 64), QuotientKernel.PartialCalls);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(512)]
    public void One_adjoint_for_the_row_and_a_row_invariant_partial_give_n_times_their_product_with_no_loop(int width)
    {
        // ∂(a − b)/∂b = −1 reads nothing: n·(g·(−1)), and no vector partial is evaluated.
        foreach (int n in new[] { 1, 7, 8, 9, 100_003 })
        {
            double[] a = [.. Enumerable.Range(0, n).Select(i => Math.Sin(i))];
            double[] b = [0.3];
            double[] y = new double[n];
            double[] db = [0.25];
            Difference.Calls = 0;
            ElementwiseLoops.BinaryBackward<Difference>(a, 1, b, 0, y, [0.75], default, db, width);
            Assert.Equal(0.25 - n * 0.75, db[0]);
            Assert.Equal(0, Difference.Calls);

            // An adjoint per element is summed by the loop, one partial per block.
            double[] perElement = [.. Enumerable.Repeat(0.75, n)];
            db[0] = 0.25;
            ElementwiseLoops.BinaryBackward<Difference>(a, 1, b, 0, y, perElement, default, db, width);
            Assert.Equal(0.25 - n * 0.75, db[0], 1e-9);
            Assert.Equal(n / (width / 64), Difference.Calls);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void A_zero_adjoint_contributes_nothing_even_where_the_quotient_rule_is_not_finite(int width, bool uniform)
    {
        // b = 0: every partial −aᵢ/0² is infinite or NaN, but no element has an adjoint.
        const int n = 21;
        double[] a = [.. Enumerable.Range(0, n).Select(i => i - 10.0)];
        double[] b = [0.0];
        double[] y = new double[n];
        ElementwiseLoops.BinaryValue<QuotientKernel>(a, 1, b, 0, y, 0);
        double[] dy = uniform ? [0.0] : new double[n];
        double[] db = [0.0];
        ElementwiseLoops.BinaryBackward<QuotientKernel>(a, 1, b, 0, y, dy, default, db, width);
        Assert.Equal(0.0, db[0]);
    }

    [Fact]
    public void At_special_divisors_the_quotient_sum_gives_what_the_per_element_rule_gives()
    {
        // Where v is 0, ±∞, NaN or subnormal, or (Σ g·n)/v would overflow where Σ g·(n/v) does not (1e−300 with numerators of
        // mixed sign: the per-element partials are ±∞, their sum NaN), the row is summed with the rule itself.
        foreach (int n in new[] { 1, 5, 8, 9, 16, 17, 27, 40 })
        {
            double[] numerators = [.. Enumerable.Range(0, n).Select(i => i % 5 == 0 ? 0.0 : Math.Sin(i) * 3)];
            double[] weights = [.. Enumerable.Range(0, n).Select(i => i % 4 == 3 ? 0.0 : Math.Cos(i))];
            foreach (double divisor in new[] { 1.5, 0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e-310, -3e300, 1e-300 })
            {
                double tensorPath = AD.Grad(p => Sum(Tensor.Vector(weights) * (Tensor.Vector(numerators) / p[0])), Tensor.Scalar(divisor))[0].Item();
                double expected = Enumerable.Range(0, n)
                    .Where(i => weights[i] != 0.0)
                    .Sum(i => weights[i] * AD.Grad(v => v[0] / v[1], [numerators[i], divisor])[1]);
                Assert.True(
                    double.IsNaN(expected) ? double.IsNaN(tensorPath) : double.IsInfinity(expected) ? tensorPath == expected : Math.Abs(tensorPath - expected) <= 1e-12 * Math.Abs(expected),
                    $"n = {n}, b = {divisor:R}: per element {expected:R}, tensor {tensorPath:R}");
            }
        }
    }

    [Fact]
    public void The_gradient_of_a_sum_divided_by_a_scalar_matches_the_closed_form_at_every_length()
    {
        // Sum(x / s): ∂/∂s = −Σx/s², ∂/∂x = 1/s; and Sum(c − x / s) for a scalar c: ∂/∂c = n.
        for (int n = 0; n <= 40; n++)
        {
            double[] xs = [.. Enumerable.Range(0, n).Select(i => Math.Sin(0.37 * i) + 1.4)];
            const double s = 2.25, c = -0.5;
            var gradients = AD.Grad(p => Sum(p[2] - p[0] / p[1]), Tensor.Vector(xs), Tensor.Scalar(s), Tensor.Scalar(c));
            Assert.Equal(xs.Sum() / (s * s), gradients[1].Item(), 1e-12);
            Assert.Equal(n, gradients[2].Item());
            Assert.All(gradients[0].ToArray(), g => Assert.Equal(-1.0 / s, g));
        }
    }

    // y = a − b, whose partials read nothing; counts the vector ∂/∂b calls.
    private readonly struct Difference : IBinaryKernel
    {
        public static int Calls;

        public static string Name => "Difference";

        public static double Value(double a, double b) => a - b;

        public static double DerivativeA(double a, double b, double result) => 1.0;

        public static double DerivativeB(double a, double b, double result) => -1.0;

        public static PartialReads DerivativeAReads => PartialReads.None;

        public static PartialReads DerivativeBReads => PartialReads.None;

        public static void PartialTangents(ReadOnlySpan<double> values, ReadOnlySpan<double> tangents, double result, double resultTangent, Span<double> partialTangents) =>
            throw new NotSupportedException();

        public static bool IsDerivativeVectorized => true;

        public static Vector512<double> DerivativeA(Vector512<double> a, Vector512<double> b, Vector512<double> result) => Vector512<double>.One;

        public static Vector256<double> DerivativeA(Vector256<double> a, Vector256<double> b, Vector256<double> result) => Vector256<double>.One;

        public static Vector512<double> DerivativeB(Vector512<double> a, Vector512<double> b, Vector512<double> result)
        {
            Calls++;
            return -Vector512<double>.One;
        }

        public static Vector256<double> DerivativeB(Vector256<double> a, Vector256<double> b, Vector256<double> result)
        {
            Calls++;
            return -Vector256<double>.One;
        }
    }
}
