using System;

namespace AutoDiff;

/// <summary>
/// A scope on a thread's <see cref="Tape"/>, from <see cref="Tape.Scope"/>. Disposing it truncates the tape back to
/// where it was when the scope opened.
/// </summary>
public readonly struct TapeScope : IDisposable
{
    private readonly Tape? _tape;
    private readonly int _depth;
    private readonly int _stamp;

    internal TapeScope(Tape tape, int depth, int stamp)
    {
        _tape = tape;
        _depth = depth;
        _stamp = stamp;
    }

    /// <summary>Truncates the tape to the scope's start; every <see cref="Var"/> recorded inside becomes invalid.</summary>
    /// <exception cref="InvalidOperationException">Disposed twice, out of order, or on another thread.</exception>
    public void Dispose() => _tape?.CloseScope(_depth, _stamp);
}
