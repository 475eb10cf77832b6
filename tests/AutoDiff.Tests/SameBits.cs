using System;

namespace AutoDiff.Tests;

/// <summary>
/// Bit-for-bit equality of doubles, but for NaNs: a number must have every bit of the expected one, while any NaN
/// matches any NaN, whatever its sign and payload (only <see cref="double.IsNaN"/> is compared). Which sign a NaN
/// comes out with can depend on which tier the JIT compiled a loop at (seen between the reflected loop and the two
/// loops it replaces, once the runtime had recompiled them), so two loops compared in one process may differ there;
/// and where two NaNs meet in one operation, which one's payload propagates depends on the operand order.
/// </summary>
internal static class SameBits
{
    /// <summary>Whether <paramref name="actual"/> has the bits of <paramref name="expected"/>, or both are NaN.</summary>
    public static bool ButNaNSign(double expected, double actual) =>
        double.IsNaN(expected) ? double.IsNaN(actual) : BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual);

    /// <summary>Whether two arrays are equal element by element in the sense of <see cref="ButNaNSign"/>.</summary>
    public static bool ButNaNSign(double[] expected, double[] actual)
    {
        if (expected.Length != actual.Length)
        {
            return false;
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (!ButNaNSign(expected[i], actual[i]))
            {
                return false;
            }
        }

        return true;
    }
}
