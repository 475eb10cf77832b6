using System;

namespace AutoDiff;

/// <summary>
/// A tensor seen as [outer, n, inner] around one axis: what every reduction and normalisation along an axis loops over.
/// Element (o, j, i) is at o·n·inner + j·inner + i; the reduced result's element (o, i) at o·inner + i.
/// </summary>
internal readonly record struct AxisLayout(int Outer, int Length, int Inner, int[] ReducedShape)
{
    /// <summary>The layout of <paramref name="shape"/> around <paramref name="axis"/> (negative counts from the end).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside the tensor's rank; the message names both.</exception>
    public static AxisLayout Of(string op, int[] shape, int axis, bool keepDims)
    {
        int rank = shape.Length;
        int resolved = axis < 0 ? axis + rank : axis;
        if (resolved < 0 || resolved >= rank)
        {
            throw new ArgumentOutOfRangeException(
                nameof(axis), axis, $"{op}: axis {axis} is out of range for a tensor of shape {TensorShape.Format(shape)} (rank {rank}).");
        }

        int outer = 1, inner = 1;
        for (int d = 0; d < resolved; d++)
        {
            outer *= shape[d];
        }

        for (int d = resolved + 1; d < rank; d++)
        {
            inner *= shape[d];
        }

        int[] reduced;
        if (keepDims)
        {
            reduced = (int[])shape.Clone();
            reduced[resolved] = 1;
        }
        else
        {
            reduced = new int[rank - 1];
            for (int d = 0, r = 0; d < rank; d++)
            {
                if (d != resolved)
                {
                    reduced[r++] = shape[d];
                }
            }
        }

        return new AxisLayout(outer, shape[resolved], inner, reduced);
    }

    public int Index(int o, int j, int i) => (o * Length + j) * Inner + i;

    public int ReducedIndex(int o, int i) => o * Inner + i;
}
