using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoDiff;

public static partial class Ops
{
    // Sum's divisor, boxed once: a record's State is an object, and Sum should not allocate a box per call. A record's
    // divisor is 1 for a sum and the count n for a mean, which divides by n as NumPy and PyTorch do: multiplying by 1/n,
    // itself rounded, was an ulp off (the mean of 49 ones came out 0.9999999999999999). x / 1 is x, so sums are unchanged.
    private static readonly object BoxedOne = 1.0;

    private static readonly TensorBackward SumAllBackward = (Tape tape, in TensorRecord record) =>
    {
        var adjoints = tape.Adjoints;
        double dy = adjoints[record.Output.Node] / (double)record.State!;
        if (dy == 0.0)
        {
            return;
        }

        // Every element receives dy: as the first contribution in a sweep, it is kept as one uniform value, which the
        // elementwise rule that produced x reads as such (nothing is written); otherwise it is added.
        var x = record.A!;
        if (!tape.TryAssignUniform(x, dy))
        {
            AddTo(tape.AdjointsToAccumulate(x), dy);
        }
    };

    private static readonly TensorForward SumAllForward = (in TensorRecord record) =>
        record.Output.Data[0] = SumOf(record.A!.Data.AsSpan(0, record.A.Size)) / (double)record.State!;

    private static readonly TensorForward SumAxisForward = (in TensorRecord record) =>
    {
        var (layout, divisor) = ((AxisLayout, double))record.State!;
        SumAlongValues(record.A!.Data.AsSpan(0, record.A.Size), layout, divisor, record.Output.Data.AsSpan(0, record.Output.Size));
    };

    private static readonly TensorBackward SumAxisBackward = (Tape tape, in TensorRecord record) =>
    {
        var (layout, divisor) = ((AxisLayout, double))record.State!;
        var adjoints = tape.Adjoints;
        var dy = adjoints.Slice(record.Output.Node, record.Output.Size);
        var dx = tape.AdjointsToAccumulate(record.A!);
        for (int o = 0; o < layout.Outer; o++)
        {
            for (int j = 0; j < layout.Length; j++)
            {
                for (int i = 0; i < layout.Inner; i++)
                {
                    dx[layout.Index(o, j, i)] += dy[layout.ReducedIndex(o, i)] / divisor;
                }
            }
        }
    };

    // Sums are linear: the tangent is summed like the value, and the rules do not change.
    private sealed class SumAllSecondOrder : LaneByLaneSecondOrder
    {
        public static readonly SumAllSecondOrder Instance = new();

        protected override void Jvp(Tape tape, in TensorRecord record, int lane)
        {
            tape.OutputTangent(record.Output, lane)[0] = SumOf(tape.TangentOf(record.A!, lane)) / (double)record.State!;
        }
    }

    private sealed class SumAxisSecondOrder : LaneByLaneSecondOrder
    {
        public static readonly SumAxisSecondOrder Instance = new();

        protected override void Jvp(Tape tape, in TensorRecord record, int lane)
        {
            var (layout, divisor) = ((AxisLayout, double))record.State!;
            var dx = tape.TangentOf(record.A!, lane);
            var dy = tape.OutputTangent(record.Output, lane);
            dy.Clear();
            for (int o = 0; o < layout.Outer; o++)
            {
                for (int j = 0; j < layout.Length; j++)
                {
                    for (int i = 0; i < layout.Inner; i++)
                    {
                        dy[layout.ReducedIndex(o, i)] += dx[layout.Index(o, j, i)];
                    }
                }
            }

            for (int r = 0; r < dy.Length; r++)
            {
                dy[r] /= divisor;
            }
        }
    }

    /// <summary>y = Σᵢ xᵢ over all elements, a rank-0 tensor; ∂y/∂xᵢ = 1. 0 for an empty tensor.</summary>
    public static Tensor Sum(Tensor x) => SumAll(x, nameof(Sum), 1.0);

    /// <summary>y = (1/n) Σᵢ xᵢ over all n elements, a rank-0 tensor; ∂y/∂xᵢ = 1/n. NaN for an empty tensor, as in NumPy.</summary>
    public static Tensor Mean(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return SumAll(x, nameof(Mean), x.Size);
    }

    /// <summary>
    /// y = Σⱼ x[…, j, …] along <paramref name="axis"/> (negative counts from the end), dropping that axis unless
    /// <paramref name="keepDims"/>; ∂y/∂x = 1 along the axis.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside the tensor's rank.</exception>
    public static Tensor Sum(Tensor x, int axis, bool keepDims = false) => SumAlong(x, axis, keepDims, nameof(Sum), mean: false);

    /// <summary>y = (1/n) Σⱼ x[…, j, …] along <paramref name="axis"/>, n its extent; ∂y/∂x = 1/n along the axis.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside the tensor's rank.</exception>
    public static Tensor Mean(Tensor x, int axis, bool keepDims = false) => SumAlong(x, axis, keepDims, nameof(Mean), mean: true);

    // Σ x / divisor: 1 for Sum, the count for Mean (0 / 0 is NaN for an empty mean).
    private static Tensor SumAll(Tensor x, string op, double divisor)
    {
        ArgumentNullException.ThrowIfNull(x);
        double sum = SumOf(x.ReadValues()) / divisor;
        var tape = Tape.Current;

        if (tape.IsCheckingFinite)
        {
            Tape.CheckFiniteResult(op, [sum], [], [x]);
        }

        if (!tape.Records(x))
        {
            return Tensor.Scalar(sum);
        }

        var y = tape.NewTensor([], 1);
        y.Data[0] = sum;
        tape.Record(new TensorRecord(op, SumAllForward, SumAllBackward, tape.EdgeCount, y, x, null, divisor == 1.0 ? BoxedOne : divisor, SumAllSecondOrder.Instance));
        return y;
    }

    // Σ values with four Vector256 accumulators: the loop-carried dependency of a scalar sum is one add per element; the
    // order differs from left to right only by rounding (and is, if anything, more accurate).
    private static double SumOf(ReadOnlySpan<double> values)
    {
        int i = 0;
        double sum = 0.0;
        if (Vector256.IsHardwareAccelerated && values.Length >= 4 * Vector256<double>.Count)
        {
            ref double start = ref MemoryMarshal.GetReference(values);
            Vector256<double> s0 = Vector256<double>.Zero, s1 = s0, s2 = s0, s3 = s0;
            int width = Vector256<double>.Count;
            for (; i <= values.Length - 4 * width; i += 4 * width)
            {
                s0 += Vector256.LoadUnsafe(ref start, (nuint)i);
                s1 += Vector256.LoadUnsafe(ref start, (nuint)(i + width));
                s2 += Vector256.LoadUnsafe(ref start, (nuint)(i + 2 * width));
                s3 += Vector256.LoadUnsafe(ref start, (nuint)(i + 3 * width));
            }

            sum = Vector256.Sum((s0 + s1) + (s2 + s3));
        }

        for (; i < values.Length; i++)
        {
            sum += values[i];
        }

        return sum;
    }

    // target[i] += value, a vector at a time.
    private static void AddTo(Span<double> target, double value)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double start = ref MemoryMarshal.GetReference(target);
            var broadcast = Vector256.Create(value);
            for (; i <= target.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                (Vector256.LoadUnsafe(ref start, (nuint)i) + broadcast).StoreUnsafe(ref start, (nuint)i);
            }
        }

        for (; i < target.Length; i++)
        {
            target[i] += value;
        }
    }

    private static Tensor SumAlong(Tensor x, int axis, bool keepDims, string op, bool mean)
    {
        ArgumentNullException.ThrowIfNull(x);
        var layout = AxisLayout.OfReduction(op, x.ShapeUnsafe, axis, keepDims);
        double divisor = mean ? layout.Length : 1.0;
        var values = x.ReadValues();
        var tape = Tape.Current;
        bool record = tape.Records(x);
        int size = layout.Outer * layout.Inner;
        var y = tape.NewOutput(record, layout.ReducedShape, size);
        SumAlongValues(values, layout, divisor, y.Data.AsSpan(0, size));
        if (tape.IsCheckingFinite)
        {
            Tape.CheckFiniteResult(op, y.Data.AsSpan(0, size), layout.ReducedShape, [x]);
        }

        if (record)
        {
            tape.Record(new TensorRecord(op, SumAxisForward, SumAxisBackward, tape.EdgeCount, y, x, null, (layout, divisor), SumAxisSecondOrder.Instance));
        }

        return y;
    }

    // ys = Σ along the layout's axis / divisor.
    private static void SumAlongValues(ReadOnlySpan<double> values, AxisLayout layout, double divisor, Span<double> ys)
    {
        ys.Clear();
        for (int o = 0; o < layout.Outer; o++)
        {
            for (int j = 0; j < layout.Length; j++)
            {
                for (int i = 0; i < layout.Inner; i++)
                {
                    ys[layout.ReducedIndex(o, i)] += values[layout.Index(o, j, i)];
                }
            }
        }

        for (int i = 0; i < ys.Length; i++)
        {
            ys[i] /= divisor;
        }
    }
}
