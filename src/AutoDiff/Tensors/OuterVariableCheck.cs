using System;

namespace AutoDiff;

public static partial class AD
{
    /// <summary>
    /// Refuses an input that is a variable of a recording in progress on this thread. An AD call's result is a constant
    /// to any outer recording (this engine does not differentiate through its own AD calls), so the outer derivative
    /// through it would silently be 0 — where JAX's <c>jacfwd(grad(f))</c> gives the Hessian and PyTorch raises. Second
    /// derivatives come from <see cref="Hessian(Func{Tensor, Tensor}, Tensor)"/> and <see cref="HessianVectorProduct(Func{Tensor, Tensor}, Tensor, Tensor)"/>;
    /// a constant is meant when the input is passed as <see cref="Tensor.Detach"/>.
    /// </summary>
    internal static void RefuseOuterVariables(string call, Tensor[] x)
    {
        var tape = Tape.Current;
        for (int i = 0; i < x.Length; i++)
        {
            // Another tape's tensor (one that escaped a compiled function, another thread's) and a tensor of an ended
            // scope are refused further on with messages of their own (Records throws those); only a live variable of
            // this tape's recording is the case here (Records is false under NoGrad).
            if (x[i] is { } variable && variable.Tape == tape && tape.Records(variable))
            {
                throw new NotSupportedException(
                    $"{call}: input {i} (shape {TensorShape.Format(variable.ShapeUnsafe)}) is a variable of a recording in progress (an outer AD call or "
                    + "Tape.Scope). What this call returns would be a constant to that recording, so a derivative through it would be 0, not the "
                    + "second derivative: use AD.Hessian or AD.HessianVectorProduct for second derivatives, or pass x.Detach() if a constant is meant.");
            }
        }
    }
}
