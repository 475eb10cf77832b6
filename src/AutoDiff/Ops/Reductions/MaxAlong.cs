using System;

namespace AutoDiff;

public static partial class Ops
{
    private static readonly TensorBackward MaxAlongBackward = (Tape tape, in TensorRecord record) =>
    {
        var layout = (AxisLayout)record.State!;
        var x = record.A!;
        var y = record.Output;
        var xs = x.Data.AsSpan(0, x.Size);
        var ys = y.Data.AsSpan(0, y.Size);
        var adjoints = tape.Adjoints;
        var dy = adjoints.Slice(y.Node, y.Size);
        var dx = tape.AdjointsToAccumulate(x);
        for (int o = 0; o < layout.Outer; o++)
        {
            for (int i = 0; i < layout.Inner; i++)
            {
                int r = layout.ReducedIndex(o, i);
                if (dy[r] == 0.0)
                {
                    continue;
                }

                int ties = 0;
                for (int j = 0; j < layout.Length; j++)
                {
                    ties += AttainsMaximum(xs[layout.Index(o, j, i)], ys[r]) ? 1 : 0;
                }

                // A NaN maximum is undefined in its NaN entries: their gradient is NaN, as the elementwise Max gives a NaN
                // operand (NaN propagates); the finite entries of that slice get 0, as Max's other operand does.
                double share = double.IsNaN(ys[r]) ? double.NaN : dy[r] / ties;
                for (int j = 0; j < layout.Length; j++)
                {
                    int k = layout.Index(o, j, i);
                    if (AttainsMaximum(xs[k], ys[r]))
                    {
                        dx[k] += share;
                    }
                }
            }
        }
    };

    // Whether entry x is one the maximum came from: equal to it, or NaN where the maximum is NaN (Math.Max passes a NaN
    // on, so the slice's NaNs are its maximum; comparing them with == would find no entry and drop the gradient).
    private static bool AttainsMaximum(double x, double maximum) => x == maximum || (double.IsNaN(maximum) && double.IsNaN(x));

    // Piecewise linear: the maximum moves with the entries that attain it, shared among ties as the rule shares the
    // gradient; the rule itself does not change. A NaN maximum moves by NaN when one of its NaN entries moves, and not
    // at all when none does (a zero tangent contributes nothing, as everywhere in a Hessian).
    private sealed class MaxAlongSecondOrder : LaneByLaneSecondOrder
    {
        public static readonly MaxAlongSecondOrder Instance = new();

        protected override void Jvp(Tape tape, in TensorRecord record, int lane)
        {
            var layout = (AxisLayout)record.State!;
            var x = record.A!;
            var y = record.Output;
            var dx = tape.TangentOf(x, lane);
            var dy = tape.OutputTangent(y, lane);
            for (int o = 0; o < layout.Outer; o++)
            {
                for (int i = 0; i < layout.Inner; i++)
                {
                    int r = layout.ReducedIndex(o, i);
                    int ties = 0;
                    double sum = 0.0;
                    bool undefined = double.IsNaN(y.Data[r]);
                    for (int j = 0; j < layout.Length; j++)
                    {
                        int k = layout.Index(o, j, i);
                        if (AttainsMaximum(x.Data[k], y.Data[r]))
                        {
                            ties++;
                            sum += undefined && dx[k] != 0.0 ? double.NaN : dx[k];
                        }
                    }

                    dy[r] = ties == 0 ? 0.0 : sum / ties;
                }
            }
        }
    }

    private static readonly TensorForward MaxAlongForward = (in TensorRecord record) =>
        MaxAlongValues(record.A!.Data.AsSpan(0, record.A.Size), (AxisLayout)record.State!, record.Output.Data.AsSpan(0, record.Output.Size));

    // ys = the maxima along the layout's axis.
    private static void MaxAlongValues(ReadOnlySpan<double> xs, AxisLayout layout, Span<double> ys)
    {
        for (int o = 0; o < layout.Outer; o++)
        {
            for (int i = 0; i < layout.Inner; i++)
            {
                double max = double.NegativeInfinity;
                for (int j = 0; j < layout.Length; j++)
                {
                    max = Math.Max(max, xs[layout.Index(o, j, i)]);
                }

                ys[layout.ReducedIndex(o, i)] = max;
            }
        }
    }

    /// <summary>
    /// y = maxⱼ x[…, j, …] along <paramref name="axis"/> (NaN if any entry is NaN); the gradient goes to the maximal
    /// entries, split evenly among ties (as JAX's <c>max</c> and PyTorch's <c>amax</c>). A slice holding NaN has maximum
    /// NaN, and its NaN entries get gradient NaN (the derivative there is undefined) and its other entries 0, as the
    /// elementwise <see cref="Max(double, double)"/> treats a NaN operand and the other one. Named apart from the elementwise
    /// <see cref="Max(double, double)"/>, so <c>Max(x, 0)</c> stays the elementwise maximum with 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside the tensor's rank.</exception>
    /// <exception cref="ArgumentException">The axis has extent 0 (a maximum of nothing).</exception>
    public static Tensor MaxAlong(Tensor x, int axis, bool keepDims = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        var layout = AxisLayout.OfReduction(nameof(MaxAlong), x.ShapeUnsafe, axis, keepDims);
        if (layout.Length == 0)
        {
            throw new ArgumentException($"MaxAlong: axis {axis} of shape {TensorShape.Format(x.ShapeUnsafe)} is empty; a maximum of nothing is undefined.", nameof(axis));
        }

        var xs = x.ReadValues();
        var tape = Tape.Current;
        bool record = tape.Records(x);
        int size = layout.Outer * layout.Inner;
        var y = tape.NewOutput(record, layout.ReducedShape, size);
        MaxAlongValues(xs, layout, y.Data.AsSpan(0, size));
        if (tape.IsCheckingFinite)
        {
            Tape.CheckFiniteResult(nameof(MaxAlong), y.Data.AsSpan(0, size), layout.ReducedShape, [x]);
        }

        if (record)
        {
            tape.Record(new TensorRecord(nameof(MaxAlong), MaxAlongForward, MaxAlongBackward, tape.EdgeCount, y, x, null, layout, MaxAlongSecondOrder.Instance));
        }

        return y;
    }
}
