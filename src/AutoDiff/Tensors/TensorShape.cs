using System;
using System.Globalization;
using System.Linq;

namespace AutoDiff;

/// <summary>Shape arithmetic: sizes, NumPy broadcasting, and the messages that name shapes.</summary>
internal static class TensorShape
{
    public static int SizeOf(int[] shape, string op)
    {
        foreach (int extent in shape)
        {
            if (extent < 0)
            {
                throw new ArgumentException($"{op}: shape {Format(shape)} has a negative extent.", nameof(shape));
            }
        }

        // A zero extent empties the shape whatever the others: a running product refused [65536, 65536, 0] before it
        // reached the 0, calling it too large, while [0, 65536, 65536] passed.
        if (Array.IndexOf(shape, 0) >= 0)
        {
            return 0;
        }

        long size = 1;
        foreach (int extent in shape)
        {
            size *= extent;
            if (size > Array.MaxLength)
            {
                throw new ArgumentException($"{op}: shape {Format(shape)} has more elements than an array can hold.", nameof(shape));
            }
        }

        return (int)size;
    }

    public static string Format(int[] shape) =>
        "[" + string.Join(", ", shape.Select(e => e.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>
    /// The NumPy broadcast of several shapes: aligned from the right, the extents of each dimension equal or 1.
    /// </summary>
    /// <returns>The broadcast shape: one of <paramref name="shapes"/> itself when it is that shape.</returns>
    /// <exception cref="ArgumentException">The shapes do not broadcast; the message names the op and every shape.</exception>
    public static int[] Broadcast(string op, params ReadOnlySpan<int[]> shapes)
    {
        // A scalar against anything (1 − y, 0.5 * x): the other shape, without the walk below.
        if (shapes.Length == 2 && (shapes[0].Length == 0 || shapes[1].Length == 0))
        {
            return shapes[0].Length == 0 ? shapes[1] : shapes[0];
        }

        int rank = 0;
        foreach (int[] shape in shapes)
        {
            rank = Math.Max(rank, shape.Length);
        }

        Span<int> result = rank <= MaxStackRank ? stackalloc int[MaxStackRank] : new int[rank];
        result = result[..rank];
        for (int i = 0; i < rank; i++)
        {
            int extent = 1;
            foreach (int[] shape in shapes)
            {
                int e = Extent(shape, rank, i);
                if (e != 1 && extent != 1 && e != extent)
                {
                    throw NotBroadcastable(op, shapes, rank, i);
                }

                extent = e == 1 ? extent : e;
            }

            result[i] = extent;
        }

        // Shapes are never written after construction, so an input's own array can be the result: a scalar or a row
        // broadcast against a matrix (1 − y, x + b) then makes no array.
        foreach (int[] shape in shapes)
        {
            if (result.SequenceEqual(shape))
            {
                return shape;
            }
        }

        return result.ToArray();
    }

    // Ranks up to this are broadcast in stack memory.
    private const int MaxStackRank = 8;

    private static int Extent(int[] shape, int rank, int i) => i < rank - shape.Length ? 1 : shape[i - (rank - shape.Length)];

    // "Op: shapes [2, 3] and [2] do not broadcast (dimension 1 of the result: 3 vs 2)", with every shape and extent listed.
    private static ArgumentException NotBroadcastable(string op, ReadOnlySpan<int[]> shapes, int rank, int dimension)
    {
        var formatted = new string[shapes.Length];
        var extents = new string[shapes.Length];
        for (int k = 0; k < shapes.Length; k++)
        {
            formatted[k] = Format(shapes[k]);
            extents[k] = Extent(shapes[k], rank, dimension).ToString(CultureInfo.InvariantCulture);
        }

        string list = string.Join(", ", formatted[..^1]) + " and " + formatted[^1];
        return new ArgumentException(
            $"{op}: shapes {list} do not broadcast (dimension {dimension} of the result: {string.Join(" vs ", extents)}).");
    }

    /// <summary>
    /// The row-major strides with which an operand of shape <paramref name="shape"/> is read when broadcast to
    /// <paramref name="result"/>: 0 along broadcast dimensions.
    /// </summary>
    public static int[] BroadcastStrides(int[] shape, int[] result)
    {
        var strides = new int[result.Length];
        int stride = 1;
        for (int i = result.Length - 1; i >= 0; i--)
        {
            int j = i - (result.Length - shape.Length);
            int extent = j >= 0 ? shape[j] : 1;
            strides[i] = extent == 1 ? 0 : stride;
            stride *= extent;
        }

        return strides;
    }

    /// <summary>The offset of the operand element read for output element <paramref name="index"/> (row-major in <paramref name="shape"/>).</summary>
    public static int BroadcastOffset(int[] shape, int[] strides, int index)
    {
        int offset = 0;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            offset += index % shape[d] * strides[d];
            index /= shape[d];
        }

        return offset;
    }

    public static bool SameShape(int[] a, int[] b) => a.AsSpan().SequenceEqual(b);
}
