using System;
using System.Collections.Generic;
using System.Threading;

namespace AutoDiff;

/// <summary>Hands out scope stamps and knows every live tape, so that a misused <see cref="Var"/> gets an exact message.</summary>
internal static class TapeRegistry
{
    private static int s_lastStamp;
    private static int s_lastRootStamp = -1;
    private static readonly List<WeakReference<Tape>> s_tapes = [];

    /// <summary>
    /// The stamp of a tape's root frame: negative (from −2 down), so no scope stamp ever equals one, since a root frame
    /// stays open for its thread's lifetime. 0 marks constants and −1 the tape's "not recording" state.
    /// </summary>
    public static int NextRootStamp() => Interlocked.Decrement(ref s_lastRootStamp);

    /// <summary>A positive scope stamp, unique until the counter wraps after 2³¹ scopes.</summary>
    public static int NextScopeStamp()
    {
        int stamp;
        do
        {
            stamp = Interlocked.Increment(ref s_lastStamp) & int.MaxValue;
        }
        while (stamp == 0);

        return stamp;
    }

    public static void Register(Tape tape)
    {
        lock (s_tapes)
        {
            s_tapes.RemoveAll(r => !r.TryGetTarget(out _));
            s_tapes.Add(new WeakReference<Tape>(tape));
        }
    }

    /// <summary>The other tape whose open scopes include <paramref name="stamp"/>, if any (only for error messages).</summary>
    public static Tape? FindActiveOwner(int stamp, Tape except)
    {
        lock (s_tapes)
        {
            foreach (var reference in s_tapes)
            {
                if (reference.TryGetTarget(out var tape) && tape != except && tape.IsActiveStamp(stamp))
                {
                    return tape;
                }
            }
        }

        return null;
    }
}
