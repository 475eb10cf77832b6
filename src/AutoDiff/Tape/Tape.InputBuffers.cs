namespace AutoDiff;

public sealed partial class Tape
{
    // One cached array per tape for AD.ValueAndGrad(f, x, gradient), the allocation-free overload: it hands f a Var[] of
    // exactly x.Length, and a gradient loop asks for the same length every time. A nested call finds the cache taken and
    // allocates its own. The array is valid only during the call (that overload's documentation says so); every other
    // entry point allocates the array it hands f, so one that f keeps is never refilled by a later call.
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
        // Not cleared on purpose: until the next call refills it, a Var of it that f kept throws when used (its scope
        // ended), whereas a cleared one would be a silent constant 0.
        _inputBuffer = buffer;
    }
}
