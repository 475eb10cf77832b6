using System;

namespace AutoDiff;

/// <summary>
/// A region in which this thread's tape records differently: nothing at all (<see cref="Tape.NoGrad"/>) or with every
/// operation checked for NaN and ±∞ (<see cref="Tape.CheckFinite"/>). Disposing it restores the previous state.
/// </summary>
public readonly struct TapeModeScope : IDisposable
{
    private readonly Tape? _tape;
    private readonly bool _isCheck;
    private readonly bool _previous;

    internal TapeModeScope(Tape tape, bool isCheck, bool on)
    {
        _tape = tape;
        _isCheck = isCheck;
        _previous = isCheck ? tape.SetCheckingFinite(on) : tape.SetRecording(on);
    }

    /// <summary>Restores the state that held when the scope opened.</summary>
    public void Dispose()
    {
        if (_tape is null)
        {
            return;
        }

        _ = _isCheck ? _tape.SetCheckingFinite(_previous) : _tape.SetRecording(_previous);
    }
}
