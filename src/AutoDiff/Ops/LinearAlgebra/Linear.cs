using System;
using AutoDiff.Kernels;

namespace AutoDiff;

public static partial class Ops
{
    private static readonly TensorBackward LinearBackward = (Tape tape, in TensorRecord record) =>
    {
        var x = record.A!;
        var weight = record.B!;
        var bias = (Tensor?)record.State;
        var y = record.Output;
        int rows = x.Rank == 2 ? x.ShapeUnsafe[0] : 1, inputs = weight.ShapeUnsafe[1], outputs = weight.ShapeUnsafe[0];
        var adjoints = tape.Adjoints;
        var dy = adjoints.Slice(y.Node, y.Size);
        if (!x.IsConstant)
        {
            Gemm.Multiply(dy, weight.Data.AsSpan(0, weight.Size), adjoints.Slice(x.Node, x.Size), rows, inputs, outputs, accumulate: true); // ∂X += ∂Y·W
        }

        if (!weight.IsConstant)
        {
            Gemm.Multiply(dy, x.Data.AsSpan(0, x.Size), adjoints.Slice(weight.Node, weight.Size), outputs, inputs, rows, transposeA: true, accumulate: true); // ∂W += ∂Yᵀ·X
        }

        if (bias is { IsConstant: false })
        {
            var db = adjoints.Slice(bias.Node, bias.Size);
            for (int r = 0; r < rows; r++)
            {
                var row = dy.Slice(r * outputs, outputs);
                for (int o = 0; o < outputs; o++)
                {
                    db[o] += row[o]; // ∂b += Σ rows of ∂Y
                }
            }
        }
    };

    /// <summary>
    /// A linear layer, y = x·Wᵀ + b for a batch of rows x (N × in, or one row of length in), weights W (out × in) and an
    /// optional bias b (out): the notes' z = Wx + b₁ with one example per row, as PyTorch's <c>linear</c>.
    /// Backward: ∂x = ∂y·W, ∂W = ∂yᵀ·x, ∂b = Σ rows of ∂y. Runs on the GEMM kernel with W read transposed in place, so no
    /// transpose is copied.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit; the message names all of them.</exception>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        int[] sx = x.ShapeUnsafe, sw = weight.ShapeUnsafe;
        bool fits = sx.Length is 1 or 2 && sw.Length == 2 && sx[^1] == sw[1] && (bias is null || (bias.Rank == 1 && bias.Size == sw[0]));
        if (!fits)
        {
            throw new ArgumentException(
                $"Linear: x {TensorShape.Format(sx)}, weight {TensorShape.Format(sw)}" + (bias is null ? string.Empty : $", bias {TensorShape.Format(bias.ShapeUnsafe)}")
                + " do not fit y = x·Wᵀ + b: x must be N×in (or in), W out×in, b out.");
        }

        int rows = sx.Length == 2 ? sx[0] : 1, inputs = sw[1], outputs = sw[0];
        var xv = x.ReadValues();
        var wv = weight.ReadValues();
        var bv = bias is null ? default : bias.ReadValues();
        int[] shape = sx.Length == 2 ? [rows, outputs] : [outputs];
        var tape = Tape.Current;
        bool record = tape.Records(x) | tape.Records(weight) | (bias is not null && tape.Records(bias));
        var y = record ? tape.NewTensor(shape, rows * outputs) : Tensor.Constant(new double[rows * outputs], shape);
        var yv = y.Data.AsSpan(0, rows * outputs);
        Gemm.Multiply(xv, wv, yv, rows, outputs, inputs, transposeB: true);
        if (bias is not null)
        {
            for (int r = 0; r < rows; r++)
            {
                var row = yv.Slice(r * outputs, outputs);
                for (int o = 0; o < outputs; o++)
                {
                    row[o] += bv[o];
                }
            }
        }

        if (record)
        {
            tape.Record(new TensorRecord(LinearBackward, tape.EdgeCount, y, x, weight, bias));
        }

        return y;
    }
}
