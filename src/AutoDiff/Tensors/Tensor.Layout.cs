using System;

namespace AutoDiff;

public sealed partial class Tensor
{
    private static readonly TensorForward TransposeForward = (in TensorRecord record) =>
        TransposeValues(record.A!.Data, record.Output.Data, record.A.ShapeUnsafe[0], record.A.ShapeUnsafe[1]);

    // ys (columns × rows) = xsᵀ, xs rows × columns.
    private static void TransposeValues(ReadOnlySpan<double> xs, Span<double> ys, int rows, int columns)
    {
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                ys[j * rows + i] = xs[i * columns + j];
            }
        }
    }

    private static readonly TensorBackward TransposeBackward = (Tape tape, in TensorRecord record) =>
    {
        var x = record.A!;
        int rows = x.ShapeUnsafe[0], columns = x.ShapeUnsafe[1];
        var adjoints = tape.Adjoints;
        var dy = adjoints.Slice(record.Output.Node, record.Output.Size);
        var dx = tape.AdjointsToAccumulate(x);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                dx[i * columns + j] += dy[j * rows + i];
            }
        }
    };

    // Linear: the tangent is transposed like the value, and the rule does not change.
    private sealed class TransposeSecondOrder : LaneByLaneSecondOrder
    {
        public static readonly TransposeSecondOrder Instance = new();

        protected override void Jvp(Tape tape, in TensorRecord record, int lane)
        {
            var x = record.A!;
            int rows = x.ShapeUnsafe[0], columns = x.ShapeUnsafe[1];
            var dx = tape.TangentOf(x, lane);
            var dy = tape.OutputTangent(record.Output, lane);
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    dy[j * rows + i] = dx[i * columns + j];
                }
            }
        }
    }

    /// <summary>
    /// The same elements in another shape (row-major order is kept; one extent may be −1 and is inferred). No copy and no
    /// tape record: the result shares this tensor's values and nodes, so gradients flow through unchanged. Under
    /// <see cref="AutoDiff.Tape.NoGrad"/> a variable's reshape is a constant with values of its own, as every operation's
    /// result is there.
    /// </summary>
    /// <exception cref="ArgumentException">The new shape holds a different number of elements, or has more than one −1.</exception>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var resolved = (int[])shape.Clone();
        int inferred = Array.IndexOf(resolved, -1);
        if (inferred >= 0)
        {
            if (Array.IndexOf(resolved, -1, inferred + 1) >= 0)
            {
                throw new ArgumentException($"Reshape: shape {TensorShape.Format(shape)} has more than one −1.", nameof(shape));
            }

            resolved[inferred] = 1;
            int known = TensorShape.SizeOf(resolved, nameof(Reshape));
            resolved[inferred] = known == 0 || Size % known != 0 ? -1 : Size / known;
        }

        if (resolved.AsSpan().Contains(-1) || TensorShape.SizeOf(resolved, nameof(Reshape)) != Size)
        {
            throw new ArgumentException(
                $"Reshape: a tensor of shape {TensorShape.Format(_shape)} ({Size} elements) cannot take shape {TensorShape.Format(shape)}.", nameof(shape));
        }

        ReadValues(); // a reshaped stale tensor would be stale too: fail here, where the mistake is
        if (!IsConstant && !AutoDiff.Tape.Current.IsRecording)
        {
            return Constant(ToArray(), resolved);
        }

        // Two tensors now name the same nodes, and the lazy clearing tracks one tensor's writers: clear them eagerly.
        PinAdjoints();
        return new Tensor(Data, resolved, Size, Tape, Node, Stamp) { AdjointMark = AdjointsPinned };
    }

    /// <summary>The transpose of a matrix: yᵢⱼ = xⱼᵢ; its backward is the transpose of the incoming gradient.</summary>
    /// <exception cref="ArgumentException">The tensor is not two-dimensional; the message names <c>.T</c> and the shape.</exception>
    public Tensor T
    {
        get
        {
            if (Rank != 2)
            {
                // A shape error, as every other op's (ArgumentException naming the op and the shape); the tensor is the
                // property's only argument, so there is no parameter name to give.
                throw new ArgumentException($".T (Transpose): needs a matrix (rank 2); this tensor has shape {TensorShape.Format(_shape)}.");
            }

            int rows = _shape[0], columns = _shape[1];
            var tape = AutoDiff.Tape.Current;
            var xs = ReadValues();
            bool record = tape.Records(this);
            var y = tape.NewOutput(record, [columns, rows], Size);
            TransposeValues(xs, y.Data, rows, columns);
            if (tape.IsCheckingFinite)
            {
                AutoDiff.Tape.CheckFiniteResult(nameof(T), y.Data.AsSpan(0, Size), y.ShapeUnsafe, [this]);
            }

            if (record)
            {
                tape.Record(new TensorRecord(nameof(T), TransposeForward, TransposeBackward, tape.EdgeCount, y, this, null, null, TransposeSecondOrder.Instance));
            }

            return y;
        }
    }

    /// <summary>The matrix product with <paramref name="other"/>; see <see cref="Ops.MatMul"/>.</summary>
    public Tensor MatMul(Tensor other) => Ops.MatMul(this, other);
}
