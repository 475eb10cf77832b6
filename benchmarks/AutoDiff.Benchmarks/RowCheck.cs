using System;

namespace AutoDiff.Benchmarks;

/// <summary>
/// Checks, in a benchmark's setup, that two of its rows compute the same numbers: a ratio of times compares like with
/// like only then, and a faster row must not be a wrong one.
/// </summary>
internal static class RowCheck
{
    /// <summary>
    /// Throws unless |actual[j] − expected[j]| ≤ relative·|expected[j]| + absolute for every j (NaN never agrees),
    /// naming the quantity, its index, both values and the rows that computed them.
    /// </summary>
    public static void Agree(
        string quantity, ReadOnlySpan<double> expected, string expectedBy, ReadOnlySpan<double> actual, string actualBy, double relative, double absolute = 0.0)
    {
        for (int j = 0; j < expected.Length; j++)
        {
            if (!(Math.Abs(actual[j] - expected[j]) <= relative * Math.Abs(expected[j]) + absolute))
            {
                throw new InvalidOperationException($"{quantity} {j} is {actual[j]:R} by {actualBy} but {expected[j]:R} by {expectedBy}.");
            }
        }
    }
}
