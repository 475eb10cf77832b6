namespace AutoDiff;

public sealed partial class Tape
{
    // One cached array per tape: AD.Grad hands f a Var[] of exactly x.Length, and a gradient loop asks for the same
    // length every time. A nested AD.Grad finds the cache taken and allocates its own.
    private Var[]? _inputBuffer;

    internal Var[] RentInputs(int length)
    {
        var buffer = _inputBuffer;
        if (buffer is not null && buffer.Length == length)
        {
            _inputBuffer = null;
            return buffer;
        }

        return length == 0 ? [] : new Var[length];
    }

    internal void ReturnInputs(Var[] buffer)
    {
        // Not cleared on purpose: a stale handle kept by f throws when used (its scope ended), whereas a cleared one
        // would be a silent constant 0.
        _inputBuffer = buffer;
    }
}
