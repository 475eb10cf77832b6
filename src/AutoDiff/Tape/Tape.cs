using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoDiff;

/// <summary>
/// This thread's record of the operations on <see cref="Var"/>s, held in flat arrays (Stan Math's arena, Adept's
/// operation stack).
/// </summary>
/// <remarks>
/// <para>A node is an index and an adjoint. Each operation appends one node and one <see cref="Edge"/> per variable input:
/// (owner node, input node, local partial ∂owner/∂input), the partial computed in the forward pass. Edges are appended in
/// node order, so the reverse sweep is one loop over the edges, newest first:
/// <c>adjoint[input] += partial · adjoint[owner]</c>, skipping owners whose adjoint is 0. Nothing is allocated per node.
/// A tensor operation is one record whose backward rule runs when the sweep reaches the point where it was recorded.</para>
/// <para>There is one tape per thread (<see cref="Current"/>). A <see cref="Scope"/> marks where it is and, when
/// disposed, truncates the tape back to that mark, keeping the arrays' capacity, so a gradient computed again and again
/// allocates nothing in steady state.</para>
/// </remarks>
public sealed partial class Tape
{
    [ThreadStatic]
    private static Tape? t_current;

    private const int InitialNodes = 1024;

    private double[] _adjoints = new double[InitialNodes];
    private Edge[] _edges = new Edge[InitialNodes * 2];
    private int _count;
    private int _edgeCount;

    // The arrays' lengths, kept beside the counters so the fast paths read no array header.
    private int _nodeCapacity = InitialNodes;
    private int _edgeCapacity = InitialNodes * 2;

    // Grad is defined only for nodes that existed at the last Backward; it guards against reading stale adjoints.
    private int _sweptNodes;

    // The seed of the last sweep, so that a closing scope knows whether that sweep started inside it (a scope compares
    // _sweepNumber, which every sweep advances, with the one it opened at); and the nodes below which the gradients were
    // last cleared by such a nested sweep (for the message of a Grad read then; 0 when none were).
    private int _lastSeed;
    private int _nestedSweepClearedBelow;

    // The nodes below which the last sweep would have left gradients, while it has not finished (it threw); else 0.
    private int _unfinishedSweepBelow;

    // The thread's tape while this one sweeps (see Sweep); null until a rule run by a sweep first used Tape.Current.
    private Tape? _ruleTape;

    private Tape()
    {
        OwnerThreadId = Environment.CurrentManagedThreadId;
        _frames[0] = new ScopeFrame(TapeRegistry.NextRootStamp(), 0, 0, 0, 0, Mode.Recording, Truncates: false, Id: 0, SweepMark: -1);
        _stamp = _frames[0].Stamp;
        _hotStamp = _stamp;
        TapeRegistry.Register(this);
    }

    /// <summary>This thread's tape, created on first use.</summary>
    public static Tape Current => t_current ?? CreateForThisThread();

    /// <summary>The managed id of the thread that owns this tape.</summary>
    public int OwnerThreadId { get; }

    /// <summary>The number of nodes recorded and still alive.</summary>
    public int NodeCount => _count;

    /// <summary>The number of edges (input, partial) recorded and still alive.</summary>
    public int EdgeCount => _edgeCount;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Tape CreateForThisThread() => t_current = new Tape();

    internal Var Leaf(double value)
    {
        if (!IsRecording)
        {
            return new Var(value, 0, 0);
        }

        EnsureCapacity(0);
        if (TracksTangents)
        {
            ClearTangents(_count, 1);
        }

        return new Var(value, _count++, _stamp);
    }

    /// <summary>Records a one-input operation that has no second-order rule (Hessians cannot pass through it).</summary>
    /// <param name="op">The operation's name, reported by <see cref="CheckFinite"/>.</param>
    /// <param name="result">The value the operation computed.</param>
    /// <param name="x">The input.</param>
    /// <param name="dx">The local partial derivative ∂result/∂x (ignored when <paramref name="x"/> is a constant).</param>
    /// <returns>A <see cref="Var"/> holding <paramref name="result"/>, a constant when nothing is recorded.</returns>
    public static Var Unary(string op, double result, Var x, double dx) => Current.RecordUnary(op, result, x, dx, default(NoSecondOrderRule));

    /// <summary>Records a one-input operation with its second-order rule. Called by generated code.</summary>
    /// <typeparam name="TRule">The rule's type: a struct, so the recording path is specialised and the rule costs nothing until a Hessian needs it.</typeparam>
    /// <param name="op">The operation's name, reported by <see cref="CheckFinite"/>.</param>
    /// <param name="result">The value the operation computed.</param>
    /// <param name="x">The input.</param>
    /// <param name="dx">The local partial derivative ∂result/∂x (ignored when <paramref name="x"/> is a constant).</param>
    /// <param name="rule">How ∂result/∂x changes along a direction: used only while a Hessian is being computed.</param>
    /// <returns>A <see cref="Var"/> holding <paramref name="result"/>, a constant when nothing is recorded.</returns>
    public static Var Unary<TRule>(string op, double result, Var x, double dx, TRule rule)
        where TRule : struct, ISecondOrderRule => Current.RecordUnary(op, result, x, dx, rule);

    /// <summary>Records a two-input operation that has no second-order rule (Hessians cannot pass through it).</summary>
    /// <param name="op">The operation's name, reported by <see cref="CheckFinite"/>.</param>
    /// <param name="result">The value the operation computed.</param>
    /// <param name="a">The first input.</param>
    /// <param name="da">∂result/∂a (ignored when <paramref name="a"/> is a constant).</param>
    /// <param name="b">The second input.</param>
    /// <param name="db">∂result/∂b (ignored when <paramref name="b"/> is a constant).</param>
    /// <returns>A <see cref="Var"/> holding <paramref name="result"/>, a constant when nothing is recorded.</returns>
    public static Var Binary(string op, double result, Var a, double da, Var b, double db) =>
        Current.RecordBinary(op, result, a, da, b, db, default(NoSecondOrderRule));

    /// <summary>Records a two-input operation with its second-order rule. Called by generated code.</summary>
    /// <typeparam name="TRule">The rule's type (a struct: see <see cref="Unary{TRule}"/>).</typeparam>
    /// <param name="op">The operation's name, reported by <see cref="CheckFinite"/>.</param>
    /// <param name="result">The value the operation computed.</param>
    /// <param name="a">The first input.</param>
    /// <param name="da">∂result/∂a (ignored when <paramref name="a"/> is a constant).</param>
    /// <param name="b">The second input.</param>
    /// <param name="db">∂result/∂b (ignored when <paramref name="b"/> is a constant).</param>
    /// <param name="rule">How the partials change along a direction: used only while a Hessian is being computed.</param>
    /// <returns>A <see cref="Var"/> holding <paramref name="result"/>, a constant when nothing is recorded.</returns>
    public static Var Binary<TRule>(string op, double result, Var a, double da, Var b, double db, TRule rule)
        where TRule : struct, ISecondOrderRule => Current.RecordBinary(op, result, a, da, b, db, rule);

    /// <summary>Records an operation of any number of inputs as one node, without a second-order rule.</summary>
    /// <param name="op">The operation's name, reported by <see cref="CheckFinite"/>.</param>
    /// <param name="result">The value the operation computed.</param>
    /// <param name="inputs">The inputs.</param>
    /// <param name="partials">∂result/∂inputs[i], one per input (ignored for constant inputs).</param>
    /// <returns>A <see cref="Var"/> holding <paramref name="result"/>, a constant when nothing is recorded.</returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static Var Nary(string op, double result, ReadOnlySpan<Var> inputs, ReadOnlySpan<double> partials) =>
        Nary(op, result, inputs, partials, default(NoSecondOrderRule));

    /// <summary>Records an operation of any number of inputs as one node, with its second-order rule. Called by generated code and reductions.</summary>
    /// <typeparam name="TRule">The rule's type (a struct: see <see cref="Unary{TRule}"/>).</typeparam>
    /// <param name="op">The operation's name, reported by <see cref="CheckFinite"/>.</param>
    /// <param name="result">The value the operation computed.</param>
    /// <param name="inputs">The inputs.</param>
    /// <param name="partials">∂result/∂inputs[i], one per input (ignored for constant inputs).</param>
    /// <param name="rule">How the partials change along a direction: used only while a Hessian is being computed.</param>
    /// <returns>A <see cref="Var"/> holding <paramref name="result"/>, a constant when nothing is recorded.</returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static Var Nary<TRule>(string op, double result, ReadOnlySpan<Var> inputs, ReadOnlySpan<double> partials, TRule rule)
        where TRule : struct, ISecondOrderRule
    {
        if (inputs.Length != partials.Length)
        {
            throw new ArgumentException(
                $"{op}: {inputs.Length} inputs but {partials.Length} partial derivatives; there must be one per input.",
                nameof(partials));
        }

        var tape = Current;
        return tape.TryRecordNaryFast(inputs, partials, out int node)
            ? new Var(result, node, tape._hotStamp)
            : Rebuilt(tape.RecordNarySlow(op, result, inputs, partials, rule));
    }

    // The fast path of every arity, as RecordBinary's for two: every input recorded in the innermost scope while it
    // records unchecked (one stamp compare each), and room for the node and its edges; then the edges are written in
    // input order, as the node builder would. Anything else (a constant input, another scope, NoGrad, CheckFinite,
    // tangents, growth) returns false and takes the node builder.
    private bool TryRecordNaryFast(ReadOnlySpan<Var> inputs, ReadOnlySpan<double> partials, out int node)
    {
        int e = _edgeCount, n = inputs.Length, hot = _hotStamp;
        node = _count;
        if (n == 0 || node >= _nodeCapacity || e + n > _edgeCapacity)
        {
            return false;
        }

        bool all = true;
        foreach (var input in inputs)
        {
            all &= input.Stamp == hot;
        }

        if (!all)
        {
            return false;
        }

        ref var edge = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_edges), e);
        for (int i = 0; i < n; i++)
        {
            ref var next = ref Unsafe.Add(ref edge, i);
            next.Partial = partials[i];
            next.Owner = node;
            next.Input = inputs[i].Index;
        }

        _edgeCount = e + n;
        _count = node + 1;
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Var RecordNarySlow<TRule>(string op, double result, ReadOnlySpan<Var> inputs, ReadOnlySpan<double> partials, TRule rule)
        where TRule : struct, ISecondOrderRule
    {
        BeginNode(inputs.Length);
        for (int i = 0; i < inputs.Length; i++)
        {
            AddEdge(inputs[i], partials[i]);
        }

        return EndNode(op, result, inputs, rule);
    }

    // The fast paths test one thing per input: that it was recorded in the innermost scope while that scope records
    // unchecked (_hotStamp is then the scope's stamp, else −1, which no Var carries). Everything else — constants,
    // Vars of enclosing scopes, NoGrad, CheckFinite, tangents for a Hessian — takes the slow path.
    internal Var RecordUnary<TRule>(string op, double result, Var x, double dx, TRule rule)
        where TRule : struct, ISecondOrderRule
    {
        int e = _edgeCount;
        int node = _count;
        if (x.Stamp != _hotStamp || node >= _nodeCapacity || e >= _edgeCapacity)
        {
            return Rebuilt(RecordUnarySlow(op, result, x, dx, rule));
        }

        ref var edge = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_edges), e);
        edge.Partial = dx;
        edge.Owner = node;
        edge.Input = x.Index;
        _edgeCount = e + 1;
        _count = node + 1;
        return new Var(result, node, _hotStamp);
    }

    internal Var RecordBinary<TRule>(string op, double result, Var a, double da, Var b, double db, TRule rule)
        where TRule : struct, ISecondOrderRule
    {
        int e = _edgeCount;
        int node = _count;
        if ((a.Stamp != _hotStamp) | (b.Stamp != _hotStamp) || node >= _nodeCapacity || e + 1 >= _edgeCapacity)
        {
            return Rebuilt(RecordBinarySlow(op, result, a, da, b, db, rule));
        }

        ref var edge = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_edges), e);
        edge.Partial = da;
        edge.Owner = node;
        edge.Input = a.Index;
        ref var next = ref Unsafe.Add(ref edge, 1);
        next.Partial = db;
        next.Owner = node;
        next.Input = b.Index;
        _edgeCount = e + 2;
        _count = node + 1;
        return new Var(result, node, _hotStamp);
    }

    // Constant inputs, no recording, checking or tangents: rare enough to go through the general node builder.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Var RecordUnarySlow<TRule>(string op, double result, Var x, double dx, TRule rule)
        where TRule : struct, ISecondOrderRule
    {
        BeginNode(1);
        AddEdge(x, dx);
        return EndNode(op, result, [x], rule);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Var RecordBinarySlow<TRule>(string op, double result, Var a, double da, Var b, double db, TRule rule)
        where TRule : struct, ISecondOrderRule
    {
        BeginNode(2);
        AddEdge(a, da);
        AddEdge(b, db);

        // The span of both inputs only where something reads it. The JIT zeroes the 32 bytes behind [a, b] with a 256-bit
        // store and returns without a vzeroupper, so a loop that takes this path (a constant operand: `x - 0.5`) and
        // calls Math.Log paid an AVX–SSE transition in the C library on every call: W1 composed of primitives, 25 ms
        // instead of 9 on an Intel Xeon (docs/benchmarks.md, "AVX–SSE transitions").
        return ReadsInputs ? EndNode(op, result, [a, b], rule) : Commit(result);
    }

    // Whether EndNode reads the inputs it is handed: to name them when a value is not finite, or for their tangents.
    private bool ReadsInputs => (_mode & (Mode.CheckingFinite | Mode.Tangents)) != 0;

    // The end of every node: commit the node being built, or, without an edge, return the result as a constant. EndNode
    // after what reads its inputs, or alone where nothing does (not ReadsInputs).
    private Var Commit(double result)
    {
        int node = _count;
        if (_edgeCount == 0 || _edges[_edgeCount - 1].Owner != node)
        {
            return new Var(result, 0, 0);
        }

        _count = node + 1;
        return new Var(result, node, _stamp);
    }

    // A slow path's Var is taken apart and built again so that both paths end in `new Var(double, int, int)`. When the
    // fast path, inlined into a loop such as `sum += term`, merged with a call that returned the struct as it is, the
    // JIT kept the loop's running Var in stack slots, and every iteration waited on three store-to-load round trips of
    // its value (W1 composed of primitives: 7.2 ms; rebuilt: 5.9 ms).
    private static Var Rebuilt(Var v) => new(v.Value, v.Index, v.Stamp);

    // Node builder for operations with many inputs: BeginNode reserves room, AddEdge appends an edge owned by the
    // node to be, EndNode commits it. A node that received no edge (every input constant, or not recording) is not
    // committed and its result is a constant.
    internal void BeginNode(int maxEdges) => EnsureCapacity(maxEdges);

    internal void AddEdge(Var input, double partial)
    {
        if (input.IsConstant || !IsRecording)
        {
            return;
        }

        Validate(input);
        ref var edge = ref _edges[_edgeCount++];
        edge.Partial = partial;
        edge.Owner = _count;
        edge.Input = input.Index;
    }

    /// <summary>Commits the node being built by an operation without a second-order rule.</summary>
    internal Var EndNode(string op, double result, ReadOnlySpan<Var> inputs) => EndNode(op, result, inputs, default(NoSecondOrderRule));

    /// <param name="op">The operation's name, for <see cref="CheckFinite"/>.</param>
    /// <param name="result">The operation's value.</param>
    /// <param name="inputs">The operation's inputs, named by <see cref="CheckFinite"/> when it reports.</param>
    /// <param name="rule">
    /// The operation's second-order rule, applied while tangents are tracked; when it is also an
    /// <see cref="IConstantOperands"/> (a generated overload with <see cref="double"/> inputs), <see cref="CheckFinite"/>
    /// names those constants too, at their positions.
    /// </param>
    /// <param name="constants">Operands after the inputs that are not <see cref="Var"/>s (Dot's weights), named by <see cref="CheckFinite"/> too.</param>
    internal Var EndNode<TRule>(string op, double result, ReadOnlySpan<Var> inputs, in TRule rule, ReadOnlySpan<double> constants = default)
        where TRule : struct, ISecondOrderRule
    {
        int node = _count;
        int first = _edgeCount;
        while (first > 0 && _edges[first - 1].Owner == node)
        {
            first--;
        }

        bool checking = (_mode & Mode.CheckingFinite) != 0;
        if (checking)
        {
            ThrowIfNonFinite(op, result, first, inputs, in rule, constants);
        }

        if (_edgeCount != first)
        {
            if (TracksTangents)
            {
                RecordTangents(op, result, inputs, first, rule);
            }

            if (checking)
            {
                NoteEdgeOrigins(op, first, inputs, in rule);
            }
        }

        return Commit(result);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowIfNonFinite<TRule>(string op, double result, int firstEdge, ReadOnlySpan<Var> inputs, in TRule rule, ReadOnlySpan<double> constants)
        where TRule : struct, ISecondOrderRule
    {
        bool finite = double.IsFinite(result);
        for (int e = firstEdge; e < _edgeCount; e++)
        {
            finite &= double.IsFinite(_edges[e].Partial);
        }

        if (finite)
        {
            return;
        }

        var partials = EdgePartials(firstEdge);
        _edgeCount = firstEdge;
        throw new NonFiniteValueException(op, result, OperandValues(inputs, in rule, constants), partials);
    }

    // The partials of the node being committed (edges [firstEdge, _edgeCount)), for a forward-pass exception's Partials.
    private double[] EdgePartials(int firstEdge)
    {
        var partials = new double[_edgeCount - firstEdge];
        for (int i = 0; i < partials.Length; i++)
        {
            partials[i] = _edges[firstEdge + i].Partial;
        }

        return partials;
    }

    /// <summary>
    /// An operation's operands in order, for <see cref="CheckFinite"/>'s messages: the inputs passed to the tape, with the
    /// constants a generated overload took as doubles (its rule's <see cref="IConstantOperands"/>) at their positions,
    /// then <paramref name="trailing"/> (Dot's weights).
    /// </summary>
    private static double[] OperandValues<TRule>(ReadOnlySpan<Var> inputs, in TRule rule, ReadOnlySpan<double> trailing)
        where TRule : struct, ISecondOrderRule
    {
        var described = rule as IConstantOperands;
        int count = described?.OperandCount ?? inputs.Length;
        var values = new double[count + trailing.Length];
        for (int p = 0, next = 0; p < count; p++)
        {
            values[p] = described is not null && described.TryGetConstant(p, out double constant) ? constant : inputs[next++].Value;
        }

        trailing.CopyTo(values.AsSpan(count));
        return values;
    }

    /// <summary>The reverse sweep: seeds ∂y/∂y = 1 and propagates adjoints to every node recorded before <paramref name="y"/>.</summary>
    internal void Backward(Var y)
    {
        RequireVariable(y, "Backward() was called on");
        Sweep(y, recordMark: 0, edgeMark: 0, tangents: false);
    }

    // Seeds ∂y/∂y = 1 and sweeps every edge and record from y down to the marks (the tape's start, or where a tangent
    // scope began). Edges of nodes recorded after y cannot reach it; they are the last ones, since edges follow node order.
    //
    // A tensor rule runs user code in the sweep (a declared function's derivative, which a tensor kernel evaluates in the
    // backward pass), and that code may call an AD entry point: a derivative computed with AD.Grad. On this tape, that
    // call's own sweep would clear the adjoints this one is summing (the gradient came out 0). While this tape sweeps as
    // the thread's tape, the thread's tape is therefore another one of its own (_ruleTape, created when a rule first asks
    // for it), so such a call records and sweeps there, a constant to this sweep as every nested AD call is to its caller.
    private void Sweep(Var y, int recordMark, int edgeMark, bool tangents)
    {
        if (t_current != this)
        {
            // A compiled gradient's tape, replayed on a thread whose own tape stays the thread's.
            SweepOwnTape(y, recordMark, edgeMark, tangents);
            return;
        }

        t_current = _ruleTape;
        try
        {
            SweepOwnTape(y, recordMark, edgeMark, tangents);
        }
        finally
        {
            _ruleTape = t_current;
            t_current = this;
        }
    }

    private void SweepOwnTape(Var y, int recordMark, int edgeMark, bool tangents)
    {
        ClearAdjointsForSweep(y.Index, lazy: !tangents);

        // No gradient is readable until the sweep completes: one that throws (CheckFinite, a rule) leaves adjoints half summed.
        _sweptNodes = 0;
        _unfinishedSweepBelow = _count;
        _negationFoldTarget = -1;
        bool checking = IsCheckingFinite;
        _lastSeed = y.Index;
        _nestedSweepClearedBelow = 0;
        _adjoints[y.Index] = 1.0;
        int end = _edgeCount;
        while (end > 0 && _edges[end - 1].Owner > y.Index)
        {
            end--;
        }

        int r = _recordCount - 1;
        while (r >= recordMark && _records[r].Output.Node > y.Index)
        {
            r--;
        }

        // The reverse sweep over edges and tensor records together: edges between two records are swept in one loop,
        // and each record's rule runs when the sweep reaches the point where it was recorded. With tangents, each
        // segment's lanes follow its adjoints (which are then final, as the lanes read them), and each record's lanes
        // follow its rule. Under CheckFinite the edges' loop is the checking instance of the same loop, and each record's
        // adjoints are looked at after its rule ran; the unchecked sweep runs the loop it always ran.
        while (true)
        {
            int stop = r >= recordMark ? _records[r].EdgeMark : edgeMark;
            if (checking)
            {
                SweepEdges<FiniteChecked>(end, stop);
            }
            else
            {
                SweepEdges<Unchecked>(end, stop);
            }

            if (tangents)
            {
                for (int lane = 0; lane < _lanes; lane++)
                {
                    if (checking)
                    {
                        SweepLane<FiniteChecked>(lane, end, stop);
                    }
                    else
                    {
                        SweepLane<Unchecked>(lane, end, stop);
                    }
                }
            }

            if (r < recordMark)
            {
                break;
            }

            ref readonly var record = ref _records[r];
            if (r == _negationFoldTarget)
            {
                SweepNegationFold(in record);
            }
            else if (tangents || Reached(record.Output))
            {
                InitialiseOutputAdjoints(in record);
                if (tangents || checking || !DefersNegation(in record, r, recordMark))
                {
                    record.Backward(this, in record);
                    if (checking)
                    {
                        ThrowIfRuleMadeAdjointNonFinite(in record);
                    }

                    if (tangents)
                    {
                        record.SecondOrder.SweepLanes(this, in record);
                        if (checking)
                        {
                            ThrowIfRuleMadeAdjointTangentsNonFinite(in record);
                        }
                    }
                }
            }

            end = stop;
            r--;
        }

        ClearUnreachedLazyAdjoints();
        _sweptNodes = _count;
        _unfinishedSweepBelow = 0;
    }

    // adjoint[input] += partial · adjoint[owner] over edges [stop, end), newest first. TCheck is a struct, so the JIT
    // compiles one loop per mode and removes the check from the unchecked one.
    private void SweepEdges<TCheck>(int end, int stop)
        where TCheck : struct, ISweepCheck
    {
        ref double adjoints = ref MemoryMarshal.GetArrayDataReference(_adjoints);
        ref var edges = ref MemoryMarshal.GetArrayDataReference(_edges);
        for (int e = end - 1; e >= stop; e--)
        {
            ref var edge = ref Unsafe.Add(ref edges, e);
            double adjoint = Unsafe.Add(ref adjoints, edge.Owner);

            // A node y does not depend on has adjoint 0; skipping it keeps its partial out of the gradient even when
            // that partial is ±∞ or NaN (an unused Sqrt(0), Log(−1)), as a sweep over reachable nodes only would.
            if (adjoint != 0.0)
            {
                // One fused multiply-add, not a product and a sum: the sweep waits on each adjoint it accumulates (a
                // sum's chain, a parameter every term reads), so the latency of this line is the sweep's speed.
                ref double target = ref Unsafe.Add(ref adjoints, edge.Input);
                double before = target;
                target = Math.FusedMultiplyAdd(edge.Partial, adjoint, before);
                if (TCheck.Enabled && !double.IsFinite(target))
                {
                    ThrowIfEdgeMadeAdjointNonFinite(e, adjoint, before);
                }
            }
        }
    }

    // Why a node has no gradient to read: no sweep reached it, a nested AD call's sweep cleared it, or the last sweep threw.
    internal string NotSweptReason(int node) =>
        node < _nestedSweepClearedBelow
            ? "after an AD call nested in its scope (AD.Grad, AD.ValueAndGrad, AD.Hessian, GradCheck, Mle.Fit, ...) ran a reverse sweep of its own, "
              + "which clears every adjoint on the thread's tape, including what an earlier Backward() left: read gradients before such calls, or call Backward() again after them."
            : node < _unfinishedSweepBelow
                ? "after the last reverse sweep (a Backward() or an AD call) threw partway, leaving the adjoints half summed: call Backward() again once what threw is fixed."
                : "before any Backward() reached it: call Backward() on a result computed from it first.";

    internal double GradientOf(Var x)
    {
        RequireVariable(x, "Grad was read on");
        if (x.Index >= _sweptNodes)
        {
            throw new InvalidOperationException($"Grad was read on node {x.Index} {NotSweptReason(x.Index)}");
        }

        return _adjoints[x.Index];
    }

    private void RequireVariable(Var v, string use)
    {
        if (v.IsConstant)
        {
            throw new InvalidOperationException(
                $"{use} a constant ({v.Value}): constants (doubles, Detach(), values computed under Tape.NoGrad() or from constants only) "
                + "have no node on the tape, so no gradient flows through them. Make variables with Var.Leaf(...) or AD.Grad(...).");
        }

        Validate(v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Validate(Var v)
    {
        if (v.Stamp != _stamp)
        {
            ValidateOuterScope(v);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnsureCapacity(int edges)
    {
        if (_count >= _nodeCapacity || _edgeCount + edges > _edgeCapacity)
        {
            Grow(edges);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int edges)
    {
        if (_count >= _adjoints.Length)
        {
            EnsureNodes(1);
        }

        int edgeCapacity = _edges.Length;
        while (_edgeCount + edges > edgeCapacity)
        {
            edgeCapacity = edgeCapacity <= Array.MaxLength / 2
                ? edgeCapacity * 2
                : throw new InvalidOperationException(
                    $"The tape holds {_edgeCount} edges, the most one array can: differentiate the function in smaller parts, or open a Tape.Scope per part.");
        }

        if (edgeCapacity != _edges.Length)
        {
            Array.Resize(ref _edges, edgeCapacity);
        }

        _nodeCapacity = _adjoints.Length;
        _edgeCapacity = _edges.Length;
        GrowTangentStorage();
    }
}
