using System;

namespace AutoDiff.Likelihoods;

/// <summary>The shape check every regression likelihood makes: n rows of d columns for n responses and d weights.</summary>
internal static class DesignShape
{
    public static void Check(string model, string op, string weights, int d, double[][] x, int n)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length != n)
        {
            throw new ArgumentException($"{model}.{op}: x has {x.Length} rows but y has {n} entries; they must be equal.", nameof(x));
        }

        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] is null || x[i].Length != d)
            {
                throw new ArgumentException(
                    $"{model}.{op}: row {i} of x has {x[i]?.Length ?? 0} columns but {weights} has {d}; they must be equal.", nameof(x));
            }
        }
    }
}
