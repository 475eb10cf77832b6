using System;
using System.Globalization;
using System.Linq;

namespace AutoDiff;

/// <summary>Shape arithmetic: sizes, NumPy broadcasting, and the messages that name shapes.</summary>
internal static class TensorShape
{
    public static int SizeOf(int[] shape, string op)
    {
        long size = 1;
        foreach (int extent in shape)
        {
            if (extent < 0)
            {
                throw new ArgumentException($"{op}: shape {Format(shape)} has a negative extent.", nameof(shape));
            }

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
    /// The NumPy broadcast of two shapes: aligned from the right, each pair of extents equal or one of them 1.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast; the message names the op and both shapes.</exception>
    public static int[] Broadcast(string op, int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int ea = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int eb = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (ea != eb && ea != 1 && eb != 1)
            {
                throw new ArgumentException(
                    $"{op}: shapes {Format(a)} and {Format(b)} do not broadcast (dimension {i} of the result: {ea} vs {eb}).");
            }

            result[i] = ea == 1 ? eb : ea;
        }

        return result;
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
