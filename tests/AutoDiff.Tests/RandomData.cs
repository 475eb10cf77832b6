using System;
using System.Linq;

namespace AutoDiff.Tests;

/// <summary>Reproducible test data.</summary>
internal static class RandomData
{
    /// <summary><paramref name="n"/> values drawn uniformly from [−1, 1) by a generator seeded with <paramref name="seed"/>.</summary>
    public static double[] Symmetric(int n, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => 2 * random.NextDouble() - 1)];
    }
}
