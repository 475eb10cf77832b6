using System;

namespace AutoDiff;

/// <summary>A region in which nothing is recorded, from <see cref="Tape.NoGrad"/>; disposing it restores recording.</summary>
public readonly struct NoGradScope : IDisposable
{
    private readonly Tape? _tape;
    private readonly bool _previous;

    internal NoGradScope(Tape tape, bool recording)
    {
        _tape = tape;
        _previous = tape.SetRecording(recording);
    }

    /// <summary>Restores the recording state that held when the scope opened.</summary>
    public void Dispose() => _tape?.SetRecording(_previous);
}
