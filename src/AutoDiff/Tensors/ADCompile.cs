using System;

namespace AutoDiff;

public static partial class AD
{
    /// <summary>
    /// f and ∇f compiled for inputs of the example's shapes: f runs once, on the example, and its tensor operations are
    /// recorded; every later call replays them with new input values, forward and backward, into the same memory —
    /// JAX's <c>jit(value_and_grad(f))</c>, without a compiler. A replay skips what a call of <see cref="ValueAndGrad(Func{Tensor[], Tensor}, Tensor[])"/>
    /// spends per operation (creating tensors, checking shapes, recording), which is most of the time on small tensors.
    /// </summary>
    /// <param name="f">
    /// The function, returning a tensor with one element. It must compute with tensor operations only, and its operations
    /// must not depend on its inputs' values: no <see cref="Tensor.Item"/>, <see cref="Tensor.ToArray"/>, conversions
    /// between its tensors and variable Vars or scalar code on variable Vars, <see cref="Tensor.Detach"/>, <see cref="Tape.NoGrad"/>,
    /// scopes, nested AD calls or compiled gradients inside it (each throws while tracing; constant Vars, captured or
    /// computed inside it, are numbers like any other). What it reads from elsewhere — captured tensors and numbers, and
    /// <c>int[]</c> labels or row indices — is frozen at its first value, as in JAX: pass what changes as an argument
    /// (labels and indices as tensors of whole numbers, to <see cref="Ops.CrossEntropy(Tensor, Tensor, Reduction)"/> and
    /// <see cref="Ops.Rows(Tensor, Tensor)"/>). <see cref="Tape.CheckFinite"/> does not reach the replays.
    /// </param>
    /// <param name="example">The inputs of the trace; later calls take tensors of the same shapes.</param>
    /// <returns>The compiled function; calls on it are serialized (one replay at a time).</returns>
    /// <exception cref="ArgumentException"><paramref name="f"/> returned null, a tensor with more than one element, or one it did not compute.</exception>
    /// <exception cref="NotSupportedException"><paramref name="f"/> did something a replay cannot repeat; the message says what.</exception>
    public static CompiledGradient Compile(Func<Tensor[], Tensor> f, params Tensor[] example)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(example);
        return new CompiledGradient(f, example);
    }
}
