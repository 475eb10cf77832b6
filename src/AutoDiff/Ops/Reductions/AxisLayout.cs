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

    /// <summary>
    /// The layout of a reduction along <paramref name="axis"/>, whose result has <see cref="ReducedShape"/>: as
    /// <see cref="Of"/>, after checking that an array can hold that result.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside the tensor's rank.</exception>
    /// <exception cref="ArgumentException">The result has more elements than an array can hold; the message names the op, the axis and both shapes.</exception>
    public static AxisLayout OfReduction(string op, int[] shape, int axis, bool keepDims)
    {
        var layout = Of(op, shape, axis, keepDims);

        // Only an empty axis can make the result larger than the input (which an array holds): then Outer·Inner, the
        // product of the other extents, wrapped in int arithmetic to 0, to a negative count or to a count too small for
        // the loops. A zero among the other extents makes the result empty whatever the rest.
        var reduced = layout.ReducedShape;
        if (layout.Length == 0 && Array.IndexOf(reduced, 0) < 0)
        {
            long size = 1;
            foreach (int extent in reduced)
            {
                size *= extent;
                if (size > Array.MaxLength)
                {
                    throw new ArgumentException(
                        $"{op}: along axis {axis}, shape {TensorShape.Format(shape)} reduces to shape {TensorShape.Format(reduced)}, which has more elements than an array can hold.",
                        "x");
                }
            }
        }

        return layout;
    }

    public int Index(int o, int j, int i) => (o * Length + j) * Inner + i;

    public int ReducedIndex(int o, int i) => o * Inner + i;
}
