using System;
using System.Runtime.CompilerServices;

namespace AutoDiff;

public sealed partial class Tape
{
    // Outputs of recorded tensor operations with at least this many elements have their adjoints cleared lazily: not in the
    // pass over every node that starts a sweep, but by the first rule that writes them, which either assigns them (it
    // writes each element once), keeps them as one uniform value (Sum, and elementwise rules passing one on), or clears
    // them just before adding into them while they are in cache. The passes over intermediate tensors' adjoints are then
    // saved, and at small sizes so are the rules' loops that a uniform adjoint skips: W2 at n = 100 takes 4% less time
    // with this threshold at 16 than at 1 024 (its nine 100-element regions). Below 16 elements a region is cleared by
    // two vector stores, less than the bookkeeping costs.
    internal const int LazyAdjointMinSize = 16;

    // Numbers the sweeps, in steps of SweepStep: a lazy region whose AdjointMark is the current number has been written in
    // this sweep; one whose mark is the number + Uniform holds one value for all its adjoints (Tensor.UniformAdjoint), and
    // one whose mark is the number + Borrowed holds a constant tensor's values (Tensor.BorrowedAdjoints), neither written
    // out. Starts above 1, the mark of a region that was never written.
    private const int SweepStep = 4, Uniform = 1, Borrowed = 2;
    private int _sweepNumber = SweepStep;

    // Lazy regions found at the start of a sweep, as (first node, size) pairs; reused.
    private (int Start, int Size)[] _lazyRegions = new (int, int)[16];

    // No record at or above this index has a lazy output, so the walks over the records stop there: a tape of Vars and
    // tiny tensors pays nothing for the bookkeeping but a compare.
    private int _lazyRecordLimit;

    // Whether the current (or last) sweep keeps the bookkeeping. A sweep with tangents (a Hessian) does not: it reruns
    // rules on each lane's adjoint tangents by swapping the arrays, and the marks describe the adjoints only. It clears
    // every adjoint up front, and every region then counts as written.
    private bool _lazySweep;

    // Leaves of at least LazyAdjointMinSize elements, in the order of their nodes, whose adjoints are cleared lazily as an
    // operation's output's are: a parameter of AD.Grad is then assigned by the first rule that writes it (Linear's ∂W, a
    // product with beta 0) instead of being cleared when the sweep starts and added into, two passes over W3's 1.6 MB
    // first-layer weights and over 10⁶ logits' 8 MB.
    private Tensor[] _lazyLeaves = new Tensor[4];
    private int _lazyLeafCount;

    // Called when a leaf is made: its adjoints are cleared lazily from now on (until a Var or a view names its nodes).
    private void AllowLazyAdjointsOfLeaf(Tensor leaf)
    {
        if (leaf.Size < LazyAdjointMinSize)
        {
            return;
        }

        if (_lazyLeafCount == _lazyLeaves.Length)
        {
            Array.Resize(ref _lazyLeaves, _lazyLeafCount * 2);
        }

        leaf.AdjointMark = 1;
        _lazyLeaves[_lazyLeafCount++] = leaf;
    }

    // Called when a scope closes: its leaves' nodes are gone.
    private void ForgetLazyLeaves(int nodeMark)
    {
        while (_lazyLeafCount > 0 && _lazyLeaves[_lazyLeafCount - 1].Node >= nodeMark)
        {
            _lazyLeaves[--_lazyLeafCount] = null!;
        }
    }

    // Called when an operation is recorded: its output may be cleared lazily unless a Var or a view already names its nodes.
    private void AllowLazyAdjoints(Tensor output)
    {
        if (output.AdjointMark == 0 && output.Size >= LazyAdjointMinSize)
        {
            output.AdjointMark = 1;
            _lazyRecordLimit = _recordCount;
        }
    }

    // Whether x's adjoints are lazily cleared and hold nothing of this sweep yet (stale values).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsStale(Tensor x) => _lazySweep && x.AdjointMark > 0 && (uint)(x.AdjointMark - _sweepNumber) > Borrowed;

    // Whether x's adjoints are one value, x.UniformAdjoint, not written out, in this sweep.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsUniform(Tensor x) => _lazySweep && x.AdjointMark == _sweepNumber + Uniform;

    // Whether x's adjoints are held aside in this sweep, not written out: one uniform value, or a constant's values.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsHeldAside(Tensor x) => _lazySweep && (uint)(x.AdjointMark - _sweepNumber - Uniform) <= Borrowed - Uniform;

    // The start of a sweep from the node seed: every adjoint below _count is cleared except the lazy regions, which are
    // stale until their first writer in this sweep. The region holding the seed is cleared here, and marked written.
    // Without lazy (a sweep with tangents), everything is cleared.
    private void ClearAdjointsForSweep(int seed, bool lazy)
    {
        NextSweepNumber();
        _lazySweep = lazy;
        if (!lazy)
        {
            Array.Clear(_adjoints, 0, _count);
            return;
        }

        int regions = 0;
        bool sorted = true;
        // The leaves first: an AD call makes them before recording anything, so the list is usually in node order as it
        // is built, and is sorted only when it is not.
        for (int l = 0; l < _lazyLeafCount; l++)
        {
            ListLazyRegion(_lazyLeaves[l], seed, ref regions, ref sorted);
        }

        for (int r = 0; r < _lazyRecordLimit; r++)
        {
            ListLazyRegion(_records[r].Output, seed, ref regions, ref sorted);
        }

        // An operation that records other operations before its own output is recorded lists its region out of order, as
        // does a leaf made after operations were recorded (Tensor.Leaf in the middle of a scope).
        if (!sorted)
        {
            Array.Sort(_lazyRegions, 0, regions);
        }

        // Regions never overlap today (every record's output has nodes of its own); should two records ever share an
        // output, the second listing of it adds nothing rather than a negative gap.
        int next = 0;
        for (int i = 0; i < regions; i++)
        {
            var (start, size) = _lazyRegions[i];
            if (start > next)
            {
                Array.Clear(_adjoints, next, start - next);
            }

            next = Math.Max(next, start + size);
        }

        Array.Clear(_adjoints, next, _count - next);
    }

    // Lists x's region among those the start of a sweep leaves stale, unless it is not cleared lazily; the region holding
    // the seed is not listed (it is cleared with the rest) and is marked written.
    private void ListLazyRegion(Tensor x, int seed, ref int regions, ref bool sorted)
    {
        if (x.AdjointMark <= 0)
        {
            return;
        }

        if (seed >= x.Node && seed < x.Node + x.Size)
        {
            x.AdjointMark = _sweepNumber;
            return;
        }

        if (regions == _lazyRegions.Length)
        {
            Array.Resize(ref _lazyRegions, regions * 2);
        }

        sorted &= regions == 0 || _lazyRegions[regions - 1].Start < x.Node;
        _lazyRegions[regions++] = (x.Node, x.Size);
    }

    // Sweep numbers step by 2 and must never reach the marks 0 and −1 by wrapping around: near the top they restart,
    // and every live lazy region goes back to "never written" (nothing of an earlier sweep is read after a new one starts).
    private void NextSweepNumber()
    {
        if (_sweepNumber >= int.MaxValue - 2 * SweepStep)
        {
            for (int r = 0; r < _recordCount; r++)
            {
                var output = _records[r].Output;
                if (output.AdjointMark > 0)
                {
                    output.AdjointMark = 1;
                }
            }

            for (int l = 0; l < _lazyLeafCount; l++)
            {
                if (_lazyLeaves[l].AdjointMark > 0)
                {
                    _lazyLeaves[l].AdjointMark = 1;
                }
            }

            _sweepNumber = 0;
        }

        _sweepNumber += SweepStep;
    }

    /// <summary>
    /// Makes <paramref name="x"/>'s adjoints cleared with every other node from now on, for good: a Var or a reshaped view
    /// is about to name its nodes, and may read or write them outside the bookkeeping. Adjoints of the last sweep held aside
    /// are written out first, so what the new name reads is the gradient.
    /// </summary>
    internal void PinAdjoints(Tensor x)
    {
        if (IsHeldAside(x))
        {
            WriteOutHeldAside(x);
        }

        x.AdjointMark = Tensor.AdjointsPinned;
    }

    // Before an operation's rule reads its output's adjoints: a lazy region that no consumer wrote in this sweep holds
    // values of an earlier sweep, and its adjoints are 0. Adjoints held aside are written out unless the rule reads them
    // through OutputAdjoints (and no Hessian's lanes read the adjoints element by element).
    private void InitialiseOutputAdjoints(in TensorRecord record)
    {
        var output = record.Output;
        if (!ClearIfStale(output) && IsHeldAside(output) && (!record.TakesUniformAdjoint || TracksTangents))
        {
            WriteOutHeldAside(output);
        }
    }

    // Whether anything in this sweep gave an operation's output an adjoint other than 0. A zero adjoint contributes nothing,
    // whatever the partial (the edges' rule, SweepEdges), so the sweep skips a rule whose output's adjoints are all 0: an
    // operation y does not depend on (an unused matrix product of data holding an ∞) adds no 0·∞ = NaN, as a sweep over
    // reachable operations only would not, and costs nothing. A lazy region is known from its mark; any other region is
    // small (below LazyAdjointMinSize) or named by something else too, and is looked at.
    private bool Reached(Tensor output)
    {
        if (_lazySweep && output.AdjointMark > 0)
        {
            return !IsStale(output) && !(IsUniform(output) && output.UniformAdjoint == 0.0);
        }

        return _adjoints.AsSpan(output.Node, output.Size).IndexOfAnyExcept(0.0, -0.0) >= 0;
    }

    // A stale region's adjoints are 0: cleared and marked written. Returns whether it was stale.
    private bool ClearIfStale(Tensor x)
    {
        if (!IsStale(x))
        {
            return false;
        }

        Array.Clear(_adjoints, x.Node, x.Size);
        x.AdjointMark = _sweepNumber;
        return true;
    }

    private void WriteOutHeldAside(Tensor x)
    {
        var adjoints = _adjoints.AsSpan(x.Node, x.Size);
        if (x.AdjointMark == _sweepNumber + Uniform)
        {
            adjoints.Fill(x.UniformAdjoint);
        }
        else
        {
            x.BorrowedAdjoints.AsSpan(0, x.Size).CopyTo(adjoints);
        }

        x.AdjointMark = _sweepNumber;
    }

    // The end of a sweep: lazy regions that no rule reached (outputs of operations recorded after the seed, or before a
    // tangent scope's mark) are cleared, so every adjoint read afterwards is defined, as after a full clear; uniform ones
    // are read through CopyGradient.
    private void ClearUnreachedLazyAdjoints()
    {
        for (int r = 0; r < _lazyRecordLimit; r++)
        {
            ClearIfStale(_records[r].Output);
        }

        for (int l = 0; l < _lazyLeafCount; l++)
        {
            ClearIfStale(_lazyLeaves[l]);
        }
    }

    /// <summary>
    /// The adjoints of a variable input <paramref name="x"/>, for a backward rule to add its contribution into. Every rule
    /// writes its inputs' adjoints through this, <see cref="AdjointsToWrite"/>, <see cref="PrepareToAccumulate"/> or
    /// <see cref="TryAssignUniform"/>: a stale region is cleared here, one held aside written out.
    /// </summary>
    internal Span<double> AdjointsToAccumulate(Tensor x)
    {
        var adjoints = AdjointsToWrite(x, out bool stale);
        if (stale)
        {
            adjoints.Clear();
        }

        return adjoints;
    }

    /// <summary>
    /// The adjoints of a variable input <paramref name="x"/> for a backward rule that writes every one of them:
    /// <paramref name="assign"/> is true when nothing has been added to them yet in this sweep, and the rule must then
    /// store its contribution (the region holds stale values) rather than add it.
    /// </summary>
    internal Span<double> AdjointsToWrite(Tensor x, out bool assign)
    {
        assign = IsStale(x);
        if (assign)
        {
            x.AdjointMark = _sweepNumber;
        }
        else if (IsHeldAside(x))
        {
            WriteOutHeldAside(x);
        }

        return _adjoints.AsSpan(x.Node, x.Size);
    }

    /// <summary>
    /// Marks x's adjoints written in this sweep without writing them: for a region that nothing will read (a compiled
    /// trace's −z once f(−z)'s backward adds into z itself, <see cref="ReflectedPairs"/>), so that no rule clears it. A
    /// region that is not lazily cleared was cleared when the sweep began.
    /// </summary>
    internal void MarkAdjointsUnread(Tensor x)
    {
        if (IsStale(x))
        {
            x.AdjointMark = _sweepNumber;
        }
    }

    /// <summary>Makes a lazily cleared input region ready for a rule that adds into it through the whole adjoint span (broadcast rows, matrix products).</summary>
    internal void PrepareToAccumulate(Tensor? x)
    {
        if (x is { IsConstant: false })
        {
            AdjointsToAccumulate(x);
        }
    }

    /// <summary>
    /// Makes every adjoint of <paramref name="x"/> equal to <paramref name="value"/> without writing them, when nothing has
    /// been added to them yet in this sweep; false otherwise (the caller then adds its contribution as usual). Rules that
    /// take uniform adjoints (<see cref="OutputAdjoints"/>) get the value; any other access writes it out first.
    /// </summary>
    internal bool TryAssignUniform(Tensor x, double value)
    {
        if (!IsStale(x))
        {
            return false;
        }

        x.AdjointMark = _sweepNumber + Uniform;
        x.UniformAdjoint = value;
        return true;
    }

    /// <summary>How many times a sweep on this tape borrowed a constant's values as a tensor's adjoints (for tests).</summary>
    internal int AdjointsBorrowed { get; private set; }

    /// <summary>
    /// Makes the adjoints of <paramref name="x"/> the values of the constant <paramref name="values"/> (at least x's size)
    /// without copying them, when nothing has been added to them yet in this sweep; false otherwise. Multiplication by a
    /// constant c under one adjoint of 1 (Sum(c * x)) hands x exactly c: the rule that produced x reads c where it is
    /// (<see cref="OutputAdjoints"/>), and the pass that would copy c into x's adjoints is saved. Any other access writes
    /// them out first. The values must not change before the sweep ends: a constant tensor's never do.
    /// </summary>
    internal bool TryBorrow(Tensor x, double[] values)
    {
        if (!IsStale(x))
        {
            return false;
        }

        x.AdjointMark = _sweepNumber + Borrowed;
        x.BorrowedAdjoints = values;
        AdjointsBorrowed++;
        return true;
    }

    /// <summary>
    /// The adjoints of a record's output for its rule (the record says <c>TakesUniformAdjoint</c>): one element, the value
    /// of all of them, when they are uniform; otherwise one per element, borrowed (<see cref="TryBorrow"/>) or written.
    /// </summary>
    internal ReadOnlySpan<double> OutputAdjoints(Tensor y)
    {
        if (!IsHeldAside(y))
        {
            return _adjoints.AsSpan(y.Node, y.Size);
        }

        return y.AdjointMark == _sweepNumber + Uniform
            ? new ReadOnlySpan<double>(in y.UniformAdjoint)
            : y.BorrowedAdjoints.AsSpan(0, y.Size);
    }
}
