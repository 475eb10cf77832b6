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
        var adjoints = tape.Adjoints;
        var dy = adjoints.Slice(y.Node, y.Size);

        // As MatMul's rule: a target nothing has added into yet in this sweep (W3's weights) is assigned, not cleared and
        // added into; x is asked and written first.
        bool assignX = false, assignW = false;
        var dx = x.IsConstant ? default : tape.AdjointsToWrite(x, out assignX);
        var dw = weight.IsConstant ? default : tape.AdjointsToWrite(weight, out assignW);
        LinearAdjoints(dy, x.ShapeUnsafe, weight.ShapeUnsafe, weight.Data.AsSpan(0, weight.Size), dx, !assignX, x.Data.AsSpan(0, x.Size), dw, !assignW);

        if (bias is { IsConstant: false })
        {
            int rows = x.Rank == 2 ? x.ShapeUnsafe[0] : 1, outputs = weight.ShapeUnsafe[0];
            var db = tape.AdjointsToAccumulate(bias);
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

    // ∂X (+)= ∂Y·W and ∂W (+)= ∂Yᵀ·X, each skipped where its target is empty, added into its target where addX/addW say
    // so and written over it otherwise; W and X are parameters so that the second-order correction can pass their tangents.
    private static void LinearAdjoints(
        ReadOnlySpan<double> dy, int[] sx, int[] sw, ReadOnlySpan<double> wv, Span<double> dx, bool addX, ReadOnlySpan<double> xv, Span<double> dw, bool addW)
    {
        int rows = sx.Length == 2 ? sx[0] : 1, inputs = sw[1], outputs = sw[0];
        if (!dx.IsEmpty)
        {
            Gemm.Multiply(dy, wv, dx, rows, inputs, outputs, accumulate: addX); // ∂X += ∂Y·W
        }

        if (!dw.IsEmpty)
        {
            Gemm.Multiply(dy, xv, dw, outputs, inputs, rows, transposeA: true, accumulate: addW); // ∂W += ∂Yᵀ·X
        }
    }

    // Y = X·Wᵀ + b is bilinear in (X, W) plus a linear b: Ẏ = Ẋ·Wᵀ + X·Ẇᵀ + ḃ; the rule's own change is the rule with
    // X, W replaced by Ẋ, Ẇ (the bias part does not change).
    private sealed class LinearSecondOrder : LaneByLaneSecondOrder
    {
        public static readonly LinearSecondOrder Instance = new();

        protected override void Jvp(Tape tape, in TensorRecord record, int lane)
        {
            var x = record.A!;
            var weight = record.B!;
            var bias = (Tensor?)record.State;
            int rows = x.Rank == 2 ? x.ShapeUnsafe[0] : 1, inputs = weight.ShapeUnsafe[1], outputs = weight.ShapeUnsafe[0];
            var dy = tape.OutputTangent(record.Output, lane);
            dy.Clear(); // every term accumulates; an output's tangent is not cleared when it is made
            if (!x.IsConstant)
            {
                Gemm.Multiply(tape.TangentOf(x, lane), weight.Data.AsSpan(0, weight.Size), dy, rows, outputs, inputs, transposeB: true, accumulate: true);
            }

            if (!weight.IsConstant)
            {
                Gemm.Multiply(x.Data.AsSpan(0, x.Size), tape.TangentOf(weight, lane), dy, rows, outputs, inputs, transposeB: true, accumulate: true);
            }

            if (bias is { IsConstant: false })
            {
                AddBias(dy, tape.TangentOf(bias, lane), rows, outputs);
            }
        }

        protected override void Correction(Tape tape, in TensorRecord record, int lane)
        {
            var x = record.A!;
            var weight = record.B!;
            if (x.IsConstant || weight.IsConstant)
            {
                return;
            }

            var tangents = tape.AdjointTangents(lane);
            LinearAdjoints(
                tape.Adjoints.Slice(record.Output.Node, record.Output.Size), x.ShapeUnsafe, weight.ShapeUnsafe,
                tape.TangentOf(weight, lane), tangents.Slice(x.Node, x.Size), addX: true, tape.TangentOf(x, lane), tangents.Slice(weight.Node, weight.Size), addW: true);
        }
    }

    private static readonly TensorForward LinearForward = (in TensorRecord record) =>
    {
        Tensor x = record.A!, weight = record.B!;
        var bias = (Tensor?)record.State;
        int[] sw = weight.ShapeUnsafe;
        LinearValues(
            x.Data.AsSpan(0, x.Size), weight.Data.AsSpan(0, weight.Size), bias is null ? default : bias.Data.AsSpan(0, bias.Size), bias is not null,
            record.Output.Data.AsSpan(0, record.Output.Size), x.Rank == 2 ? x.ShapeUnsafe[0] : 1, sw[0], sw[1]);
    };

    // y = x·Wᵀ (+ b on every row).
    private static void LinearValues(ReadOnlySpan<double> xv, ReadOnlySpan<double> wv, ReadOnlySpan<double> bv, bool hasBias, Span<double> yv, int rows, int outputs, int inputs)
    {
        Gemm.Multiply(xv, wv, yv, rows, outputs, inputs, transposeB: true);
        if (hasBias)
        {
            AddBias(yv, bv, rows, outputs);
        }
    }

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

        // N × out does not depend on in: with in = 0 the inputs hold nothing and rows · outputs can still exceed an array.
        int size = TensorShape.SizeOf(shape, nameof(Linear));
        var tape = Tape.Current;
        bool record = tape.Records(x) | tape.Records(weight) | (bias is not null && tape.Records(bias));
        var y = tape.NewOutput(record, shape, size);
        LinearValues(xv, wv, bv, bias is not null, y.Data.AsSpan(0, size), rows, outputs, inputs);
        if (tape.IsCheckingFinite)
        {
            Tape.CheckFiniteResult(nameof(Linear), y.Data.AsSpan(0, size), shape, bias is null ? [x, weight] : [x, weight, bias]);
        }

        if (record)
        {
            tape.Record(new TensorRecord(nameof(Linear), LinearForward, LinearBackward, tape.EdgeCount, y, x, weight, bias, LinearSecondOrder.Instance));
        }

        return y;
    }

    // y[r, o] += b[o] for every row r: the bias of Linear's forward pass, and of its tangents.
    private static void AddBias(Span<double> y, ReadOnlySpan<double> b, int rows, int outputs)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = y.Slice(r * outputs, outputs);
            for (int o = 0; o < outputs; o++)
            {
                row[o] += b[o];
            }
        }
    }
}
