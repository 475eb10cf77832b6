using System;

namespace AutoDiff;

public static partial class Ops
{
    private static readonly TensorBackward SumBackward = (Tape tape, in TensorRecord record) =>
    {
        var adjoints = tape.Adjoints;
        double dy = adjoints[record.Output.Node] * (double)record.State!;
        var x = record.A!;
        var dx = adjoints.Slice(x.Node, x.Size);
        for (int i = 0; i < dx.Length; i++)
        {
            dx[i] += dy;
        }
    };

    /// <summary>y = Σᵢ xᵢ over all elements, a rank-0 tensor; ∂y/∂xᵢ = 1. 0 for an empty tensor.</summary>
    public static Tensor Sum(Tensor x) => SumAll(x, nameof(Sum), 1.0);

    /// <summary>y = (1/n) Σᵢ xᵢ over all n elements, a rank-0 tensor; ∂y/∂xᵢ = 1/n. NaN for an empty tensor, as in NumPy.</summary>
    public static Tensor Mean(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return SumAll(x, nameof(Mean), 1.0 / x.Size);
    }

    private static Tensor SumAll(Tensor x, string op, double scale)
    {
        ArgumentNullException.ThrowIfNull(x);
        var values = x.ReadValues();
        double sum = 0.0;
        foreach (double v in values)
        {
            sum += v;
        }

        sum *= scale;
        var tape = Tape.Current;
        if (!tape.Records(x))
        {
            return Tensor.Scalar(x.Size == 0 && op == nameof(Mean) ? double.NaN : sum);
        }

        var y = tape.NewTensor([], 1);
        y.Data[0] = sum;
        tape.Record(new TensorRecord(SumBackward, tape.EdgeCount, y, x, null, scale));
        return y;
    }
}
