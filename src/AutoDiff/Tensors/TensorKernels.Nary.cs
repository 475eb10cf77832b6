using System;
using System.Runtime.CompilerServices;

namespace AutoDiff;

public static partial class TensorKernels
{
    // Stands in for the fourth input of a three-input kernel, which its bodies ignore.
    private static readonly double[] s_unused = [0.0];

    /// <summary>
    /// y = f(x₀, x₁, x₂[, x₃]) elementwise with NumPy broadcasting across all inputs, in one pass; records one tensor
    /// operation when any input is a variable, whose backward is one pass too: x̄ₖ += ȳ·∂f/∂xₖ for every variable input
    /// xₖ, all partials computed together from the same loaded values and summed over xₖ's broadcast dimensions.
    /// </summary>
    /// <remarks>
    /// The partials are recomputed in the backward pass rather than saved by the forward one. Both were measured
    /// (docs/benchmarks.md): equal within noise on the Gaussian log-density, and recomputing keeps no array per variable
    /// input alive until the scope closes and moves less memory where parameters are broadcast (the forward pass writes
    /// only y; the backward one reads the inputs and y instead of one saved array per input).
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
        var variable = new bool[xs.Length];
        bool record = false, sameShape = true;
        for (int k = 0; k < xs.Length; k++)
        {
            ArgumentNullException.ThrowIfNull(xs[k], nameof(inputs));
            xs[k].ReadValues();
            shapes[k] = xs[k].ShapeUnsafe;
            sameShape &= TensorShape.SameShape(shapes[0], shapes[k]);
            variable[k] = tape.Records(xs[k]);
            record |= variable[k];
        }

        int[] shape = sameShape ? shapes[0] : TensorShape.Broadcast(TKernel.Name, shapes);
        int size = TensorShape.SizeOf(shape, TKernel.Name);
        var y = tape.NewOutput(record, shape, size);

        NaryValues<TKernel>(xs, shapes, y);

        if (tape.IsCheckingFinite)
        {
            CheckFiniteNary<TKernel>(y.Data.AsSpan(0, size), shape, xs, variable);
        }

        if (record)
        {
            // The backward evaluates the partials only of the inputs gradients flow into: a constant costs no rule call.
            tape.Record(new TensorRecord(
                TKernel.Name, NaryForward<TKernel>.Rule, NaryBackward<TKernel>.Rule, tape.EdgeCount, y, xs[0], xs[1], new NaryState(xs, shapes, variable), NarySecondOrder<TKernel>.Instance, TakesUniformAdjoint: true));
        }

        return y;
    }

    // y = f(x₀, x₁, …) with broadcasting, y already of the broadcast shape.
    private static void NaryValues<TKernel>(Tensor[] xs, int[][] shapes, Tensor y)
        where TKernel : struct, INaryKernel
    {
        var rows = new NaryRows<TKernel>(xs, y.Data);
        ForEachRow(y.ShapeUnsafe, y.Size, xs, shapes, ref rows);
    }

    private static class NaryForward<TKernel>
        where TKernel : struct, INaryKernel
    {
        public static readonly TensorForward Rule = Run;

        private static void Run(in TensorRecord record)
        {
            var state = (NaryState)record.State!;
            NaryValues<TKernel>(state.Inputs, state.Shapes, record.Output);
        }
    }

    // Apart from the driver, so that its hot path allocates no closure.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CheckFiniteNary<TKernel>(ReadOnlySpan<double> result, int[] shape, Tensor[] xs, bool[] variable)
        where TKernel : struct, INaryKernel =>
        CheckFiniteBroadcast(TKernel.Name, result, shape, xs, (v, r) =>
            RecordedPartials(variable, k => TKernel.Derivative(k, v[0], v[1], v[2], v.Length == 4 ? v[3] : 0.0, r)));

    /// <summary>What the backward rule of a fused op reads besides its output: its inputs, their shapes, and which are variables.</summary>
    private sealed class NaryState(Tensor[] inputs, int[][] shapes, bool[] variable) : IRecordInputs
    {
        public Tensor[] Inputs { get; } = inputs;

        public int[][] Shapes { get; } = shapes;

        public bool[] Variable { get; } = variable;
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

    private readonly ref struct NaryRows<TKernel>(Tensor[] inputs, double[] y) : Broadcast.IRowsVisitor
        where TKernel : struct, INaryKernel
    {
        private readonly Tensor[] _inputs = inputs;
        private readonly double[] _y = y;

        public void Row(int output, scoped ReadOnlySpan<int> offsets, scoped ReadOnlySpan<int> steps, int length)
        {
            bool four = _inputs.Length == 4;
            ElementwiseLoops.NaryValue<TKernel>(
                Values(_inputs, 0, offsets, steps, length), steps[0],
                Values(_inputs, 1, offsets, steps, length), steps[1],
                Values(_inputs, 2, offsets, steps, length), steps[2],
                four ? Values(_inputs, 3, offsets, steps, length) : s_unused, four ? steps[3] : 0,
                _y.AsSpan(output, length), ElementwiseLoops.PreferredWidth);
        }
    }

    // Input k's values along one row: the row, or its single value when broadcast (step 0).
    private static ReadOnlySpan<double> Values(Tensor[] inputs, int k, ReadOnlySpan<int> offsets, ReadOnlySpan<int> steps, int length) =>
        inputs[k].Data.AsSpan(offsets[k], steps[k] == 0 ? 1 : length);

    // x̄ₖ += ȳ·∂f/∂xₖ for every variable input, row by row; a broadcast input (step 0) receives each row's sum.
    private static class NaryBackward<TKernel>
        where TKernel : struct, INaryKernel
    {
        public static readonly TensorBackward Rule = Run;

        private static void Run(Tape tape, in TensorRecord record)
        {
            var state = (NaryState)record.State!;
            var y = record.Output;
            foreach (var input in state.Inputs)
            {
                tape.PrepareToAccumulate(input);
            }

            var dy = tape.OutputAdjoints(y);
            var backward = new NaryAdjoint<TKernel>(state, y.Data, dy, dy.Length < y.Size, tape.Adjoints);
            ForEachRow(y.ShapeUnsafe, y.Size, state.Inputs, state.Shapes, ref backward);
        }
    }

    // dy is the output's adjoints, or with uniform its one adjoint for every element.
    private readonly ref struct NaryAdjoint<TKernel>(NaryState state, double[] y, ReadOnlySpan<double> dy, bool uniform, Span<double> adjoints) : Broadcast.IRowsVisitor
        where TKernel : struct, INaryKernel
    {
        private readonly double[] _y = y;
        private readonly NaryState _state = state;
        private readonly ReadOnlySpan<double> _dy = dy;
        private readonly bool _uniform = uniform;
        private readonly Span<double> _adjoints = adjoints;

        public void Row(int output, scoped ReadOnlySpan<int> offsets, scoped ReadOnlySpan<int> steps, int length)
        {
            if (length == 0)
            {
                return;
            }

            var inputs = _state.Inputs;
            bool four = inputs.Length == 4;
            ElementwiseLoops.NaryBackward<TKernel>(
                Values(inputs, 0, offsets, steps, length), steps[0], Values(inputs, 1, offsets, steps, length), steps[1],
                Values(inputs, 2, offsets, steps, length), steps[2], four ? Values(inputs, 3, offsets, steps, length) : s_unused, four ? steps[3] : 0,
                _y.AsSpan(output, length), _uniform ? _dy : _dy.Slice(output, length),
                Adjoints(0, offsets, steps, length), Adjoints(1, offsets, steps, length), Adjoints(2, offsets, steps, length),
                four ? Adjoints(3, offsets, steps, length) : default, ElementwiseLoops.PreferredWidth);
        }

        private Span<double> Adjoints(int k, ReadOnlySpan<int> offsets, ReadOnlySpan<int> steps, int length) =>
            _state.Variable[k] ? _adjoints.Slice(_state.Inputs[k].Node + offsets[k], steps[k] == 0 ? 1 : length) : default;
    }

    // ẏ = Σₖ pₖ·ẋₖ with pₖ = ∂f/∂xₖ; the rule x̄ₖ += ȳ·pₖ changes by ȳ·ṗₖ, with ṗₖ from the function's generated
    // second-order rule, as BinarySecondOrder does for two inputs. Element by element and lane by lane: Hessians are not
    // the hot path.
    private sealed class NarySecondOrder<TKernel> : LaneByLaneSecondOrder
        where TKernel : struct, INaryKernel
    {
        public static readonly NarySecondOrder<TKernel> Instance = new();

        protected override void Jvp(Tape tape, in TensorRecord record, int lane)
        {
            var state = (NaryState)record.State!;
            var y = record.Output;
            var strides = Strides(state.Inputs, y.ShapeUnsafe);
            var dy = tape.OutputTangent(y, lane);
            for (int i = 0; i < dy.Length; i++)
            {
                double sum = 0.0;
                for (int k = 0; k < state.Inputs.Length; k++)
                {
                    if (!state.Variable[k])
                    {
                        continue;
                    }

                    double dx = tape.TangentOf(state.Inputs[k], lane)[TensorShape.BroadcastOffset(y.ShapeUnsafe, strides[k], i)];
                    sum += dx == 0.0 ? 0.0 : Partial(state.Inputs, strides, y, k, i) * dx;
                }

                dy[i] = sum;
            }
        }

        protected override void Correction(Tape tape, in TensorRecord record, int lane)
        {
            var state = (NaryState)record.State!;
            var inputs = state.Inputs;
            var y = record.Output;
            var strides = Strides(inputs, y.ShapeUnsafe);
            var dy = tape.TangentOf(y, lane);
            var g = tape.Adjoints.Slice(y.Node, y.Size);
            var target = tape.AdjointTangents(lane);
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
                    tangents[k] = tape.TangentOf(inputs[k], lane)[offsets[k]];
                }

                moving.Clear();
                TKernel.PartialTangents(values, tangents, y.Data[i], dy[i], moving);
                for (int k = 0; k < n; k++)
                {
                    if (state.Variable[k])
                    {
                        target[inputs[k].Node + offsets[k]] += g[i] * moving[k];
                    }
                }
            }
        }

        private static double Partial(Tensor[] inputs, int[][] strides, Tensor y, int k, int i)
        {
            double Input(int q) => q < inputs.Length ? inputs[q].Data[TensorShape.BroadcastOffset(y.ShapeUnsafe, strides[q], i)] : 0.0;
            return TKernel.Derivative(k, Input(0), Input(1), Input(2), Input(3), y.Data[i]);
        }

        private static int[][] Strides(Tensor[] inputs, int[] shape) => Array.ConvertAll(inputs, x => TensorShape.BroadcastStrides(x.ShapeUnsafe, shape));
    }
}
