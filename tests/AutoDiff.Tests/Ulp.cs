using System;

namespace AutoDiff.Tests;

/// <summary>How far apart two doubles are, for tests that compare vector and scalar forms.</summary>
internal static class Ulp
{
    /// <summary>Distance in units in the last place; ±0 are equal, NaN equals only NaN, infinities only themselves.</summary>
    public static long Ulps(double p, double q)
    {
        if (double.IsNaN(p) || double.IsNaN(q))
        {
            return double.IsNaN(p) && double.IsNaN(q) ? 0 : long.MaxValue;
        }

        if (double.IsInfinity(p) || double.IsInfinity(q))
        {
            return p == q ? 0 : long.MaxValue;
        }

        static long Ordered(double v)
        {
            long bits = BitConverter.DoubleToInt64Bits(v);
            return bits >= 0 ? bits : long.MinValue - bits;
        }

        long d = Ordered(p) - Ordered(q);
        return d < 0 ? -d : d;
    }
}
