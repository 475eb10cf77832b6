using System;
using System.Globalization;

namespace AutoDiff;

public static partial class Ops
{
    private static readonly TensorBackward BlocksBackward = (Tape tape, in TensorRecord record) =>
    {
        var layout = (BlockLayout)record.State!;
        var adjoints = tape.Adjoints;
        var dy = adjoints.Slice(record.Output.Node, record.Output.Size);
        int offset = 0;
        for (int k = 0; k < layout.Inputs.Length; k++)
        {
            var x = layout.Inputs[k];
            int chunk = layout.Chunks[k];
            if (!x.IsConstant && chunk > 0)
            {
                // A pure copy forward, so a pure (accumulating) copy back: no factor that could turn a 0 into NaN.
                var dx = tape.AdjointsToAccumulate(x);
                for (int o = 0; o < layout.Outer; o++)
                {
                    var source = dy.Slice(o * layout.RowWidth + offset, chunk);
                    var target = dx.Slice(o * chunk, chunk);
                    for (int j = 0; j < chunk; j++)
                    {
                        target[j] += source[j];
                    }
                }
            }

            offset += chunk;
        }
    };

    // A copy: the tangents are copied like the values, and the rule does not change.
    private sealed class BlocksSecondOrder : LaneByLaneSecondOrder
    {
        public static readonly BlocksSecondOrder Instance = new();

        protected override void Jvp(Tape tape, in TensorRecord record, int lane)
        {
            var layout = (BlockLayout)record.State!;
            var dy = tape.OutputTangent(record.Output, lane);
            int offset = 0;
            for (int k = 0; k < layout.Inputs.Length; k++)
            {
                int chunk = layout.Chunks[k];
                var dx = tape.TangentOf(layout.Inputs[k], lane);
                for (int o = 0; o < layout.Outer && chunk > 0; o++)
                {
                    dx.Slice(o * chunk, chunk).CopyTo(dy.Slice(o * layout.RowWidth + offset, chunk));
                }

                offset += chunk;
            }
        }
    }

    /// <summary>
    /// Joins tensors along an existing axis, as NumPy's <c>concatenate</c>: the shapes must agree in every dimension except
    /// <paramref name="axis"/>, whose extents add up. For matrices, axis 0 puts them one above the other and axis 1 side by
    /// side. Backward: each variable input receives (accumulates) the slice of the output's gradient that holds its values.
    /// </summary>
    /// <param name="axis">The axis to join along; negative counts from the end (−1 is the last axis).</param>
    /// <param name="tensors">The tensors, all of the same rank ≥ 1; constants and variables may be mixed.</param>
    /// <returns>A tensor of the common shape with extent Σₖ nₖ along <paramref name="axis"/>.</returns>
    /// <exception cref="ArgumentException">No tensors; a tensor of rank 0; ranks differ; or two shapes differ outside the
    /// axis (the message names the axis, both shapes and the dimension).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside [−rank, rank); the message names the axis and the
    /// rank.</exception>
    public static Tensor Concat(int axis, params Tensor[] tensors)
    {
        const string op = nameof(Concat);
        RequireTensors(op, tensors);
        var first = tensors[0].ShapeUnsafe;
        for (int k = 0; k < tensors.Length; k++)
        {
            if (tensors[k].Rank == 0)
            {
                throw new ArgumentException(
                    $"Concat: tensor {k} has rank 0 (shape []), which has no axis to concatenate along; use Ops.Stack to join scalars into a vector.",
                    nameof(tensors));
            }
        }

        int rank = first.Length;
        int a = NormalizeAxis(op, axis, rank, $"tensors of rank {rank} (shape {TensorShape.Format(first)})");
        var shape = (int[])first.Clone();
        long extent = 0;
        for (int k = 0; k < tensors.Length; k++)
        {
            var s = tensors[k].ShapeUnsafe;
            if (s.Length != rank)
            {
                throw new ArgumentException(
                    $"Concat: along axis {axis}, shapes {TensorShape.Format(first)} and {TensorShape.Format(s)} have different ranks ({rank} vs {s.Length}).",
                    nameof(tensors));
            }

            for (int d = 0; d < rank; d++)
            {
                if (d != a && s[d] != first[d])
                {
                    throw new ArgumentException(
                        $"Concat: along axis {axis}, shapes {TensorShape.Format(first)} and {TensorShape.Format(s)} differ in dimension {d} (tensors 0 and {k}).",
                        nameof(tensors));
                }
            }

            extent += s[a];
        }

        if (extent > int.MaxValue)
        {
            throw new ArgumentException($"Concat: along axis {axis}, the joined extent {extent} is more than an array can hold.", nameof(tensors));
        }

        shape[a] = (int)extent;
        int outer = 1;
        for (int d = 0; d < a; d++)
        {
            outer *= first[d];
        }

        int inner = 1;
        for (int d = a + 1; d < rank; d++)
        {
            inner *= first[d];
        }

        var chunks = new int[tensors.Length];
        for (int k = 0; k < tensors.Length; k++)
        {
            chunks[k] = tensors[k].ShapeUnsafe[a] * inner;
        }

        return JoinBlocks(op, tensors, chunks, outer, shape);
    }

    private static void RequireTensors(string op, Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Length == 0)
        {
            throw new ArgumentException($"{op}: needs at least one tensor; the list is empty.", nameof(tensors));
        }

        for (int k = 0; k < tensors.Length; k++)
        {
            if (tensors[k] is null)
            {
                throw new ArgumentNullException(nameof(tensors), $"{op}: tensor {k} is null.");
            }
        }
    }

    // axis ∈ [−count, count) → [0, count), or an ArgumentOutOfRangeException naming the op, the axis, and what it indexes.
    private static int NormalizeAxis(string op, int axis, int count, string range)
    {
        if (axis < -count || axis >= count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(axis), axis,
                string.Create(CultureInfo.InvariantCulture, $"{op}: axis {axis} is out of range for {range}; it must lie in [{-count}, {count - 1}]."));
        }

        return axis < 0 ? axis + count : axis;
    }

    /// <summary>
    /// The output is <paramref name="outer"/> rows, row o being the o-th block of <c>chunks[k]</c> values of each input k
    /// in turn: the common form of Concat and Stack.
    /// </summary>
    private static Tensor JoinBlocks(string op, Tensor[] tensors, int[] chunks, int outer, int[] shape)
    {
        int size = TensorShape.SizeOf(shape, op);
        int rowWidth = 0;
        foreach (int chunk in chunks)
        {
            rowWidth += chunk;
        }

        var tape = Tape.Current;
        bool record = false;
        foreach (var t in tensors)
        {
            t.ReadValues(); // a stale constant-looking input must fail here too
            record |= tape.Records(t);
        }

        var y = tape.NewOutput(record, shape, size);
        var layout = new BlockLayout((Tensor[])tensors.Clone(), chunks, outer, rowWidth); // the caller may reuse its array before the backward pass
        JoinValues(layout, y.Data.AsSpan(0, size));
        if (tape.IsCheckingFinite)
        {
            Tape.CheckFiniteResult(op, y.Data.AsSpan(0, size), shape, tensors);
        }

        if (record)
        {
            tape.Record(new TensorRecord(op, BlocksForward, BlocksBackward, tape.EdgeCount, y, null, null, layout, BlocksSecondOrder.Instance));
        }

        return y;
    }

    private static readonly TensorForward BlocksForward = (in TensorRecord record) =>
        JoinValues((BlockLayout)record.State!, record.Output.Data.AsSpan(0, record.Output.Size));

    // ys = the inputs' blocks side by side, row after row.
    private static void JoinValues(BlockLayout layout, Span<double> ys)
    {
        int offset = 0;
        for (int k = 0; k < layout.Inputs.Length; k++)
        {
            int chunk = layout.Chunks[k];
            if (chunk > 0)
            {
                var xs = layout.Inputs[k].ReadValues();
                for (int o = 0; o < layout.Outer; o++)
                {
                    xs.Slice(o * chunk, chunk).CopyTo(ys.Slice(o * layout.RowWidth + offset, chunk));
                }
            }

            offset += chunk;
        }
    }

    /// <summary>How Concat and Stack laid their inputs out: <c>Outer</c> rows of <c>RowWidth</c> values, input k owning
    /// <c>Chunks[k]</c> consecutive values of each row.</summary>
    private sealed record BlockLayout(Tensor[] Inputs, int[] Chunks, int Outer, int RowWidth) : IRecordInputs;
}
