using System;

namespace AutoDiff;

public sealed partial class Tape
{
    // Set while AD.Compile runs the function on this tape, a private one: whatever could not be replayed throws.
    private bool _tracing;

    /// <summary>Whether <see cref="AD.Compile"/> is recording a trace on this tape.</summary>
    internal bool IsTracing => _tracing;

    private bool _sealed;

    // The managed thread id of the thread replaying the trace now, 0 when none. Only that thread's reads are the replay's
    // own: a tape-wide flag let any other thread read (and compute with) an escaped tensor while a replay rewrote it.
    private int _replayingThread;

    /// <summary>
    /// Whether this is a compiled function's tape whose trace is complete and which is not replaying now on this thread:
    /// its tensors belong to the replays, and one read from outside escaped the traced function (on another thread during
    /// a replay too).
    /// </summary>
    internal bool IsCompiled => _sealed && _replayingThread != Environment.CurrentManagedThreadId;

    /// <summary>Marks the trace complete (<see cref="IsCompiled"/>).</summary>
    internal void SealTrace() => _sealed = true;

    /// <summary>Starts a replay on this thread (under the compiled function's lock), during which its own code reads the trace's tensors; <see cref="EndReplay"/> in a finally.</summary>
    internal void BeginReplay() => _replayingThread = Environment.CurrentManagedThreadId;

    /// <summary>Ends what <see cref="BeginReplay"/> started.</summary>
    internal void EndReplay() => _replayingThread = 0;

    /// <summary>A tape of its own for one compiled function: its records and memory live as long as the function.</summary>
    internal static Tape CreatePrivate() => new();

    /// <summary>Runs <paramref name="body"/> with <paramref name="tape"/> as this thread's tape, tracing, and restores the thread's own.</summary>
    internal static TResult Trace<TResult>(Tape tape, Func<TResult> body)
    {
        var previous = t_current;
        t_current = tape;
        tape._tracing = true;
        try
        {
            return body();
        }
        finally
        {
            tape._tracing = false;
            t_current = previous;
        }
    }

    /// <summary>Throws when a trace is being recorded: <paramref name="what"/> names the operation that cannot be replayed.</summary>
    /// <exception cref="NotSupportedException">This tape is tracing.</exception>
    internal void ThrowIfTracing(string what)
    {
        if (_tracing)
        {
            throw new NotSupportedException(
                $"AD.Compile: the function {what}, which a compiled gradient cannot replay: it replays the tensor operations recorded on the "
                + "first call, with new input values, so nothing may depend on the values themselves. Use AD.ValueAndGrad for this function.");
        }
    }

    /// <summary>
    /// Checks, after a trace, that it holds only tensor operations that replay: scalar <see cref="Var"/> operations keep
    /// their partials as numbers computed on the first call, which new inputs would make stale.
    /// </summary>
    /// <exception cref="NotSupportedException">The trace recorded scalar operations.</exception>
    internal void RequireReplayable()
    {
        if (_edgeCount > 0)
        {
            throw new NotSupportedException(
                $"AD.Compile: the function recorded {_edgeCount} scalar Var operation(s) (arithmetic on Vars, or on tensors converted to Vars); "
                + "a compiled gradient replays tensor operations only. Write the function with tensor operations (a rank-0 tensor for a scalar), "
                + "or use AD.ValueAndGrad.");
        }
    }

    /// <summary>Rewrites the trace's forward rules where one pass does the work of two (<see cref="ReflectedPairs"/>); returns how many pairs. <paramref name="output"/> is the traced function's result.</summary>
    internal int FuseReflectedPairs(Tensor output) => ReflectedPairs.Fuse(_records.AsSpan(0, _recordCount), output);

    /// <summary>Recomputes every recorded operation's output from its inputs' current values, in recording order.</summary>
    internal void ReplayForward()
    {
        for (int r = 0; r < _recordCount; r++)
        {
            ref readonly var record = ref _records[r];
            record.Forward(in record);
        }
    }
}
