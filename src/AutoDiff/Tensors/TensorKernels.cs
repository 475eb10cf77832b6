using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;

namespace AutoDiff;

/// <summary>
/// The drivers that run a generated elementwise kernel over tensors and record it: called by generated code.
/// </summary>
/// <remarks>
/// One driver per arity serves every elementwise op: the kernel struct is a type argument, so the JIT compiles a
/// specialised loop per op with the kernel's bodies inlined. The loops (<see cref="ElementwiseLoops"/>) run the kernel's
/// vector bodies (Vector512, else Vector256) where the generator could translate the declaration, and its scalar bodies
/// for the tail and for everything else. The backward rule evaluates the kernel's derivative on the saved input and output.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class TensorKernels
{
    /// <summary>y = f(x) elementwise; records one tensor operation when x is a variable.</summary>
    public static Tensor Unary<TKernel>(Tensor x)
        where TKernel : struct, IUnaryKernel
    {
        ArgumentNullException.ThrowIfNull(x);
        var tape = Tape.Current;
        var xs = x.ReadValues();
        bool record = tape.Records(x);
        if (x.IsConstant && tape.KeepsConstantResults(x.Size))
        {
            return ConstantUnary<TKernel>(tape, x, xs);
        }

        Tensor y;
        double[]? partials;
        if (TKernel.HasReflection && TKernel.SavesPartial && record && x.Size > 0)
        {
            y = UnaryRecordedWithReflection<TKernel>(tape, x, xs, out partials);
        }
        else if (NegationKernel<TKernel>.Is && record)
        {
            y = RecordedNegation<TKernel>(tape, x, xs);
            partials = null;
        }
        else
        {
            y = tape.NewOutput(record, x.ShapeUnsafe, x.Size);
            partials = record && TKernel.SavesPartial ? tape.RentBuffer(x.Size) : null;
            UnaryValues<TKernel>(xs, y.Data.AsSpan(0, y.Size), partials);
        }

        var ys = y.Data.AsSpan(0, y.Size);

        if (tape.IsCheckingFinite)
        {
            CheckFiniteUnary<TKernel>(ys, x.Data, record);
        }

        if (record)
        {
            tape.Record(new TensorRecord(
                TKernel.Name, UnaryForward<TKernel>.Rule, UnaryBackward<TKernel>.Rule, tape.EdgeCount, y, x, null, partials, UnarySecondOrder<TKernel>.Instance, TakesUniformAdjoint: true));
        }

        return y;
    }

    // f(x) of a constant x: kept by the tape (Tape.ConstantResults.cs), so a function computing it on every call computes it once.
    private static Tensor ConstantUnary<TKernel>(Tape tape, Tensor x, ReadOnlySpan<double> xs)
        where TKernel : struct, IUnaryKernel
    {
        if (tape.KeptConstantResult(typeof(TKernel), x, null) is { } kept)
        {
            return kept;
        }

        var y = tape.NewOutput(record: false, x.ShapeUnsafe, x.Size);
        UnaryValues<TKernel>(xs, y.Data.AsSpan(0, y.Size), null);
        tape.KeepConstantResult(typeof(TKernel), x, null, y);
        return y;
    }

    // The eager side of the pairing of f(z) and f(−z) (Tape.Reflections.cs): f(x) taken from the loop that computed it
    // with f(−x) earlier when x completes such a pair, else computed now, with f(−x) beside it when the kernel's score
    // says that its f(z) are followed by f(−z).
    private static Tensor UnaryRecordedWithReflection<TKernel>(Tape tape, Tensor x, ReadOnlySpan<double> xs, out double[] partials)
        where TKernel : struct, IUnaryKernel
    {
        int kernel = Tape.ReflectionKernel<TKernel>.Id;
        bool completesPair = tape.TakeReflection(kernel, x, out var values, out var kept);
        if (values is not null)
        {
            partials = kept!;
            return tape.NewTensor(x.ShapeUnsafe, x.Size, values);
        }

        var y = tape.NewTensor(x.ShapeUnsafe, x.Size);
        partials = tape.RentBuffer(x.Size);
        if (completesPair)
        {
            // The second of a pair seen for the first time: the next f(z) computes both.
            UnaryValues<TKernel>(xs, y.Data.AsSpan(0, y.Size), partials);
        }
        else if (tape.SpeculatesReflection(kernel))
        {
            var reflected = tape.RentBuffer(x.Size);
            var reflectedPartials = tape.RentBuffer(x.Size);
            var negation = tape.RentBuffer(x.Size);
            ElementwiseLoops.UnaryReflectedValueAndPartial<TKernel>(
                xs, y.Data.AsSpan(0, y.Size), partials, reflected, reflectedPartials, ElementwiseLoops.PreferredWidth, negation);
            tape.RememberReflection(kernel, x, reflected, reflectedPartials, negation);
        }
        else
        {
            UnaryValues<TKernel>(xs, y.Data.AsSpan(0, y.Size), partials);
            tape.RememberReflection(kernel, x, null, null, null);
        }

        return y;
    }

    // y = −x recorded: taken from the loop that computed f(x) and f(−x) ahead when it wrote −x too, else computed now; and
    // noted, so that a later f(y) is known as f(−x).
    private static Tensor RecordedNegation<TKernel>(Tape tape, Tensor x, ReadOnlySpan<double> xs)
        where TKernel : struct, IUnaryKernel
    {
        var computedAhead = tape.TakeNegation(x);
        var y = tape.NewTensor(x.ShapeUnsafe, x.Size, computedAhead);
        if (computedAhead is null)
        {
            UnaryValues<TKernel>(xs, y.Data.AsSpan(0, y.Size), null);
        }

        tape.NoteNegation(x, y);
        return y;
    }

    // Whether a kernel is the library's negation, y = −x, decided once per kernel (a constant to the JIT).
    private static class NegationKernel<TKernel>
        where TKernel : struct, IUnaryKernel
    {
        public static readonly bool Is = typeof(TKernel).DeclaringType == typeof(Ops) && TKernel.Name == nameof(Ops.Negate);
    }

    // Whether a kernel is the library's multiplication, y = a·b, whose partials are the other factor.
    private static class MultiplicationKernel<TKernel>
        where TKernel : struct, IBinaryKernel
    {
        public static readonly bool Is = typeof(TKernel).DeclaringType == typeof(Ops) && TKernel.Name == nameof(Ops.Multiply);
    }

    // y = f(x), and the partials f′(x) beside it when the kernel keeps them (IUnaryKernel.SavesPartial).
    private static void UnaryValues<TKernel>(ReadOnlySpan<double> x, Span<double> y, double[]? partials)
        where TKernel : struct, IUnaryKernel
    {
        if (partials is not null)
        {
            ElementwiseLoops.UnaryValueAndPartial<TKernel>(x, y, partials, ElementwiseLoops.PreferredWidth);
        }
        else
        {
            ElementwiseLoops.UnaryValue<TKernel>(x, y, ElementwiseLoops.PreferredWidth);
        }
    }

    /// <summary>y = f(a, b) elementwise with NumPy broadcasting; records one tensor operation when a or b is a variable.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor Binary<TKernel>(Tensor a, Tensor b)
        where TKernel : struct, IBinaryKernel
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var tape = Tape.Current;
        var av = a.ReadValues();
        var bv = b.ReadValues();
        int[] shape = TensorShape.SameShape(a.ShapeUnsafe, b.ShapeUnsafe)
            ? a.ShapeUnsafe
            : TensorShape.Broadcast(TKernel.Name, a.ShapeUnsafe, b.ShapeUnsafe);
        int size = TensorShape.SizeOf(shape, TKernel.Name);
        bool recordA = tape.Records(a), recordB = tape.Records(b);
        bool constant = a.IsConstant && b.IsConstant && tape.KeepsConstantResults(size);
        if (constant && tape.KeptConstantResult(typeof(TKernel), a, b) is { } kept)
        {
            return kept;
        }

        var y = tape.NewOutput(recordA | recordB, shape, size);
        BinaryValues<TKernel>(a, b, y);
        if (constant)
        {
            tape.KeepConstantResult(typeof(TKernel), a, b, y);
        }

        if (tape.IsCheckingFinite)
        {
            CheckFiniteBinary<TKernel>(y.Data.AsSpan(0, size), shape, a, b, recordA, recordB);
        }

        if (recordA | recordB)
        {
            tape.Record(new TensorRecord(
                TKernel.Name, BinaryForward<TKernel>.Rule, BinaryBackward<TKernel>.Rule, tape.EdgeCount, y, a, b, null, BinarySecondOrder<TKernel>.Instance, TakesUniformAdjoint: true));
        }

        return y;
    }

    // y = f(a, b) with broadcasting, y already of the broadcast shape.
    private static void BinaryValues<TKernel>(Tensor a, Tensor b, Tensor y)
        where TKernel : struct, IBinaryKernel
    {
        var rows = new BinaryRows<TKernel>(a.Data, b.Data, y.Data);
        ForEachRow(y.ShapeUnsafe, y.Size, a, b, ref rows);
    }

    // An instance, so that a pass over a compiled trace can ask a record's rule what it computes (UnaryForwardRule).
    private sealed class UnaryForward<TKernel> : UnaryForwardRule
        where TKernel : struct, IUnaryKernel
    {
        public static readonly TensorForward Rule = new UnaryForward<TKernel>().Run;

        public override bool IsNegation => NegationKernel<TKernel>.Is;

        public override bool PairsWithReflection => TKernel.HasReflection && TKernel.SavesPartial;

        public override TensorBackward Backward => UnaryBackward<TKernel>.Rule;

        public override TensorForward Reflected(Tensor x, Tensor y, double[] partial, Tensor reflectedY, double[] reflectedPartial) =>
            (in TensorRecord _) => ElementwiseLoops.UnaryReflectedValueAndPartial<TKernel>(
                x.Data.AsSpan(0, x.Size), y.Data.AsSpan(0, y.Size), partial, reflectedY.Data.AsSpan(0, reflectedY.Size), reflectedPartial, ElementwiseLoops.PreferredWidth);

        private void Run(in TensorRecord record) =>
            UnaryValues<TKernel>(record.A!.Data.AsSpan(0, record.A.Size), record.Output.Data.AsSpan(0, record.Output.Size), record.State as double[]);
    }

    private static class BinaryForward<TKernel>
        where TKernel : struct, IBinaryKernel
    {
        public static readonly TensorForward Rule = Run;

        private static void Run(in TensorRecord record) => BinaryValues<TKernel>(record.A!, record.B!, record.Output);
    }

    // Apart from the drivers, so that their hot path allocates no closure for the lambdas below. As the scalar tape's
    // check (Tape.EndNode), every element's result and its partials for the inputs being recorded must be finite.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CheckFiniteUnary<TKernel>(ReadOnlySpan<double> result, double[] xValues, bool record)
        where TKernel : struct, IUnaryKernel
    {
        bool[] variable = [record];
        CheckFinite(TKernel.Name, result, i => [xValues[i]], (v, r) => RecordedPartials(variable, _ => TKernel.Derivative(v[0], r)));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CheckFiniteBinary<TKernel>(ReadOnlySpan<double> result, int[] shape, Tensor a, Tensor b, bool recordA, bool recordB)
        where TKernel : struct, IBinaryKernel
    {
        bool[] variable = [recordA, recordB];
        CheckFiniteBroadcast(TKernel.Name, result, shape, [a, b], (v, r) =>
            RecordedPartials(variable, k => k == 0 ? TKernel.DerivativeA(v[0], v[1], r) : TKernel.DerivativeB(v[0], v[1], r)));
    }

    // partial(k) for each input k being recorded (variable[k]), in input order: what the scalar tape's edges would hold.
    private static double[] RecordedPartials(bool[] variable, Func<int, double> partial)
    {
        var partials = new double[Array.FindAll(variable, v => v).Length];
        for (int k = 0, next = 0; k < variable.Length; k++)
        {
            if (variable[k])
            {
                partials[next++] = partial(k);
            }
        }

        return partials;
    }

    // partialsOf(inputs, result): the partials of the inputs being recorded, in input order (none under NoGrad).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CheckFiniteBroadcast(string op, ReadOnlySpan<double> result, int[] shape, Tensor[] inputs, Func<double[], double, double[]> partialsOf)
    {
        // The inputs that produced output element i, found through the broadcast strides.
        var strides = Array.ConvertAll(inputs, x => TensorShape.BroadcastStrides(x.ShapeUnsafe, shape));
        CheckFinite(op, result, i =>
        {
            var values = new double[inputs.Length];
            for (int k = 0; k < inputs.Length; k++)
            {
                values[k] = inputs[k].Data[TensorShape.BroadcastOffset(shape, strides[k], i)];
            }

            return values;
        }, partialsOf);
    }

    private static void CheckFinite(string op, ReadOnlySpan<double> result, Func<int, double[]> inputsOf, Func<double[], double, double[]> partialsOf)
    {
        for (int i = 0; i < result.Length; i++)
        {
            var inputs = inputsOf(i);
            var partials = partialsOf(inputs, result[i]);
            if (!double.IsFinite(result[i]) || Array.Exists(partials, p => !double.IsFinite(p)))
            {
                throw new NonFiniteValueException(op, result[i], inputs, partials);
            }
        }
    }

    private static class UnaryBackward<TKernel>
        where TKernel : struct, IUnaryKernel
    {
        public static readonly TensorBackward Rule = Run;

        private static void Run(Tape tape, in TensorRecord record)
        {
            var x = record.A!;
            var y = record.Output;
            var dy = tape.OutputAdjoints(y);
            var dx = tape.AdjointsToWrite(x, out bool assign);
            if (record.State is double[] partials)
            {
                // The partials the forward pass kept (IUnaryKernel.SavesPartial).
                ElementwiseLoops.UnaryBackward<SavedPartialKernel<AsKept>>(partials.AsSpan(0, x.Size), y.Data.AsSpan(0, y.Size), dy, dx, ElementwiseLoops.PreferredWidth, assign);
                return;
            }

            ElementwiseLoops.UnaryBackward<TKernel>(x.Data.AsSpan(0, x.Size), y.Data.AsSpan(0, y.Size), dy, dx, ElementwiseLoops.PreferredWidth, assign);
        }
    }

    /// <summary>
    /// The backward rules of a negation z′ = −z and of a unary operation y = f(z) that kept its partials p, run as one pass
    /// (<see cref="Tape"/>'s negation folds): z̄ = (z̄ + z̄′·(−1)) + ȳ·p, each term skipped where its adjoint is 0, exactly as
    /// the negation's rule and then f's would leave z̄. <paramref name="negation"/>'s output adjoints must be final.
    /// </summary>
    internal static void KeptPartialBackwardAfterNegation(Tape tape, in TensorRecord record, in TensorRecord negation)
    {
        var x = record.A!;
        var dy = tape.OutputAdjoints(record.Output);
        var dNegated = tape.OutputAdjoints(negation.Output);
        var dx = tape.AdjointsToWrite(x, out bool assign);
        ElementwiseLoops.KeptPartialBackwardAfterNegation(
            ((double[])record.State!).AsSpan(0, x.Size), dy, dNegated, dx, ElementwiseLoops.PreferredWidth, assign);
    }

    private static class BinaryBackward<TKernel>
        where TKernel : struct, IBinaryKernel
    {
        public static readonly TensorBackward Rule = Run;

        private static void Run(Tape tape, in TensorRecord record)
        {
            var a = record.A!;
            var b = record.B!;
            var y = record.Output;
            var dy = tape.OutputAdjoints(y);
            bool uniform = dy.Length < y.Size;
            bool rowA = ValuePerElementInOneRow(a, b, y), rowB = ValuePerElementInOneRow(b, a, y);

            // With one adjoint g for the whole output, an input with a value per element whose partial p is the same in
            // every element (it reads only a broadcast partner, or nothing: y = x − c, x / c, x + z) receives one adjoint
            // too, 0 + g·p, and nothing is written for it.
            bool passA = false, passB = false;
            if (uniform)
            {
                var broadcast = ElementwiseLoops.Broadcast(a.Size == 1 ? 0 : 1, b.Size == 1 ? 0 : 1, 1, 1);
                passA = rowA && ElementwiseLoops.IsRowInvariant(TKernel.DerivativeAReads, broadcast)
                    && tape.TryAssignUniform(a, UniformContribution(dy[0], TKernel.DerivativeA(a.Data[0], b.Data[0], y.Data[0])));
                passB = rowB && ElementwiseLoops.IsRowInvariant(TKernel.DerivativeBReads, broadcast)
                    && tape.TryAssignUniform(b, UniformContribution(dy[0], TKernel.DerivativeB(a.Data[0], b.Data[0], y.Data[0])));

                // y = c·x with a constant c of y's shape under one adjoint of 1 (Sum(c * x)): x's adjoints are exactly c,
                // borrowed rather than copied. 1·c is c bit for bit, NaN and −0 included.
                if (MultiplicationKernel<TKernel>.Is && dy[0] == 1.0)
                {
                    passA |= b.IsConstant && b.Size == y.Size && rowA && tape.TryBorrow(a, b.Data);
                    passB |= a.IsConstant && a.Size == y.Size && rowB && tape.TryBorrow(b, a.Data);
                }
            }

            bool assignA = !passA && AssignsOrPrepares(tape, a, rowA), assignB = !passB && AssignsOrPrepares(tape, b, rowB);
            if ((passA || a.IsConstant) && (passB || b.IsConstant))
            {
                return;
            }

            var backward = new BinaryAdjoint<TKernel>(
                a.Data, b.Data, y.Data, dy, uniform, tape.Adjoints,
                a.IsConstant || passA ? -1 : a.Node, b.IsConstant || passB ? -1 : b.Node, assignA, assignB);
            ForEachRow(y.ShapeUnsafe, y.Size, a, b, ref backward);
        }
    }

    // Whether x is a variable with a value per element of y in the one row that ForEachRow walks (the partner has y's
    // size or is a single value): only then can its adjoints be assigned, or passed one uniform value.
    private static bool ValuePerElementInOneRow(Tensor x, Tensor other, Tensor y) =>
        !x.IsConstant && x.Size == y.Size && (other.Size == y.Size || other.Size == 1);

    // 0 + g·p, as the loops would add into cleared memory; a zero adjoint contributes nothing whatever the partial (NaN
    // included). The partial reads only broadcast inputs, so the scalar rule at the first elements is every element's.
    private static double UniformContribution(double g, double partial) => g == 0.0 ? 0.0 : 0.0 + g * partial;

    // Whether the backward may store x's contribution instead of adding it: x's adjoints hold none yet in this sweep, and
    // x has a value per element of the one row. Otherwise they are made ready to add to.
    private static bool AssignsOrPrepares(Tape tape, Tensor x, bool valuePerElementInOneRow)
    {
        if (valuePerElementInOneRow)
        {
            tape.AdjointsToWrite(x, out bool assign);
            return assign;
        }

        tape.PrepareToAccumulate(x);
        return false;
    }

    // ẏ = f′(x)·ẋ, and the rule ā·f′(x) changes by ā·ṗ with ṗ = c·ẋ, where c = dp/dx (through the result too) comes
    // from the kernel's second-order rule once per element and serves every lane.
    private sealed class UnarySecondOrder<TKernel> : TensorSecondOrder
        where TKernel : struct, IUnaryKernel
    {
        public static readonly UnarySecondOrder<TKernel> Instance = new();

        public override void Jvp(Tape tape, in TensorRecord record)
        {
            var x = record.A!;
            var y = record.Output;
            using var slopes = Slopes(in record);

            for (int lane = 0; lane < tape.TangentLanes; lane++)
            {
                AddTangentProducts(tape.OutputTangent(y, lane), slopes.Span(y.Size), tape.TangentOf(x, lane), assign: true);
            }
        }

        // The rule x̄ += ȳ·f′ on each lane's ȳ, and its change ȳ·f″·ẋ, from f′ (vector) and f″ computed once for all lanes.
        public override void SweepLanes(Tape tape, in TensorRecord record)
        {
            var x = record.A!;
            var y = record.Output;
            int n = y.Size;
            var g = tape.Adjoints.Slice(y.Node, n);
            using var slopes = Slopes(in record);
            using var curvature = new Scratch(n);
            if (TKernel.HasCurvature)
            {
                for (int i = 0; i < n; i++)
                {
                    curvature[i] = g[i] == 0.0 ? 0.0 : g[i] * TKernel.Curvature(x.Data[i], y.Data[i], slopes[i]);
                }
            }

            for (int lane = 0; lane < tape.TangentLanes; lane++)
            {
                var tangents = tape.AdjointTangents(lane);
                var target = tangents.Slice(x.Node, n);
                AddTangentProducts(target, slopes.Span(n), tangents.Slice(y.Node, n));
                if (TKernel.HasCurvature)
                {
                    AddTangentProducts(target, curvature.Span(n), tape.TangentOf(x, lane));
                }
            }
        }

        // f′ at every element: the partials the forward pass kept (IUnaryKernel.SavesPartial), else through the kernel's
        // vector derivative, its backward loop with an output adjoint of 1 (the same bits).
        private static Scratch Slopes(in TensorRecord record)
        {
            var (x, y) = (record.A!, record.Output);
            var slopes = new Scratch(y.Size);
            if (record.State is double[] kept)
            {
                kept.AsSpan(0, y.Size).CopyTo(slopes.Span(y.Size));
                return slopes;
            }

            using var ones = new Scratch(y.Size);
            ones.Span(y.Size).Fill(1.0);
            slopes.Span(y.Size).Clear();
            ElementwiseLoops.UnaryBackward<TKernel>(x.Data.AsSpan(0, x.Size), y.Data.AsSpan(0, y.Size), ones.Span(y.Size), slopes.Span(y.Size), ElementwiseLoops.PreferredWidth);
            return slopes;
        }
    }

    // ẏ = f_a·ȧ + f_b·ḃ through the broadcast offsets; the rule's change adds ā·ṗ_a and ā·ṗ_b where each input is
    // variable, ṗ = C·(ȧ, ḃ) with the 2×2 C from the kernel's second-order rule once per element.
    private sealed class BinarySecondOrder<TKernel> : TensorSecondOrder
        where TKernel : struct, IBinaryKernel
    {
        public static readonly BinarySecondOrder<TKernel> Instance = new();

        public override void Jvp(Tape tape, in TensorRecord record)
        {
            var (a, b, y) = (record.A!, record.B!, record.Output);
            using var offsets = new Offsets(a, b, y);
            using var slopesA = new Scratch(y.Size);
            using var slopesB = new Scratch(y.Size);
            for (int k = 0; k < y.Size; k++)
            {
                double av = a.Data[offsets.A[k]], bv = b.Data[offsets.B[k]], r = y.Data[k];
                slopesA[k] = a.IsConstant ? 0.0 : TKernel.DerivativeA(av, bv, r);
                slopesB[k] = b.IsConstant ? 0.0 : TKernel.DerivativeB(av, bv, r);
            }

            // ẏ += f_x·ẋ per variable input: a whole vector pass where x has the output's layout, else through the offsets.
            for (int lane = 0; lane < tape.TangentLanes; lane++)
            {
                // The output's tangent is written here, not cleared first: the first variable input assigns, the second adds.
                var dy = tape.OutputTangent(y, lane);
                bool assign = true;
                foreach (var (x, slopes, at) in (ReadOnlySpan<(Tensor, Scratch, int[])>)[(a, slopesA, offsets.A), (b, slopesB, offsets.B)])
                {
                    if (x.IsConstant)
                    {
                        continue;
                    }

                    var dx = tape.TangentOf(x, lane);
                    if (x.Size == y.Size)
                    {
                        AddTangentProducts(dy, slopes.Span(y.Size), dx, assign);
                    }
                    else
                    {
                        for (int k = 0; k < dy.Length; k++)
                        {
                            double t = dx[at[k]], product = t == 0.0 ? 0.0 : slopes[k] * t;
                            dy[k] = assign ? product : dy[k] + product;
                        }
                    }

                    assign = false;
                }
            }
        }

        // Per lane: the rule ā_x += ȳ·f_x on that lane's ȳ, then its change ā·ṗ, with ṗ = C·(ȧ, ḃ) and the 2×2 C from
        // the kernel's second-order rule once per element. Skipped where identically 0: a linear kernel, or a bilinear one
        // (a·b) with one factor constant.
        public override void SweepLanes(Tape tape, in TensorRecord record)
        {
            var (a, b, y) = (record.A!, record.B!, record.Output);
            int n = y.Size;
            bool flat = !TKernel.HasCurvature || (b.IsConstant && !TKernel.CurvesA) || (a.IsConstant && !TKernel.CurvesB);
            var g = tape.Adjoints.Slice(y.Node, n);
            using var offsets = new Offsets(a, b, y);
            using var slopesA = new Scratch(n);
            using var slopesB = new Scratch(n);

            // Per element, g times the change of (pa, pb) per unit ȧ (first two) and per unit ḃ (last two).
            using var curvature = new Scratch(4 * n);
            Span<double> moving = stackalloc double[2];
            for (int k = 0; k < n; k++)
            {
                double av = a.Data[offsets.A[k]], bv = b.Data[offsets.B[k]], r = y.Data[k];
                slopesA[k] = a.IsConstant ? 0.0 : TKernel.DerivativeA(av, bv, r);
                slopesB[k] = b.IsConstant ? 0.0 : TKernel.DerivativeB(av, bv, r);
                if (flat || g[k] == 0.0)
                {
                    continue;
                }

                if (!a.IsConstant)
                {
                    TKernel.PartialTangents([av, bv], [1.0, 0.0], r, slopesA[k], moving);
                    curvature[4 * k] = g[k] * moving[0];
                    curvature[4 * k + 1] = g[k] * moving[1];
                }

                if (!b.IsConstant)
                {
                    TKernel.PartialTangents([av, bv], [0.0, 1.0], r, slopesB[k], moving);
                    curvature[4 * k + 2] = g[k] * moving[0];
                    curvature[4 * k + 3] = g[k] * moving[1];
                }
            }

            for (int lane = 0; lane < tape.TangentLanes; lane++)
            {
                var tangents = tape.AdjointTangents(lane);
                var gy = tangents.Slice(y.Node, n);
                foreach (var (x, slopes, at) in (ReadOnlySpan<(Tensor, Scratch, int[])>)[(a, slopesA, offsets.A), (b, slopesB, offsets.B)])
                {
                    if (x.IsConstant)
                    {
                        continue;
                    }

                    var target = tangents.Slice(x.Node, x.Size);
                    if (x.Size == n)
                    {
                        AddTangentProducts(target, slopes.Span(n), gy);
                        continue;
                    }

                    // A broadcast input gathers the lane's adjoint over its broadcast dimensions.
                    for (int k = 0; k < n; k++)
                    {
                        target[at[k]] += gy[k] == 0.0 ? 0.0 : slopes[k] * gy[k];
                    }
                }

                if (flat)
                {
                    continue;
                }

                var da = tape.TangentOf(a, lane);
                var db = tape.TangentOf(b, lane);
                for (int k = 0; k < n; k++)
                {
                    if (g[k] == 0.0)
                    {
                        continue;
                    }

                    int i = offsets.A[k], j = offsets.B[k];
                    double ta = da[i], tb = db[j];
                    double movingA = (ta == 0.0 ? 0.0 : curvature[4 * k] * ta) + (tb == 0.0 ? 0.0 : curvature[4 * k + 2] * tb);
                    double movingB = (ta == 0.0 ? 0.0 : curvature[4 * k + 1] * ta) + (tb == 0.0 ? 0.0 : curvature[4 * k + 3] * tb);
                    if (!a.IsConstant)
                    {
                        tangents[a.Node + i] += movingA;
                    }

                    if (!b.IsConstant)
                    {
                        tangents[b.Node + j] += movingB;
                    }
                }
            }
        }

    }

    // target[i] += slope[i]·tangent[i], a Vector256 at a time; a zero tangent adds nothing even against an infinite or
    // NaN slope (the input does not move along that direction).
    // With assign, target[i] = the product instead (a JVP writing its output's tangent, which is not cleared beforehand).
    private static void AddTangentProducts(Span<double> target, ReadOnlySpan<double> slope, ReadOnlySpan<double> tangent, bool assign = false)
    {
        int n = target.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double t = ref MemoryMarshal.GetReference(target);
            ref double s = ref MemoryMarshal.GetReference(slope);
            ref double d = ref MemoryMarshal.GetReference(tangent);
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var dx = Vector256.LoadUnsafe(ref d, (nuint)i);
                var product = Vector256.ConditionalSelect(Vector256.Equals(dx, Vector256<double>.Zero), Vector256<double>.Zero, Vector256.LoadUnsafe(ref s, (nuint)i) * dx);
                (assign ? product : Vector256.LoadUnsafe(ref t, (nuint)i) + product).StoreUnsafe(ref t, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            double product = tangent[i] == 0.0 ? 0.0 : slope[i] * tangent[i];
            target[i] = assign ? product : target[i] + product;
        }
    }

    // Pooled per-element work of the second-order rules: not the hot path, but not an allocation per call either.
    private readonly struct Scratch(int size) : IDisposable
    {
        private readonly double[] _array = System.Buffers.ArrayPool<double>.Shared.Rent(Math.Max(size, 1));

        public ref double this[int index] => ref _array[index];

        public Span<double> Span(int length) => _array.AsSpan(0, length);

        public void Dispose() => System.Buffers.ArrayPool<double>.Shared.Return(_array);
    }

    // The input elements each output element reads, through the broadcast strides.
    private readonly struct Offsets : IDisposable
    {
        public Offsets(Tensor a, Tensor b, Tensor y)
        {
            int[] shape = y.ShapeUnsafe;
            int[] stridesA = a.Size == y.Size || a.Size == 1 ? [] : TensorShape.BroadcastStrides(a.ShapeUnsafe, shape);
            int[] stridesB = b.Size == y.Size || b.Size == 1 ? [] : TensorShape.BroadcastStrides(b.ShapeUnsafe, shape);
            A = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(y.Size, 1));
            B = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(y.Size, 1));
            Fill(A, a, y, shape, stridesA);
            Fill(B, b, y, shape, stridesB);
        }

        // The common layouts without a division per element: the same shape (k ↦ k) and a single value (k ↦ 0).
        private static void Fill(int[] offsets, Tensor x, Tensor y, int[] shape, int[] strides)
        {
            if (x.Size == y.Size)
            {
                for (int k = 0; k < y.Size; k++)
                {
                    offsets[k] = k;
                }
            }
            else if (x.Size == 1)
            {
                Array.Clear(offsets, 0, y.Size);
            }
            else
            {
                for (int k = 0; k < y.Size; k++)
                {
                    offsets[k] = TensorShape.BroadcastOffset(shape, strides, k);
                }
            }
        }

        public int[] A { get; }

        public int[] B { get; }

        public void Dispose()
        {
            System.Buffers.ArrayPool<int>.Shared.Return(A);
            System.Buffers.ArrayPool<int>.Shared.Return(B);
        }
    }

    // Whole tensors in one row where the layout allows (same shape, or one input a single value): the rows of the general
    // walk would be as short as the last dimension, too short to vectorize.
    private static void ForEachRow<TVisitor>(int[] shape, int size, Tensor a, Tensor b, ref TVisitor visitor)
        where TVisitor : Broadcast.IRowVisitor, allows ref struct
    {
        if (a.Size == size && b.Size == size)
        {
            visitor.Row(0, 0, 0, size, 1, 1);
        }
        else if (a.Size == 1 && b.Size == size)
        {
            visitor.Row(0, 0, 0, size, 0, 1);
        }
        else if (b.Size == 1 && a.Size == size)
        {
            visitor.Row(0, 0, 0, size, 1, 0);
        }
        else
        {
            Broadcast.ForEachRow(shape, a.ShapeUnsafe, b.ShapeUnsafe, ref visitor);
        }
    }

    private readonly ref struct BinaryRows<TKernel>(double[] a, double[] b, double[] y) : Broadcast.IRowVisitor
        where TKernel : struct, IBinaryKernel
    {
        private readonly double[] _a = a, _b = b, _y = y;

        public void Row(int output, int a, int b, int length, int stepA, int stepB) =>
            ElementwiseLoops.BinaryValue<TKernel>(
                _a.AsSpan(a, stepA == 0 ? 1 : length), stepA,
                _b.AsSpan(b, stepB == 0 ? 1 : length), stepB,
                _y.AsSpan(output, length), ElementwiseLoops.PreferredWidth);
    }

    // Broadcast dimensions have stride 0, so accumulating into the input's adjoint at the strided index sums the gradient
    // over them: the backward of broadcasting is this loop, with no separate reduction.
    // dy is the output's adjoints, or with uniform its one adjoint for every element.
    private readonly ref struct BinaryAdjoint<TKernel>(
        double[] a, double[] b, double[] y, ReadOnlySpan<double> dy, bool uniform, Span<double> adjoints, int nodeA, int nodeB, bool assignA, bool assignB)
        : Broadcast.IRowVisitor
        where TKernel : struct, IBinaryKernel
    {
        private readonly double[] _a = a, _b = b, _y = y;
        private readonly ReadOnlySpan<double> _dy = dy;
        private readonly Span<double> _adjoints = adjoints;
        private readonly int _nodeA = nodeA, _nodeB = nodeB;
        private readonly bool _uniform = uniform, _assignA = assignA, _assignB = assignB;

        public void Row(int output, int a, int b, int length, int stepA, int stepB)
        {
            if (length == 0)
            {
                return;
            }

            int lengthA = stepA == 0 ? 1 : length, lengthB = stepB == 0 ? 1 : length;
            ElementwiseLoops.BinaryBackward<TKernel>(
                _a.AsSpan(a, lengthA), stepA,
                _b.AsSpan(b, lengthB), stepB,
                _y.AsSpan(output, length),
                _uniform ? _dy : _dy.Slice(output, length),
                _nodeA >= 0 ? _adjoints.Slice(_nodeA + a, lengthA) : default,
                _nodeB >= 0 ? _adjoints.Slice(_nodeB + b, lengthB) : default,
                ElementwiseLoops.PreferredWidth, _assignA, _assignB);
        }
    }
}
