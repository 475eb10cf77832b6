using System;

namespace AutoDiff.Numerics;

/// <summary>Where a span holds NaN or ±∞: for the optimizers' checks and the tape's <see cref="Tape.CheckFinite"/>.</summary>
internal static class FiniteValues
{
    /// <summary>The index of the first NaN or ±∞ in <paramref name="values"/>, or −1 when every entry is finite.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether every entry is finite.</summary>
    public static bool All(ReadOnlySpan<double> values) => IndexOfNonFinite(values) < 0;

    /// <summary>maxᵢ |vᵢ| (0 for an empty span; NaN if an entry is NaN, as Math.Max propagates it).</summary>
    public static double MaxMagnitude(ReadOnlySpan<double> values)
    {
        double largest = 0.0;
        foreach (double value in values)
        {
            largest = Math.Max(largest, Math.Abs(value));
        }

        return largest;
    }
}
