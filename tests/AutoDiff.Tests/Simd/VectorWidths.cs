using System;
using System.Linq;
using Xunit;

namespace AutoDiff.Tests.Simd;

/// <summary>What the elementwise drivers promise across vector widths: the same bits at 256 and at 512 bits.</summary>
internal static class VectorWidths
{
    /// <summary>Asserts that a driver's results at 256 and at 512 bits are the same bits, element by element.</summary>
    public static void AssertSameBits(string what, double[] at256, double[] at512) =>
        Assert.True(
            at256.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(at512.Select(BitConverter.DoubleToInt64Bits)),
            $"{what}: 512-bit and 256-bit loops differ");
}
