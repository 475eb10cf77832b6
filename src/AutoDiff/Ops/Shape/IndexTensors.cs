using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>
    /// Reads a tensor of whole numbers (row indices, class labels) into <paramref name="into"/>: how an index that changes
    /// from call to call reaches an operation, since a compiled gradient replays with its arguments' new values.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is not a whole number that fits an <see cref="int"/>; the message names the op, the entry and its position.</exception>
    internal static void ReadWholeNumbers(string op, string what, Tensor source, Span<int> into)
    {
        var values = source.ReadValues();
        for (int p = 0; p < values.Length; p++)
        {
            double v = values[p];
            if (!(v == Math.Floor(v) && v >= int.MinValue && v <= int.MaxValue))
            {
                throw new ArgumentException($"{op}: {what} {v} at position {p} is not a whole number.", what);
            }

            into[p] = (int)v;
        }
    }

    // A tensor of indices is a list: one entry (rank 0) or a vector of them.
    private static void RequireIndexList(string op, string what, Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source, what);
        if (source.Rank > 1)
        {
            throw new ArgumentException($"{op}: the {what} must be a vector of whole numbers; got shape {TensorShape.Format(source.ShapeUnsafe)}.", what);
        }
    }
}
