using System;

namespace AutoDiff;

/// <summary>Walks a broadcast elementwise operation row by row, so kernels loop over contiguous output rows.</summary>
internal static class Broadcast
{
    /// <summary>Receives one output row of a binary operation: its offset, the inputs' offsets, its length and the inputs' steps along it (0 or 1).</summary>
    public interface IRowVisitor
    {
        void Row(int output, int a, int b, int length, int stepA, int stepB);
    }

    /// <summary>Receives one output row of an operation of any number of inputs: its offset, each input's offset and step along it (0 or 1), its length.</summary>
    public interface IRowsVisitor
    {
        void Row(int output, scoped ReadOnlySpan<int> offsets, scoped ReadOnlySpan<int> steps, int length);
    }

    /// <summary>Calls <paramref name="visitor"/> for every row (last dimension) of the result of broadcasting shapes a and b to <paramref name="shape"/>.</summary>
    public static void ForEachRow<TVisitor>(int[] shape, int[] a, int[] b, ref TVisitor visitor)
        where TVisitor : IRowVisitor, allows ref struct
    {
        var pair = new Pair<TVisitor>(visitor);
        ForEachRow(shape, [a, b], ref pair);
    }

    /// <summary>Calls <paramref name="visitor"/> for every row (last dimension) of the result of broadcasting <paramref name="inputs"/> to <paramref name="shape"/>.</summary>
    public static void ForEachRow<TVisitor>(int[] shape, scoped ReadOnlySpan<int[]> inputs, ref TVisitor visitor)
        where TVisitor : IRowsVisitor, allows ref struct
    {
        int rank = shape.Length, count = inputs.Length;
        Span<int> offsets = stackalloc int[count];
        Span<int> steps = stackalloc int[count];
        offsets.Clear();
        steps.Clear();
        if (rank == 0)
        {
            visitor.Row(0, offsets, steps, 1);
            return;
        }

        int length = shape[rank - 1];
        int size = TensorShape.SizeOf(shape, "broadcast");
        if (length == 0 || size == 0)
        {
            return;
        }

        // strides[k·rank + d]: input k's stride along dimension d of the result, 0 where it is broadcast.
        Span<int> strides = stackalloc int[count * rank];
        for (int k = 0; k < count; k++)
        {
            TensorShape.BroadcastStrides(inputs[k], shape).CopyTo(strides.Slice(k * rank, rank));
            steps[k] = strides[k * rank + rank - 1];
        }

        Span<int> index = stackalloc int[rank];
        index.Clear();
        for (int output = 0; output < size; output += length)
        {
            visitor.Row(output, offsets, steps, length);

            // Odometer over the outer dimensions; a broadcast dimension has stride 0 and leaves its offset unchanged.
            for (int d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                for (int k = 0; k < count; k++)
                {
                    offsets[k] += strides[k * rank + d];
                }

                if (index[d] < shape[d])
                {
                    break;
                }

                for (int k = 0; k < count; k++)
                {
                    offsets[k] -= strides[k * rank + d] * shape[d];
                }

                index[d] = 0;
            }
        }
    }

    // A binary visitor seen as a visitor of any number of inputs, so both arities share one walk.
    private ref struct Pair<TVisitor>(TVisitor inner) : IRowsVisitor
        where TVisitor : IRowVisitor, allows ref struct
    {
        private TVisitor _inner = inner;

        public void Row(int output, scoped ReadOnlySpan<int> offsets, scoped ReadOnlySpan<int> steps, int length) =>
            _inner.Row(output, offsets[0], offsets[1], length, steps[0], steps[1]);
    }
}
