using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>
    /// Joins tensors of one shape along a new axis, as NumPy's <c>stack</c>: for n inputs of shape s the result has shape s
    /// with n inserted at <paramref name="axis"/>, and y[…, k, …] = tensors[k]. Stacking rank-0 tensors (or
    /// <see cref="Var"/>s) along axis 0 makes a vector; stacking vectors along axis 0 makes a matrix whose rows they are.
    /// Backward: each variable input receives (accumulates) its slice of the output's gradient.
    /// </summary>
    /// <param name="axis">Where the new axis goes, in [−(r + 1), r] for inputs of rank r; negative counts from the end of
    /// the result's shape (−1 makes the new axis the last).</param>
    /// <param name="tensors">The tensors, all of the same shape; constants and variables may be mixed.</param>
    /// <returns>A tensor of rank r + 1.</returns>
    /// <exception cref="ArgumentException">No tensors, or two shapes differ (the message names the axis and both
    /// shapes).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside [−(r + 1), r]; the message names the axis and the
    /// rank.</exception>
    public static Tensor Stack(int axis, params Tensor[] tensors)
    {
        const string op = nameof(Stack);
        RequireTensors(op, tensors);
        var first = tensors[0].ShapeUnsafe;
        int rank = first.Length;
        int a = NormalizeAxis(op, axis, rank + 1,
            $"stacking tensors of rank {rank} (shape {TensorShape.Format(first)}; the result has rank {rank + 1})");
        for (int k = 1; k < tensors.Length; k++)
        {
            var s = tensors[k].ShapeUnsafe;
            if (!TensorShape.SameShape(first, s))
            {
                throw new ArgumentException(
                    $"Stack: along new axis {axis}, shapes {TensorShape.Format(first)} and {TensorShape.Format(s)} differ (tensors 0 and {k}); stacked tensors must all have the same shape.",
                    nameof(tensors));
            }
        }

        var shape = new int[rank + 1];
        first.AsSpan(0, a).CopyTo(shape);
        shape[a] = tensors.Length;
        first.AsSpan(a).CopyTo(shape.AsSpan(a + 1));

        int outer = 1;
        for (int d = 0; d < a; d++)
        {
            outer *= first[d];
        }

        // Each input contributes one block of prod(shape[a..]) values per outer index.
        int chunk = outer == 0 ? 0 : tensors[0].Size / outer;
        var chunks = new int[tensors.Length];
        chunks.AsSpan().Fill(chunk);
        return JoinBlocks(op, tensors, chunks, outer, shape);
    }
}
