using System;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// The oracle for the pairing of f(z) and f(−z): a recording in which every op runs its own loop, as the tape records
/// with the pairing turned off (<see cref="Tape.PairsReflections"/>).
/// </summary>
internal static class SeparateLoops
{
    /// <summary><see cref="AD.ValueAndGrad(Func{Tensor[], Tensor}, Tensor[])"/> on this thread's tape, no f(−z) computed ahead.</summary>
    public static (double Value, Tensor[] Gradients) ValueAndGrad(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var tape = AutoDiff.Tape.Current;
        bool pairs = tape.PairsReflections;
        tape.PairsReflections = false;
        try
        {
            return AD.ValueAndGrad(f, inputs);
        }
        finally
        {
            tape.PairsReflections = pairs;
        }
    }
}
