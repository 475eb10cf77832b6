using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// A double in a tensor expression becomes a rank-0 constant that may be shared with other uses of the same value
/// (ScalarConstants.cs). Checked: every value comes back bit for bit (signed zeros, NaN payloads, subnormals, infinities,
/// values that share a slot), from many threads at once, and a repeated literal makes no new tensor.
/// </summary>
public class ScalarConstantTests
{
    private static double Bits(long bits) => BitConverter.Int64BitsToDouble(bits);

    private static void AssertHolds(double expected, Tensor t)
    {
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(t.Item()));
        Assert.Empty(t.Shape);
        Assert.True(t.IsConstant);
    }

    [Fact]
    public void Every_value_comes_back_bit_for_bit_however_the_conversions_interleave()
    {
        var special = new[]
        {
            0.0, -0.0, 1.0, -1.0, 0.5, 2.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue,
            double.PositiveInfinity, double.NegativeInfinity, double.NaN, Bits(0x7FF8_0000_0000_0001), Bits(unchecked((long)0xFFF8_0000_0000_0000)),
            Bits(0x7FF0_0000_0000_0001), 2.2250738585072014e-308, 4.9e-324 * 3,
        };
        var random = new Random(20261128);
        var values = special.Concat(Enumerable.Range(0, 2000).Select(_ => random.NextDouble() * 200 - 100)).ToArray();

        // Far more values than slots, visited in a random order several times: most share a slot with another.
        for (int pass = 0; pass < 3; pass++)
        {
            foreach (int i in Enumerable.Range(0, values.Length).OrderBy(_ => random.Next()))
            {
                Tensor viaConversion = values[i];
                AssertHolds(values[i], viaConversion);
                AssertHolds(values[i], Tensor.Scalar(values[i]));
            }
        }
    }

    [Fact]
    public void Signed_zeros_stay_apart_in_arithmetic()
    {
        var x = Tensor.Vector(1.0, -2.0);
        for (int k = 0; k < 3; k++)
        {
            // 1/(x·(−0)) is −∞ for x > 0; with +0 it would be +∞.
            Assert.Equal([double.NegativeInfinity, double.PositiveInfinity], (1.0 / (x * -0.0)).ToArray());
            Assert.Equal([double.PositiveInfinity, double.NegativeInfinity], (1.0 / (x * 0.0)).ToArray());
        }
    }

    [Fact]
    public void Threads_converting_colliding_values_at_once_each_get_their_own_value()
    {
        // Values over every slot but the literal's of the allocation test below (which may run at the same time), four or
        // more to a slot: every slot is fought over by several values and several threads.
        var values = Enumerable.Range(0, 1024).Select(i => 0.25 * i - 17.0)
            .Where(v => ScalarConstants.SlotOf(v) != ScalarConstants.SlotOf(RepeatedLiteral)).ToArray();
        Assert.True(values.Length >= 4 * (ScalarConstants.SlotCount - 1));
        Assert.Equal(ScalarConstants.SlotCount - 1, values.Select(ScalarConstants.SlotOf).Distinct().Count());
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            var random = new Random(thread);
            for (int k = 0; k < 200_000; k++)
            {
                double v = values[random.Next(values.Length)];
                Tensor t = v;
                AssertHolds(v, t);
            }
        });
    }

    private const double RepeatedLiteral = 1.0;

    [Fact]
    public void A_repeated_literal_makes_no_new_tensor()
    {
        double sum = 0.0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 1000; k++)
        {
            Tensor one = RepeatedLiteral;
            sum += one.Item();
        }

        // A new tensor per conversion was 104 bytes (104 000 here). Other tests, on other threads, may take the slot now and
        // then with a value of their own; a handful of tensors made again covers that.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 8 * 104);
        Assert.Equal(1000 * RepeatedLiteral, sum);

        // The expression itself is unchanged: 1 − y, element by element.
        var y = Tensor.Vector(RandomData.Symmetric(8, 3));
        Assert.Equal(y.ToArray().Select(v => 1.0 - v), (RepeatedLiteral - y).ToArray());
    }

    [Fact]
    public void A_shared_scalar_in_a_recorded_expression_gives_the_closed_form_gradient()
    {
        // f(x) = Σ (2·x − 1)² ⇒ ∇f = 4·(2x − 1), on repeated calls that reuse the same constants 2 and 1.
        var x = RandomData.Symmetric(17, 5);
        for (int call = 0; call < 3; call++)
        {
            var g = AD.Grad(p => Sum(Square(2.0 * p[0] - 1.0)), Tensor.Vector(x))[0].ToArray();
            Assert.Equal(x.Select(v => 4.0 * (2.0 * v - 1.0)), g);
        }
    }
}
