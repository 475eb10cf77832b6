using System;

namespace AutoDiff;

/// <summary>
/// An open scope on a thread's <see cref="Tape"/>: from <see cref="Tape.Scope"/> (disposing it truncates the tape back
/// to where it was), <see cref="Tape.NoGrad"/> or <see cref="Tape.CheckFinite"/> (disposing it restores recording or
/// checking as they were). Scopes are disposed in the reverse order of opening, once, on their own thread.
/// </summary>
public readonly struct TapeScope : IDisposable
{
    private readonly Tape? _tape;
    private readonly int _depth;
    private readonly long _id;

    internal TapeScope(Tape tape, int depth, long id)
    {
        _tape = tape;
        _depth = depth;
        _id = id;
    }

    /// <summary>Closes the scope.</summary>
    /// <remarks>Disposed on another thread (an <c>await</c> inside its <c>using</c> block), it throws, and the thread that
    /// opened it closes it the next time it opens or closes a scope, once the scopes opened above it since are closed.</remarks>
    /// <exception cref="InvalidOperationException">Disposed twice, out of order, or on another thread.</exception>
    public void Dispose() => _tape?.CloseScope(_depth, _id);

    /// <summary>
    /// Closes the scope an AD entry point opened around a user's function, after <see cref="ThrowIfCallLeftScopesOpen"/>
    /// has checked, as soon as the function returned, that it left none of its own open.
    /// </summary>
    internal void CloseAfterCall() => _tape?.CloseScope(_depth, _id);

    /// <summary>
    /// Checked as soon as the user's function has returned: if it left scopes of its own open (a
    /// <see cref="Tape.NoGrad"/> not disposed), they are closed with this one, so the thread's tape is usable again, and
    /// the call throws, naming <paramref name="caller"/>, before anything is swept or written into a caller's buffer: a
    /// result computed with recording turned off part-way is not one.
    /// </summary>
    /// <exception cref="InvalidOperationException">The function left scopes open.</exception>
    internal void ThrowIfCallLeftScopesOpen(string caller) => _tape?.ThrowIfCallLeftScopesOpen(_depth, _id, caller);

    /// <summary>Closes this scope and any left open inside it, without complaint: for cleanup while an exception propagates.</summary>
    internal void Unwind() => _tape?.UnwindTo(_depth - 1);
}
