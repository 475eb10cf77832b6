using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// A random well-typed tensor program, kept as data so that it can be run on any inputs of its shapes, in any mode
/// (recorded, traced, under <c>NoGrad</c>), printed as C# for a regression test, and shrunk. The result is the sum of
/// every node no later step reads, each reduced to a scalar and weighted, so every step reaches the result.
/// </summary>
internal sealed class TensorProgram
{
    public TensorProgram(int[][] inputShapes, IReadOnlyList<TensorInstruction> steps, IReadOnlyList<(int Node, int Reduction, double Weight)> outputs)
    {
        InputShapes = inputShapes;
        Steps = steps;
        Outputs = outputs;
    }

    public int[][] InputShapes { get; }

    public IReadOnlyList<TensorInstruction> Steps { get; }

    /// <summary>The nodes summed into the result: reduction 0 = Sum, 1 = Mean, 2 = LogSumExp; each times its weight.</summary>
    public IReadOnlyList<(int Node, int Reduction, double Weight)> Outputs { get; }

    /// <summary>Whether a step converts a traced tensor into a variable Var, which <see cref="AD.Compile"/> refuses.</summary>
    public bool UsesVariableVars
    {
        get
        {
            // A node is variable when an input reaches it; a Var made from a constant node is a constant Var.
            var variable = new List<bool>(InputShapes.Select(_ => true));
            bool converts = false;
            foreach (var s in Steps)
            {
                bool v = s.Op != TensorStep.Constant && new[] { s.A, s.B, s.C }.Any(i => i >= 0 && variable[i]);
                converts |= (s.Op == TensorStep.ScalarVar && variable[s.A]) || (s.Second == TensorOperand.VariableVar && variable[s.B]);
                variable.Add(v);
            }

            return converts;
        }
    }

    /// <summary>The smallest gap between the largest and second largest entry of any slice a MaxAlong reduced, seen by the last <see cref="Run"/> with probing on.</summary>
    public double MaxGap { get; private set; } = double.PositiveInfinity;

    /// <summary>The largest magnitude of any step's result (∞ for NaN), seen by the last <see cref="Run"/> with probing on: where it is large, terms that large may cancel in the result and a finite difference of the result loses their digits.</summary>
    public double LargestMagnitude { get; private set; }

    /// <summary>Runs the program on <paramref name="inputs"/>; with <paramref name="probe"/> (values readable) it also measures <see cref="MaxGap"/>.</summary>
    public Tensor Run(Tensor[] inputs, bool probe = false)
    {
        if (probe)
        {
            MaxGap = double.PositiveInfinity;
            LargestMagnitude = 0;
        }

        var nodes = new List<Tensor>(inputs);
        foreach (var s in Steps)
        {
            nodes.Add(Apply(s, nodes, probe));
            if (probe)
            {
                LargestMagnitude = Math.Max(LargestMagnitude, nodes[^1].ToArray().Max(v => double.IsNaN(v) ? double.PositiveInfinity : Math.Abs(v)));
            }
        }

        Tensor? total = null;
        foreach (var (node, reduction, weight) in Outputs)
        {
            var x = nodes[node];
            Tensor r = reduction switch
            {
                0 => Sum(x),
                1 => Mean(x),
                _ => LogSumExp(x),
            };
            r = weight == 1.0 ? r : r * weight;
            total = total is null ? r : total + r;
        }

        return total!;
    }

    private Tensor Apply(TensorInstruction s, List<Tensor> n, bool probe)
    {
        if (s.Op == TensorStep.Constant)
        {
            return s.Captured;
        }

        var a = n[s.A];
        switch (s.Op)
        {
            case TensorStep.Exp: return Exp(a);
            case TensorStep.Log: return Log(a);
            case TensorStep.Sigmoid: return Sigmoid(a);
            case TensorStep.LogSigmoid: return LogSigmoid(a);
            case TensorStep.Softplus: return Softplus(a);
            case TensorStep.Tanh: return Tanh(a);
            case TensorStep.Sqrt: return Sqrt(a);
            case TensorStep.Square: return Square(a);
            case TensorStep.Negate: return -a;
            case TensorStep.Sin: return Sin(a);
            case TensorStep.Expm1: return Expm1(a);
            case TensorStep.Log1p: return Log1p(a);
            case TensorStep.Add:
            case TensorStep.Subtract:
            case TensorStep.Multiply:
            case TensorStep.Divide:
                return Binary(s, a, n);
            case TensorStep.MatMul: return MatMul(a, n[s.B]);
            case TensorStep.Linear: return s.C < 0 ? Linear(a, n[s.B]) : Linear(a, n[s.B], n[s.C]);
            case TensorStep.Transpose: return a.T;
            case TensorStep.Reshape: return a.Reshape(s.Shape);
            case TensorStep.Sum: return s.All ? Sum(a) : Sum(a, s.Axis, s.KeepDims);
            case TensorStep.Mean: return s.All ? Mean(a) : Mean(a, s.Axis, s.KeepDims);
            case TensorStep.MaxAlong:
                if (probe)
                {
                    MaxGap = Math.Min(MaxGap, SmallestTopGap(a, s.Axis));
                }

                return MaxAlong(a, s.Axis, s.KeepDims);
            case TensorStep.LogSumExp: return s.All ? LogSumExp(a) : LogSumExp(a, s.Axis, s.KeepDims);
            case TensorStep.Softmax: return Softmax(a, s.Axis);
            case TensorStep.LogSoftmax: return LogSoftmax(a, s.Axis);
            case TensorStep.CrossEntropy:
                {
                    var reduction = s.KeepDims ? Reduction.Mean : Reduction.Sum;
                    return s.Swapped
                        ? CrossEntropy(a, Tensor.Vector([.. s.Ints.Select(i => (double)i)]), reduction)
                        : CrossEntropy(a, s.Ints, reduction);
                }

            case TensorStep.Rows: return Rows(a, s.Ints);
            case TensorStep.RowTensor:
                return s.Ints.Length == 1 && s.Swapped
                    ? Rows(a, Tensor.Scalar(s.Ints[0]))
                    : Rows(a, Tensor.Vector([.. s.Ints.Select(i => (double)i)]));
            case TensorStep.Concat: return s.C < 0 ? Concat(s.Axis, a, n[s.B]) : Concat(s.Axis, a, n[s.B], n[s.C]);
            case TensorStep.Stack: return s.C < 0 ? Stack(s.Axis, a, n[s.B]) : Stack(s.Axis, a, n[s.B], n[s.C]);
            case TensorStep.ScalarVar:
                {
                    Var v = a;
                    Var r = s.Axis switch
                    {
                        0 => LogSigmoid(v) + LogSigmoid(-v),
                        1 => v * Sigmoid(v) + s.K,
                        2 => Softplus(-v) - v * s.K,
                        _ => Tanh(v) * v,
                    };
                    return r;
                }

            default: throw new InvalidOperationException(s.Op.ToString());
        }
    }

    private static Tensor Binary(TensorInstruction s, Tensor a, List<Tensor> n)
    {
        switch (s.Second)
        {
            case TensorOperand.Double:
                return s.Swapped
                    ? s.Op switch { TensorStep.Add => s.K + a, TensorStep.Subtract => s.K - a, TensorStep.Multiply => s.K * a, _ => s.K / a }
                    : s.Op switch { TensorStep.Add => a + s.K, TensorStep.Subtract => a - s.K, TensorStep.Multiply => a * s.K, _ => a / s.K };
            case TensorOperand.ConstantVar:
            case TensorOperand.VariableVar:
                {
                    Var v = s.Second == TensorOperand.ConstantVar ? s.K : (Var)n[s.B];
                    return s.Swapped
                        ? s.Op switch { TensorStep.Add => v + a, TensorStep.Subtract => v - a, TensorStep.Multiply => v * a, _ => v / a }
                        : s.Op switch { TensorStep.Add => a + v, TensorStep.Subtract => a - v, TensorStep.Multiply => a * v, _ => a / v };
                }

            default:
                {
                    var b = s.Second == TensorOperand.Data ? s.Captured : n[s.B];
                    var (l, r) = s.Swapped ? (b, a) : (a, b);
                    return s.Op switch { TensorStep.Add => l + r, TensorStep.Subtract => l - r, TensorStep.Multiply => l * r, _ => l / r };
                }
        }
    }

    // The smallest difference between a slice's largest and second largest entry: a finite difference across a MaxAlong
    // is the average of the one-sided slopes when the two are closer than its step.
    private static double SmallestTopGap(Tensor a, int axis)
    {
        var shape = a.Shape;
        var values = a.ToArray();
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++)
        {
            outer *= shape[i];
        }

        for (int i = axis + 1; i < shape.Length; i++)
        {
            inner *= shape[i];
        }

        int len = shape[axis];
        double gap = double.PositiveInfinity;
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                double first = double.NegativeInfinity, second = double.NegativeInfinity;
                for (int k = 0; k < len; k++)
                {
                    double v = values[(o * len + k) * inner + i];
                    if (v > first)
                    {
                        (first, second) = (v, first);
                    }
                    else if (v > second)
                    {
                        second = v;
                    }
                }

                gap = Math.Min(gap, first - second);
            }
        }

        return gap;
    }

    /// <summary>The program as C# statements over inputs <c>x0</c>, <c>x1</c>, …, for a regression test.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.Append("// inputs: ").AppendJoin(", ", InputShapes.Select((sh, i) => $"x{i} [{string.Join(", ", sh)}]")).AppendLine();
        int k = InputShapes.Length;
        string N(int i) => i < InputShapes.Length ? $"x{i}" : $"t{i}";
        string D(double v) => v.ToString("R", c);
        string Ints(int[] v) => string.Join(", ", v);
        foreach (var s in Steps)
        {
            string a = s.A < 0 ? "" : N(s.A);
            string e = s.Op switch
            {
                TensorStep.Negate => $"-{a}",
                TensorStep.Add or TensorStep.Subtract or TensorStep.Multiply or TensorStep.Divide => BinaryText(s, a, N, D),
                TensorStep.MatMul => $"MatMul({a}, {N(s.B)})",
                TensorStep.Linear => s.C < 0 ? $"Linear({a}, {N(s.B)})" : $"Linear({a}, {N(s.B)}, {N(s.C)})",
                TensorStep.Transpose => $"{a}.T",
                TensorStep.Reshape => $"{a}.Reshape({Ints(s.Shape)})",
                TensorStep.Sum or TensorStep.Mean or TensorStep.MaxAlong or TensorStep.LogSumExp =>
                    s.All ? $"{s.Op}({a})" : $"{s.Op}({a}, {s.Axis}, keepDims: {(s.KeepDims ? "true" : "false")})",
                TensorStep.Softmax or TensorStep.LogSoftmax => $"{s.Op}({a}, {s.Axis})",
                TensorStep.CrossEntropy => s.Swapped
                    ? $"CrossEntropy({a}, Tensor.Vector({Ints(s.Ints)}), Reduction.{(s.KeepDims ? "Mean" : "Sum")})"
                    : $"CrossEntropy({a}, [{Ints(s.Ints)}], Reduction.{(s.KeepDims ? "Mean" : "Sum")})",
                TensorStep.Rows => $"Rows({a}, [{Ints(s.Ints)}])",
                TensorStep.RowTensor => s.Ints.Length == 1 && s.Swapped ? $"Rows({a}, Tensor.Scalar({s.Ints[0]}))" : $"Rows({a}, Tensor.Vector({Ints(s.Ints)}))",
                TensorStep.Concat or TensorStep.Stack => s.C < 0 ? $"{s.Op}({s.Axis}, {a}, {N(s.B)})" : $"{s.Op}({s.Axis}, {a}, {N(s.B)}, {N(s.C)})",
                TensorStep.Constant => DataText(s, D),
                TensorStep.ScalarVar => s.Axis switch
                {
                    0 => $"(Tensor)(LogSigmoid((Var){a}) + LogSigmoid(-(Var){a}))",
                    1 => $"(Tensor)((Var){a} * Sigmoid((Var){a}) + {D(s.K)})",
                    2 => $"(Tensor)(Softplus(-(Var){a}) - (Var){a} * {D(s.K)})",
                    _ => $"(Tensor)(Tanh((Var){a}) * (Var){a})",
                },
                _ => $"{s.Op}({a})",
            };
            sb.Append($"var t{k} = {e};").AppendLine();
            k++;
        }

        sb.Append("return ").AppendJoin(" + ", Outputs.Select(o =>
            $"{(o.Reduction == 0 ? "Sum" : o.Reduction == 1 ? "Mean" : "LogSumExp")}({N(o.Node)}){(o.Weight == 1.0 ? "" : " * " + D(o.Weight))}")).Append(';');
        return sb.ToString();
    }

    private static string DataText(TensorInstruction s, Func<double, string> d) =>
        $"Tensor.FromArray([{string.Join(", ", s.Data.Select(d))}]{string.Concat(s.DataShape.Select(e => ", " + e))})";

    private static string BinaryText(TensorInstruction s, string a, Func<int, string> n, Func<double, string> d)
    {
        string op = s.Op switch { TensorStep.Add => "+", TensorStep.Subtract => "-", TensorStep.Multiply => "*", _ => "/" };
        string b = s.Second switch
        {
            TensorOperand.Double => d(s.K),
            TensorOperand.ConstantVar => $"(Var){d(s.K)}",
            TensorOperand.VariableVar => $"(Var){n(s.B)}",
            TensorOperand.Data => DataText(s, d),
            _ => n(s.B),
        };
        return s.Swapped ? $"{b} {op} {a}" : $"{a} {op} {b}";
    }
}
