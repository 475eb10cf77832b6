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
}
