using System;

namespace AutoDiff;

public static partial class Ops
{
    // The three share one forward: per slice along the axis, m = max (0 if not finite, so ∞ − ∞ never appears),
    // eᵢ = exp(xᵢ − m), s = Σ eᵢ; then lse = m + log s and softmaxᵢ = eᵢ / s. −∞ entries get eᵢ = 0: they carry no
    // probability and no gradient.
    private enum SoftmaxKind
    {
        LogSumExp,
        Softmax,
        LogSoftmax,
    }

    private static readonly TensorBackward SoftmaxFamilyBackward = (Tape tape, in TensorRecord record) =>
    {
        var (layout, kind, probabilities) = ((AxisLayout, SoftmaxKind, double[]))record.State!;
        var x = record.A!;
        var y = record.Output;
        var adjoints = tape.Adjoints;
        var dy = adjoints.Slice(y.Node, y.Size);
        var dx = tape.AdjointsToAccumulate(x);
        var p = probabilities.AsSpan(0, x.Size);
        var ys = y.Data.AsSpan(0, y.Size);
        for (int o = 0; o < layout.Outer; o++)
        {
            for (int i = 0; i < layout.Inner; i++)
            {
                // A slice none of whose outputs is used contributes nothing, even where its probabilities are NaN (the
                // elementwise loops' rule for zero adjoints).
                if (SliceAdjointIsZero(layout, kind, o, i, dy))
                {
                    continue;
                }

                switch (kind)
                {
                    case SoftmaxKind.LogSumExp:
                    {
                        // ∂ lse / ∂xⱼ = pⱼ
                        double g = dy[layout.ReducedIndex(o, i)];
                        for (int j = 0; j < layout.Length; j++)
                        {
                            int k = layout.Index(o, j, i);
                            dx[k] += g * p[k];
                        }

                        break;
                    }

                    case SoftmaxKind.Softmax:
                    {
                        // ∂yⱼ/∂xₖ = yⱼ(δⱼₖ − yₖ): dxₖ = yₖ (dyₖ − Σⱼ dyⱼ yⱼ)
                        double dot = 0.0;
                        for (int j = 0; j < layout.Length; j++)
                        {
                            int k = layout.Index(o, j, i);
                            dot += dy[k] == 0.0 ? 0.0 : dy[k] * ys[k];
                        }

                        for (int j = 0; j < layout.Length; j++)
                        {
                            int k = layout.Index(o, j, i);
                            dx[k] += ys[k] * (dy[k] - dot);
                        }

                        break;
                    }

                    default:
                    {
                        // ∂yⱼ/∂xₖ = δⱼₖ − pₖ: dxₖ = dyₖ − pₖ Σⱼ dyⱼ
                        double total = 0.0;
                        for (int j = 0; j < layout.Length; j++)
                        {
                            total += dy[layout.Index(o, j, i)];
                        }

                        for (int j = 0; j < layout.Length; j++)
                        {
                            int k = layout.Index(o, j, i);
                            dx[k] += dy[k] - p[k] * total;
                        }

                        break;
                    }
                }
            }
        }
    };

    // Whether every output adjoint of slice (o, i) is 0: its input then receives nothing from it.
    private static bool SliceAdjointIsZero(AxisLayout layout, SoftmaxKind kind, int o, int i, ReadOnlySpan<double> dy)
    {
        if (kind == SoftmaxKind.LogSumExp)
        {
            return dy[layout.ReducedIndex(o, i)] == 0.0;
        }

        for (int j = 0; j < layout.Length; j++)
        {
            if (dy[layout.Index(o, j, i)] != 0.0)
            {
                return false;
            }
        }

        return true;
    }

    // With p the probabilities and ⟨p, ẋ⟩ the tangent of lse along a slice, ṗ = p ∘ (ẋ − ⟨p, ẋ⟩). Then
    //   lse:        ẏ = ⟨p, ẋ⟩;              rule g·p changes by g·ṗ
    //   softmax:    ẏ = ṗ;                   rule p∘(g − ⟨p, g⟩) changes by ṗ∘(g − ⟨p, g⟩) − p·⟨ṗ, g⟩
    //   logsoftmax: ẏ = ẋ − ⟨p, ẋ⟩;          rule g − p·Σg changes by −ṗ·Σg
    private sealed class SoftmaxFamilySecondOrder : LaneByLaneSecondOrder
    {
        public static readonly SoftmaxFamilySecondOrder Instance = new();

        protected override void Jvp(Tape tape, in TensorRecord record, int lane)
        {
            var (layout, kind, probabilities) = ((AxisLayout, SoftmaxKind, double[]))record.State!;
            var dx = tape.TangentOf(record.A!, lane);
            var dy = tape.OutputTangent(record.Output, lane);
            for (int o = 0; o < layout.Outer; o++)
            {
                for (int i = 0; i < layout.Inner; i++)
                {
                    double moved = Expected(layout, o, i, probabilities, dx);
                    if (kind == SoftmaxKind.LogSumExp)
                    {
                        dy[layout.ReducedIndex(o, i)] = moved;
                        continue;
                    }

                    for (int j = 0; j < layout.Length; j++)
                    {
                        int k = layout.Index(o, j, i);
                        dy[k] = kind == SoftmaxKind.Softmax ? probabilities[k] * (dx[k] - moved) : dx[k] - moved;
                    }
                }
            }
        }

        protected override void Correction(Tape tape, in TensorRecord record, int lane)
        {
            var (layout, kind, probabilities) = ((AxisLayout, SoftmaxKind, double[]))record.State!;
            var x = record.A!;
            var y = record.Output;
            var dx = tape.TangentOf(x, lane);
            var g = tape.Adjoints.Slice(y.Node, y.Size);
            var target = tape.AdjointTangents(lane).Slice(x.Node, x.Size);
            for (int o = 0; o < layout.Outer; o++)
            {
                for (int i = 0; i < layout.Inner; i++)
                {
                    if (SliceAdjointIsZero(layout, kind, o, i, g))
                    {
                        continue;
                    }

                    double moved = Expected(layout, o, i, probabilities, dx);
                    switch (kind)
                    {
                        case SoftmaxKind.LogSumExp:
                        {
                            double gr = g[layout.ReducedIndex(o, i)];
                            for (int j = 0; j < layout.Length; j++)
                            {
                                int k = layout.Index(o, j, i);
                                target[k] += gr * Moving(probabilities, dx, moved, k);
                            }

                            break;
                        }

                        case SoftmaxKind.Softmax:
                        {
                            double pg = 0.0, movingG = 0.0;
                            for (int j = 0; j < layout.Length; j++)
                            {
                                int k = layout.Index(o, j, i);
                                pg += g[k] == 0.0 ? 0.0 : probabilities[k] * g[k];
                                movingG += g[k] == 0.0 ? 0.0 : Moving(probabilities, dx, moved, k) * g[k];
                            }

                            for (int j = 0; j < layout.Length; j++)
                            {
                                int k = layout.Index(o, j, i);
                                target[k] += Moving(probabilities, dx, moved, k) * (g[k] - pg) - probabilities[k] * movingG;
                            }

                            break;
                        }

                        default:
                        {
                            double total = 0.0;
                            for (int j = 0; j < layout.Length; j++)
                            {
                                total += g[layout.Index(o, j, i)];
                            }

                            for (int j = 0; j < layout.Length; j++)
                            {
                                int k = layout.Index(o, j, i);
                                target[k] -= Moving(probabilities, dx, moved, k) * total;
                            }

                            break;
                        }
                    }
                }
            }
        }

        // ṗₖ = pₖ (ẋₖ − ⟨p, ẋ⟩)
        private static double Moving(double[] probabilities, ReadOnlySpan<double> dx, double moved, int k) => probabilities[k] * (dx[k] - moved);

        // ⟨p, ẋ⟩ over one slice; −∞ entries have p = 0 and add nothing.
        private static double Expected(AxisLayout layout, int o, int i, double[] probabilities, ReadOnlySpan<double> dx)
        {
            double sum = 0.0;
            for (int j = 0; j < layout.Length; j++)
            {
                int k = layout.Index(o, j, i);
                sum += probabilities[k] == 0.0 ? 0.0 : probabilities[k] * dx[k];
            }

            return sum;
        }
    }

    /// <summary>
    /// y = log Σⱼ exp(x[…, j, …]) along <paramref name="axis"/>, computed as m + log Σⱼ exp(xⱼ − m) with m the maximum;
    /// ∂y/∂xⱼ = softmax(x)ⱼ. Entries of −∞ contribute nothing and get gradient 0; a slice holding NaN or +∞, or only
    /// −∞, gives NaN, +∞ or −∞ with NaN gradients (its softmax is NaN, ∞/∞ or 0/0).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside the tensor's rank.</exception>
    public static Tensor LogSumExp(Tensor x, int axis, bool keepDims = false) => SoftmaxFamily(x, axis, keepDims, SoftmaxKind.LogSumExp);

    /// <summary>
    /// y = log Σᵢ exp(xᵢ) over all elements of <paramref name="x"/>, a rank-0 tensor; ∂y/∂xᵢ = softmax(x)ᵢ. −∞ for an
    /// empty tensor.
    /// </summary>
    public static Tensor LogSumExp(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return LogSumExp(x.Reshape(x.Size), 0);
    }

    /// <summary>
    /// yⱼ = exp(xⱼ − m) / Σₖ exp(xₖ − m) along <paramref name="axis"/> (default: the last), m the maximum, so it never
    /// overflows; ∂yⱼ/∂xₖ = yⱼ(δⱼₖ − yₖ). Entries of −∞ get probability 0 and gradient 0; a slice holding NaN or +∞, or
    /// only −∞, has NaN probabilities (as in NumPy, PyTorch and JAX).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside the tensor's rank.</exception>
    public static Tensor Softmax(Tensor x, int axis = -1) => SoftmaxFamily(x, axis, keepDims: true, SoftmaxKind.Softmax);

    /// <summary>
    /// yⱼ = xⱼ − log Σₖ exp(xₖ) along <paramref name="axis"/> (default: the last), stable as <see cref="LogSumExp(Tensor, int, bool)"/>;
    /// ∂yⱼ/∂xₖ = δⱼₖ − softmax(x)ₖ. An entry of −∞ stays −∞; a slice holding NaN or +∞, or only −∞, is NaN in every
    /// entry (as in PyTorch and JAX, whose (x − m) − log Σ e^(x − m) is NaN throughout there).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside the tensor's rank.</exception>
    public static Tensor LogSoftmax(Tensor x, int axis = -1) => SoftmaxFamily(x, axis, keepDims: true, SoftmaxKind.LogSoftmax);

    private static Tensor SoftmaxFamily(Tensor x, int axis, bool keepDims, SoftmaxKind kind)
    {
        ArgumentNullException.ThrowIfNull(x);
        string op = kind.ToString();
        bool reduces = kind == SoftmaxKind.LogSumExp;
        var layout = reduces ? AxisLayout.OfReduction(op, x.ShapeUnsafe, axis, keepDims) : AxisLayout.Of(op, x.ShapeUnsafe, axis, keepDims);
        var xs = x.ReadValues();
        var tape = Tape.Current;
        bool record = tape.Records(x);
        int size = reduces ? layout.Outer * layout.Inner : x.Size;
        int[] shape = reduces ? layout.ReducedShape : x.Shape;
        var y = tape.NewOutput(record, shape, size);
        var ys = y.Data.AsSpan(0, size);

        // The probabilities are what every backward rule needs: kept beside the record in memory the scope returns.
        var probabilities = record ? tape.RentBuffer(x.Size) : new double[x.Size];
        SoftmaxFamilyValues(xs, layout, kind, probabilities, ys);
        if (tape.IsCheckingFinite)
        {
            Tape.CheckFiniteResult(op, ys, shape, [x]);
        }

        if (record)
        {
            tape.Record(new TensorRecord(op, SoftmaxFamilyForward, SoftmaxFamilyBackward, tape.EdgeCount, y, x, null, (layout, kind, probabilities), SoftmaxFamilySecondOrder.Instance));
        }

        return y;
    }

    private static readonly TensorForward SoftmaxFamilyForward = (in TensorRecord record) =>
    {
        var (layout, kind, probabilities) = ((AxisLayout, SoftmaxKind, double[]))record.State!;
        SoftmaxFamilyValues(record.A!.Data.AsSpan(0, record.A.Size), layout, kind, probabilities, record.Output.Data.AsSpan(0, record.Output.Size));
    };

    // ys = the kind's values along the layout's axis, and the probabilities softmax(x) beside them.
    private static void SoftmaxFamilyValues(ReadOnlySpan<double> xs, AxisLayout layout, SoftmaxKind kind, double[] probabilities, Span<double> ys)
    {
        bool reduces = kind == SoftmaxKind.LogSumExp;
        for (int o = 0; o < layout.Outer; o++)
        {
            for (int i = 0; i < layout.Inner; i++)
            {
                double max = double.NegativeInfinity;
                for (int j = 0; j < layout.Length; j++)
                {
                    max = Math.Max(max, xs[layout.Index(o, j, i)]);
                }

                double shift = double.IsFinite(max) ? max : 0.0;
                double sum = 0.0;
                for (int j = 0; j < layout.Length; j++)
                {
                    int k = layout.Index(o, j, i);
                    probabilities[k] = Math.Exp(xs[k] - shift);
                    sum += probabilities[k];
                }

                double logSum = Math.Log(sum);
                double lse = double.IsFinite(max) ? shift + logSum : max;
                for (int j = 0; j < layout.Length; j++)
                {
                    int k = layout.Index(o, j, i);
                    // A row whose log-sum-exp is not finite has no probabilities: a NaN in it, a +∞ (∞/∞) or every entry −∞
                    // (0/0). NaN then, for the probabilities (as NumPy, PyTorch and JAX give) and the log-probabilities (as
                    // PyTorch and JAX give: their (x − m) − log s is NaN throughout when m is not finite; x − lse alone
                    // would leave −∞ beside the NaN of a +∞ entry); zeros or −∞ would hide a diverging model's NaN.
                    probabilities[k] = double.IsFinite(lse) ? probabilities[k] / sum : double.NaN;
                    switch (kind)
                    {
                        case SoftmaxKind.Softmax:
                            ys[k] = probabilities[k];
                            break;
                        case SoftmaxKind.LogSoftmax:
                            // (x − m) − log s, not x − lse: lse = m + log s is rounded at m's scale, and subtracting it
                            // from x left log s with m's absolute error ([10¹⁶, 10¹⁶] gave [0, 0] for [−ln 2, −ln 2]);
                            // x − m is exact for the entries near the maximum, as in PyTorch's log_softmax.
                            ys[k] = double.IsFinite(lse) ? (xs[k] - shift) - logSum : double.NaN;
                            break;
                    }
                }

                if (reduces)
                {
                    ys[layout.ReducedIndex(o, i)] = lse;
                }
            }
        }
    }
}
