using System;

namespace AutoDiff;

/// <summary>A region in which every operation is checked for NaN and ±∞, from <see cref="Tape.CheckFinite"/>.</summary>
public readonly struct NonFiniteCheckScope : IDisposable
{
    private readonly Tape? _tape;
    private readonly bool _previous;

    internal NonFiniteCheckScope(Tape tape, bool checking)
    {
        _tape = tape;
        _previous = tape.SetCheckingFinite(checking);
    }

    /// <summary>Restores the checking state that held when the scope opened.</summary>
    public void Dispose() => _tape?.SetCheckingFinite(_previous);
}
