using System;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// The oracle for the pairing of f(z) and f(−z) and for the sweep's negation folds: a recording in which every op runs its
/// own loops, forward and backward, as the tape records and sweeps with both turned off (<see cref="Tape.PairsReflections"/>,
/// <see cref="Tape.FoldsNegations"/>).
/// </summary>
internal static class SeparateLoops
{
    /// <summary><see cref="AD.ValueAndGrad(Func{Tensor[], Tensor}, Tensor[])"/> on this thread's tape, no f(−z) computed ahead and no negation folded.</summary>
    public static (double Value, Tensor[] Gradients) ValueAndGrad(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var tape = AutoDiff.Tape.Current;
        bool pairs = tape.PairsReflections, folds = tape.FoldsNegations;
        tape.PairsReflections = false;
        tape.FoldsNegations = false;
        try
        {
            return AD.ValueAndGrad(f, inputs);
        }
        finally
        {
            tape.PairsReflections = pairs;
            tape.FoldsNegations = folds;
        }
    }
}
