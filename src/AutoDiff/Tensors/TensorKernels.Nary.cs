using System;

namespace AutoDiff;

public static partial class TensorKernels
{
    // Stands in for the fourth input of a three-input kernel, which its bodies ignore.
    private static readonly double[] s_unused = [0.0];

    /// <summary>
    /// y = f(x₀, x₁, x₂[, x₃]) elementwise with NumPy broadcasting across all inputs, in one fused pass that also computes
    /// the partials pₖ = ∂f/∂xₖ of the variable inputs; records one tensor operation when any input is a variable.
    /// </summary>
    /// <remarks>
    /// The partials are saved (one pooled array of the output's size per variable input, returned when the scope closes),
    /// so the backward rule is kernel-free: x̄ₖ += ȳ·pₖ, summed over broadcast dimensions. Recomputing them in the backward
    /// pass instead would read every input again and evaluate the rules there; the fused pass evaluates them on values
    /// already in registers. docs/benchmarks.md has the measurement.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast (the message names the op and every shape), or the number of inputs is not the kernel's arity.</exception>
    public static Tensor Nary<TKernel>(params ReadOnlySpan<Tensor> inputs)
        where TKernel : struct, INaryKernel
    {
        if (inputs.Length != TKernel.Arity)
        {
            throw new ArgumentException($"{TKernel.Name}: {inputs.Length} inputs given, but it takes {TKernel.Arity}.", nameof(inputs));
        }

        var tape = Tape.Current;
        var xs = inputs.ToArray();
        var shapes = new int[xs.Length][];
        bool record = false, sameShape = true;
        for (int k = 0; k < xs.Length; k++)
        {
            ArgumentNullException.ThrowIfNull(xs[k], nameof(inputs));
            xs[k].ReadValues();
            shapes[k] = xs[k].ShapeUnsafe;
            sameShape &= TensorShape.SameShape(shapes[0], shapes[k]);
            record |= tape.Records(xs[k]);
        }

        int[] shape = sameShape ? shapes[0] : TensorShape.Broadcast(TKernel.Name, shapes);
        int size = TensorShape.SizeOf(shape, TKernel.Name);
        var y = record ? tape.NewTensor(shape, size) : Tensor.Constant(new double[size], shape);

        // Partials only of the inputs gradients flow into: a constant input costs no rule evaluation and no memory.
        var partials = new double[]?[xs.Length];
        for (int k = 0; k < xs.Length && record; k++)
        {
            partials[k] = tape.Records(xs[k]) ? tape.RentBuffer(size) : null;
        }

        var forward = new NaryForward<TKernel>(xs, y.Data, partials);
        ForEachRow(shape, size, xs, shapes, ref forward);

        if (tape.IsCheckingFinite)
        {
            CheckFiniteBroadcast(TKernel.Name, y.Data.AsSpan(0, size), shape, xs);
        }

        if (record)
        {
            tape.Record(new TensorRecord(NaryBackward.Rule, tape.EdgeCount, y, xs[0], xs[1], new NaryState(xs, partials), NarySecondOrder<TKernel>.Instance));
        }

        return y;
    }

    /// <summary>What the backward rule of a fused op reads: its inputs and the saved partials (null for a constant input).</summary>
    private sealed class NaryState(Tensor[] inputs, double[]?[] partials)
    {
        public Tensor[] Inputs { get; } = inputs;

        public double[]?[] Partials { get; } = partials;
    }

    // One row when the layout allows (every input the output's size or a single value), else the broadcast walk.
    private static void ForEachRow<TVisitor>(int[] shape, int size, Tensor[] inputs, int[][] shapes, ref TVisitor visitor)
        where TVisitor : Broadcast.IRowsVisitor, allows ref struct
    {
        Span<int> steps = stackalloc int[inputs.Length];
        foreach (var x in inputs)
        {
            if (x.Size != size && x.Size != 1)
            {
                Broadcast.ForEachRow(shape, shapes, ref visitor);
                return;
            }
        }

        for (int k = 0; k < inputs.Length; k++)
        {
            steps[k] = inputs[k].Size == size ? 1 : 0;
        }

        Span<int> offsets = stackalloc int[inputs.Length];
        offsets.Clear();
        visitor.Row(0, offsets, steps, size);
    }

    private readonly ref struct NaryForward<TKernel>(Tensor[] inputs, double[] y, double[]?[] partials) : Broadcast.IRowsVisitor
        where TKernel : struct, INaryKernel
    {
        private readonly Tensor[] _inputs = inputs;
        private readonly double[] _y = y;
        private readonly double[]?[] _partials = partials;

        public void Row(int output, scoped ReadOnlySpan<int> offsets, scoped ReadOnlySpan<int> steps, int length)
        {
            if (length == 0)
            {
                return;
            }

            bool four = _inputs.Length == 4;
            ElementwiseLoops.NaryValueAndPartials<TKernel>(
                Input(0, offsets, steps, length), steps[0],
                Input(1, offsets, steps, length), steps[1],
                Input(2, offsets, steps, length), steps[2],
                four ? Input(3, offsets, steps, length) : s_unused, four ? steps[3] : 0,
                _y.AsSpan(output, length),
                Partial(0, output, length), Partial(1, output, length), Partial(2, output, length), four ? Partial(3, output, length) : default,
                ElementwiseLoops.PreferredWidth);
        }

        private ReadOnlySpan<double> Input(int k, ReadOnlySpan<int> offsets, ReadOnlySpan<int> steps, int length) =>
            _inputs[k].Data.AsSpan(offsets[k], steps[k] == 0 ? 1 : length);

        private Span<double> Partial(int k, int output, int length) => _partials[k] is { } p ? p.AsSpan(output, length) : default;
    }

    // x̄ₖ += ȳ·pₖ for every variable input, row by row; a broadcast input (step 0) receives each row's sum.
    private static class NaryBackward
    {
        public static readonly TensorBackward Rule = Run;

        private static void Run(Tape tape, in TensorRecord record)
        {
            var state = (NaryState)record.State!;
            var y = record.Output;
            var shapes = Array.ConvertAll(state.Inputs, x => x.ShapeUnsafe);
            var backward = new NaryAdjoint(state, tape.Adjoints, y.Node);
            ForEachRow(y.ShapeUnsafe, y.Size, state.Inputs, shapes, ref backward);
        }
    }

    private readonly ref struct NaryAdjoint(NaryState state, Span<double> adjoints, int outputNode) : Broadcast.IRowsVisitor
    {
        private readonly NaryState _state = state;
        private readonly Span<double> _adjoints = adjoints;
        private readonly int _outputNode = outputNode;

        public void Row(int output, scoped ReadOnlySpan<int> offsets, scoped ReadOnlySpan<int> steps, int length)
        {
            if (length == 0)
            {
                return;
            }

            var dy = _adjoints.Slice(_outputNode + output, length);
            for (int k = 0; k < _state.Inputs.Length; k++)
            {
                if (_state.Partials[k] is { } p)
                {
                    var dx = _adjoints.Slice(_state.Inputs[k].Node + offsets[k], steps[k] == 0 ? 1 : length);
                    ElementwiseLoops.AccumulateProducts(dy, p.AsSpan(output, length), dx, steps[k], ElementwiseLoops.PreferredWidth);
                }
            }
        }
    }

    // ẏ = Σₖ pₖ·ẋₖ from the saved partials; the rule x̄ₖ += ȳ·pₖ changes by ȳ·ṗₖ, with ṗₖ from the function's generated
    // second-order rule, as BinarySecondOrder does for two inputs. Element by element: Hessians are not the hot path.
    private sealed class NarySecondOrder<TKernel> : TensorSecondOrder
        where TKernel : struct, INaryKernel
    {
        public static readonly NarySecondOrder<TKernel> Instance = new();

        public override void Jvp(Tape tape, in TensorRecord record)
        {
            var state = (NaryState)record.State!;
            var y = record.Output;
            var strides = Strides(state.Inputs, y.ShapeUnsafe);
            var dy = tape.OutputTangent(y);
            for (int i = 0; i < dy.Length; i++)
            {
                double sum = 0.0;
                for (int k = 0; k < state.Inputs.Length; k++)
                {
                    if (state.Partials[k] is not { } p)
                    {
                        continue;
                    }

                    double dx = tape.TangentOf(state.Inputs[k])[TensorShape.BroadcastOffset(y.ShapeUnsafe, strides[k], i)];
                    sum += dx == 0.0 ? 0.0 : p[i] * dx;
                }

                dy[i] = sum;
            }
        }

        public override void Correction(Tape tape, in TensorRecord record)
        {
            var state = (NaryState)record.State!;
            var inputs = state.Inputs;
            var y = record.Output;
            var strides = Strides(inputs, y.ShapeUnsafe);
            var dy = tape.TangentOf(y);
            var g = tape.Adjoints.Slice(y.Node, y.Size);
            var target = tape.AdjointTangents;
            int n = inputs.Length;
            Span<double> values = stackalloc double[n], tangents = stackalloc double[n], moving = stackalloc double[n];
            Span<int> offsets = stackalloc int[n];
            for (int i = 0; i < g.Length; i++)
            {
                if (g[i] == 0.0)
                {
                    continue;
                }

                for (int k = 0; k < n; k++)
                {
                    offsets[k] = TensorShape.BroadcastOffset(y.ShapeUnsafe, strides[k], i);
                    values[k] = inputs[k].Data[offsets[k]];
                    tangents[k] = tape.TangentOf(inputs[k])[offsets[k]];
                }

                moving.Clear();
                TKernel.PartialTangents(values, tangents, y.Data[i], dy[i], moving);
                for (int k = 0; k < n; k++)
                {
                    if (state.Partials[k] is not null)
                    {
                        target[inputs[k].Node + offsets[k]] += g[i] * moving[k];
                    }
                }
            }
        }

        private static int[][] Strides(Tensor[] inputs, int[] shape) => Array.ConvertAll(inputs, x => TensorShape.BroadcastStrides(x.ShapeUnsafe, shape));
    }
}
