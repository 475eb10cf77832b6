using System;
using System.Globalization;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>
    /// Reads a tensor of whole numbers (row indices, class labels) into <paramref name="into"/>: how an index that changes
    /// from call to call reaches an operation, since a compiled gradient replays with its arguments' new values.
    /// </summary>
    /// <param name="op">The operation, for messages.</param>
    /// <param name="what">One entry, for messages ("index", "label").</param>
    /// <param name="parameter">The caller's parameter that holds the tensor.</param>
    /// <param name="source">The tensor.</param>
    /// <param name="into">Where the entries go, one per element.</param>
    /// <exception cref="ArgumentException">An entry is not a whole number, or one too large for an <see cref="int"/>; the message names the op, the entry and its position.</exception>
    internal static void ReadWholeNumbers(string op, string what, string parameter, Tensor source, Span<int> into)
    {
        var values = source.ReadValues();
        for (int p = 0; p < values.Length; p++)
        {
            double v = values[p];
            if (v != Math.Floor(v))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{op}: {what} {v} at position {p} is not a whole number."), parameter);
            }

            if (v < int.MinValue || v > int.MaxValue)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{op}: {what} {v} at position {p} is out of range (beyond ±{int.MaxValue})."), parameter);
            }

            into[p] = (int)v;
        }
    }

    // The entries of a tensor of indices, which is a list: one entry (rank 0) or a vector of them.
    private static int[] ReadIndexList(string op, string what, string parameter, Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source, parameter);
        if (source.Rank > 1)
        {
            throw new ArgumentException($"{op}: the {parameter} must be a vector of whole numbers (or one, rank 0); got shape {TensorShape.Format(source.ShapeUnsafe)}.", parameter);
        }

        var entries = new int[source.Size];
        ReadWholeNumbers(op, what, parameter, source, entries);
        return entries;
    }
}
