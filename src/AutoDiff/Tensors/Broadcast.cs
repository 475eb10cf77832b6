using System;

namespace AutoDiff;

/// <summary>Walks a broadcast binary operation row by row, so kernels loop over contiguous output rows.</summary>
internal static class Broadcast
{
    /// <summary>Receives one output row: its offset, the inputs' offsets, its length and the inputs' steps along it (0 or 1).</summary>
    public interface IRowVisitor
    {
        void Row(int output, int a, int b, int length, int stepA, int stepB);
    }

    /// <summary>Calls <paramref name="visitor"/> for every row (last dimension) of the result of broadcasting shapes a and b to <paramref name="shape"/>.</summary>
    public static void ForEachRow<TVisitor>(int[] shape, int[] a, int[] b, ref TVisitor visitor)
        where TVisitor : IRowVisitor, allows ref struct
    {
        int rank = shape.Length;
        if (rank == 0)
        {
            visitor.Row(0, 0, 0, 1, 0, 0);
            return;
        }

        int[] stridesA = TensorShape.BroadcastStrides(a, shape), stridesB = TensorShape.BroadcastStrides(b, shape);
        int length = shape[rank - 1];
        int size = TensorShape.SizeOf(shape, "broadcast");
        if (length == 0 || size == 0)
        {
            return;
        }

        Span<int> index = stackalloc int[rank];
        int offsetA = 0, offsetB = 0;
        for (int output = 0; output < size; output += length)
        {
            visitor.Row(output, offsetA, offsetB, length, stridesA[rank - 1], stridesB[rank - 1]);

            // Odometer over the outer dimensions; a broadcast dimension has stride 0 and leaves its offset unchanged.
            for (int d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                offsetA += stridesA[d];
                offsetB += stridesB[d];
                if (index[d] < shape[d])
                {
                    break;
                }

                offsetA -= stridesA[d] * shape[d];
                offsetB -= stridesB[d] * shape[d];
                index[d] = 0;
            }
        }
    }
}
