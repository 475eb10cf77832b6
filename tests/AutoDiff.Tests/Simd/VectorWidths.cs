using System;
using System.Linq;
using Xunit;

namespace AutoDiff.Tests.Simd;

/// <summary>What the elementwise drivers promise across vector widths: the same bits at 256 and at 512 bits (<see cref="SameBits"/>).</summary>
internal static class VectorWidths
{
    /// <summary>Asserts that a driver's results at 256 and at 512 bits are the same bits, element by element (a NaN's sign aside).</summary>
    public static void AssertSameBits(string what, double[] at256, double[] at512) =>
        Assert.True(SameBits.ButNaNSign(at256, at512), $"{what}: 512-bit and 256-bit loops differ");
}
