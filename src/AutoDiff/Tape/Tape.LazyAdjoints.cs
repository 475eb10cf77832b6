using System;

namespace AutoDiff;

public sealed partial class Tape
{
    // Outputs of recorded tensor operations with at least this many elements have their adjoints cleared lazily: not in the
    // pass over every node that starts a sweep, but by the first rule that writes them, which either assigns them (it
    // writes each element once) or clears them just before adding into them while they are in cache. The pass over a large
    // intermediate tensor's adjoints at the start of the sweep is then saved (W1: four of 10⁵ each, about an eighth of its
    // backward). Smaller regions are not worth the bookkeeping.
    internal const int LazyAdjointMinSize = 1024;

    // Numbers the sweeps; a lazy region whose AdjointMark is the current number has been written in this sweep. Starts
    // above 1, the mark of a region that was never written.
    private int _sweepNumber = 1;

    // Lazy regions found at the start of a sweep, as (first node, size) pairs; reused.
    private (int Start, int Size)[] _lazyRegions = new (int, int)[16];

    // Called when an operation is recorded: its output may be cleared lazily unless a Var or a view already names its nodes.
    private static void AllowLazyAdjoints(Tensor output)
    {
        if (output.AdjointMark == 0 && output.Size >= LazyAdjointMinSize)
        {
            output.AdjointMark = 1;
        }
    }

    // The start of a sweep from the node seed: every adjoint below _count is cleared except the lazy regions, which are
    // stale until their first writer in this sweep. The region holding the seed is cleared here, and marked written.
    private void ClearAdjointsForSweep(int seed)
    {
        _sweepNumber++;
        int lazy = 0;
        bool sorted = true;
        for (int r = 0; r < _recordCount; r++)
        {
            var output = _records[r].Output;
            if (output.AdjointMark <= 0)
            {
                continue;
            }

            if (seed >= output.Node && seed < output.Node + output.Size)
            {
                output.AdjointMark = _sweepNumber;
                continue;
            }

            if (lazy == _lazyRegions.Length)
            {
                Array.Resize(ref _lazyRegions, lazy * 2);
            }

            sorted &= lazy == 0 || _lazyRegions[lazy - 1].Start < output.Node;
            _lazyRegions[lazy++] = (output.Node, output.Size);
        }

        // An operation that records other operations before its own output is recorded lists its region out of order.
        if (!sorted)
        {
            Array.Sort(_lazyRegions, 0, lazy);
        }

        int next = 0;
        for (int i = 0; i < lazy; i++)
        {
            Array.Clear(_adjoints, next, _lazyRegions[i].Start - next);
            next = _lazyRegions[i].Start + _lazyRegions[i].Size;
        }

        Array.Clear(_adjoints, next, _count - next);
    }

    // Before an operation's rule reads its output's adjoints: a lazy region that no consumer wrote in this sweep holds
    // values of an earlier sweep, and its adjoints are 0.
    private void InitialiseOutputAdjoints(Tensor output)
    {
        if (output.AdjointMark > 0 && output.AdjointMark != _sweepNumber)
        {
            Array.Clear(_adjoints, output.Node, output.Size);
            output.AdjointMark = _sweepNumber;
        }
    }

    // The end of a sweep: lazy regions that no rule reached (outputs of operations recorded after the seed, or before a
    // tangent scope's mark) are cleared, so every adjoint read afterwards is defined, as after a full clear.
    private void ClearUnreachedLazyAdjoints()
    {
        for (int r = 0; r < _recordCount; r++)
        {
            InitialiseOutputAdjoints(_records[r].Output);
        }
    }

    /// <summary>
    /// The adjoints of a variable input <paramref name="x"/>, for a backward rule to add its contribution into. Every rule
    /// writes its inputs' adjoints through this or <see cref="AdjointsToWrite"/>: a lazily cleared region is cleared here
    /// on its first write of the sweep.
    /// </summary>
    internal Span<double> AdjointsToAccumulate(Tensor x)
    {
        var adjoints = _adjoints.AsSpan(x.Node, x.Size);
        if (x.AdjointMark > 0 && x.AdjointMark != _sweepNumber)
        {
            adjoints.Clear();
            x.AdjointMark = _sweepNumber;
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
        assign = x.AdjointMark > 0 && x.AdjointMark != _sweepNumber;
        if (assign)
        {
            x.AdjointMark = _sweepNumber;
        }

        return _adjoints.AsSpan(x.Node, x.Size);
    }

    /// <summary>Clears a lazily cleared input region before a rule adds into it through the whole adjoint span (broadcast rows, matrix products).</summary>
    internal void PrepareToAccumulate(Tensor? x)
    {
        if (x is { IsConstant: false })
        {
            AdjointsToAccumulate(x);
        }
    }
}
