using System;

namespace AutoDiff;

public static partial class Ops
{
    private static readonly TensorBackward RowsBackward = (Tape tape, in TensorRecord record) =>
    {
        var x = record.A!;
        if (x.IsConstant)
        {
            return; // recorded for its indices only (a replay reads them again): nothing to differentiate
        }

        var (indices, _) = ((int[], Tensor?))record.State!;
        int rowSize = indices.Length == 0 ? 0 : record.Output.Size / indices.Length;
        var adjoints = tape.Adjoints;
        var dy = adjoints.Slice(record.Output.Node, record.Output.Size);
        var dx = tape.AdjointsToAccumulate(x);
        for (int p = 0; p < indices.Length; p++)
        {
            // Accumulate: a row selected twice receives both gradients.
            var source = dy.Slice(p * rowSize, rowSize);
            var target = dx.Slice(indices[p] * rowSize, rowSize);
            for (int j = 0; j < rowSize; j++)
            {
                target[j] += source[j];
            }
        }
    };

    // A selection: the tangent is selected like the value, and the rule does not change.
    private sealed class RowsSecondOrder : LaneByLaneSecondOrder
    {
        public static readonly RowsSecondOrder Instance = new();

        protected override void Jvp(Tape tape, in TensorRecord record, int lane)
        {
            var (indices, _) = ((int[], Tensor?))record.State!;
            int rowSize = indices.Length == 0 ? 0 : record.Output.Size / indices.Length;
            var dy = tape.OutputTangent(record.Output, lane);
            if (record.A!.IsConstant)
            {
                dy.Clear();
                return;
            }

            var dx = tape.TangentOf(record.A!, lane);
            for (int p = 0; p < indices.Length; p++)
            {
                dx.Slice(indices[p] * rowSize, rowSize).CopyTo(dy.Slice(p * rowSize, rowSize));
            }
        }
    }

    // Indices given as a tensor are read again: a replay selects the rows its argument names now.
    private static readonly TensorForward RowsForward = (in TensorRecord record) =>
    {
        var x = record.A!;
        var (indices, source) = ((int[], Tensor?))record.State!;
        if (source is not null)
        {
            ReadWholeNumbers(nameof(Rows), "index", "indices", source, indices);
            RequireRowIndices(indices, x.ShapeUnsafe);
        }

        int rows = x.ShapeUnsafe[0];
        RowsValues(x.Data.AsSpan(0, x.Size), indices, rows == 0 ? 0 : x.Size / rows, record.Output.Data.AsSpan(0, record.Output.Size));
    };

    private static void RequireRowIndices(ReadOnlySpan<int> indices, int[] shape)
    {
        int rows = shape[0];
        for (int p = 0; p < indices.Length; p++)
        {
            int index = indices[p];
            if ((uint)index >= (uint)rows)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(indices), index,
                    $"Rows: index {index} at position {p} is out of range for a tensor with {rows} rows (shape {TensorShape.Format(shape)}); indices must lie in [0, {rows - 1}].");
            }
        }
    }

    // ys = the rows of xs at the indices, in their order.
    private static void RowsValues(ReadOnlySpan<double> xs, ReadOnlySpan<int> indices, int rowSize, Span<double> ys)
    {
        for (int p = 0; p < indices.Length; p++)
        {
            xs.Slice(indices[p] * rowSize, rowSize).CopyTo(ys.Slice(p * rowSize, rowSize));
        }
    }

    /// <summary>
    /// Selects rows (slices along the first axis) of <paramref name="x"/>, in the order given, as NumPy's <c>x[indices]</c>
    /// with an integer array: y[p, …] = x[indices[p], …]. The result has shape [indices.Length, x.Shape[1..]]. Indices may
    /// repeat; use it to draw a mini-batch. Backward: ∂x[r, …] += Σ over the positions p with indices[p] = r of ∂y[p, …],
    /// so a row drawn twice receives both gradients; rows not drawn receive nothing.
    /// </summary>
    /// <param name="x">A tensor of rank ≥ 1 (for a vector, the rows are its elements).</param>
    /// <param name="indices">Row numbers in [0, x.Shape[0]); copied, so the caller may reuse the buffer.</param>
    /// <exception cref="ArgumentException"><paramref name="x"/> has rank 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is negative or not less than the number of rows; the message
    /// names the index, its position and the number of rows.</exception>
    public static Tensor Rows(Tensor x, params ReadOnlySpan<int> indices) => SelectRows(x, indices, null);

    /// <summary>
    /// <see cref="Rows(Tensor, ReadOnlySpan{int})"/> with the row numbers in a tensor of whole numbers: the form for
    /// mini-batches drawn anew in a compiled gradient (<see cref="AD.Compile"/>), where the indices are an argument and
    /// every replay reads their current values. As NumPy's <c>x[indices]</c>: a vector of k indices gives shape
    /// [k, x.Shape[1..]], and a single index (a rank-0 tensor) selects one row and drops the axis, shape x.Shape[1..]
    /// (a vector's element is a rank-0 tensor); its gradient goes back into that row. No gradient flows into the indices.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> has rank 0, the indices have rank 2 or more, or an entry is not a whole number.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range (also when a replay reads one).</exception>
    public static Tensor Rows(Tensor x, Tensor indices) =>
        SelectRows(x, ReadIndexList(nameof(Rows), "index", nameof(indices), indices), indices);

    private static Tensor SelectRows(Tensor x, ReadOnlySpan<int> indices, Tensor? source)
    {
        ArgumentNullException.ThrowIfNull(x);
        var shape = x.ShapeUnsafe;
        if (shape.Length == 0)
        {
            throw new ArgumentException(
                "Rows: needs a tensor of rank ≥ 1 to select rows from; this one has shape [] (a scalar).", nameof(x));
        }

        RequireRowIndices(indices, shape);
        int rows = shape[0];

        // A rank-0 index tensor is one index, not a list of one: NumPy's x[i] drops the axis where x[[i]] keeps it. The
        // record's rules work on sizes only (a row of Output.Size / indices.Length), so they serve both shapes.
        int[] outShape = source is { Rank: 0 } ? shape[1..] : [indices.Length, .. shape.AsSpan(1)];
        int size = TensorShape.SizeOf(outShape, nameof(Rows));
        int rowSize = rows == 0 ? 0 : x.Size / rows;
        var xs = x.ReadValues();
        var tape = Tape.Current;

        // Indices that are a variable (an argument of a compiled gradient) make the selection a recorded operation even
        // of constant data — a mini-batch of the data set — so that a replay selects again.
        bool record = tape.Records(x) | (source is not null && tape.Records(source));
        var y = tape.NewOutput(record, outShape, size);
        RowsValues(xs, indices, rowSize, y.Data.AsSpan(0, size));
        if (tape.IsCheckingFinite)
        {
            Tape.CheckFiniteResult(nameof(Rows), y.Data.AsSpan(0, size), outShape, [x]);
        }

        if (record)
        {
            tape.Record(new TensorRecord(nameof(Rows), RowsForward, RowsBackward, tape.EdgeCount, y, x, null, (indices.ToArray(), source), RowsSecondOrder.Instance));
        }

        return y;
    }
}

public sealed partial class Tensor
{
    /// <summary>The rows of this tensor at <paramref name="indices"/> (repeats allowed); see <see cref="Ops.Rows(Tensor, ReadOnlySpan{int})"/>.</summary>
    /// <param name="indices">Row numbers in [0, Shape[0]).</param>
    /// <exception cref="ArgumentException">This tensor has rank 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public Tensor Rows(params ReadOnlySpan<int> indices) => Ops.Rows(this, indices);

    /// <summary>
    /// The rows of this tensor at the whole numbers in <paramref name="indices"/>: a vector of them keeps the first axis,
    /// one index (rank 0) drops it, as NumPy's <c>x[i]</c>; see <see cref="Ops.Rows(Tensor, Tensor)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">This tensor has rank 0, the indices have rank 2 or more, or an index is not a whole number.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public Tensor Rows(Tensor indices) => Ops.Rows(this, indices);
}
