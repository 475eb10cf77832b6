using System;

namespace AutoDiff;

public static partial class AD
{
    /// <summary>∇f(x₀, x₁, …): the gradient of a scalar-valued function of tensors, one tensor per argument, shaped like it.</summary>
    /// <param name="f">The function; it must return a tensor with one element.</param>
    /// <param name="x">The point: one tensor per argument of <paramref name="f"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="f"/> returned a tensor with more than one element.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="f"/> returned null.</exception>
    /// <exception cref="NotSupportedException">An input is a variable of a recording in progress on this thread: the result would be a constant to it (use AD.Hessian for second derivatives, or pass x.Detach()).</exception>
    public static Tensor[] Grad(Func<Tensor[], Tensor> f, params Tensor[] x) => TensorValueAndGrad("AD.Grad", f, x).Gradients;

    /// <summary>f(x) and ∇f(x) for a scalar-valued function of tensors.</summary>
    /// <param name="f">The function; it must return a tensor with one element.</param>
    /// <param name="x">The point: one tensor per argument of <paramref name="f"/>.</param>
    /// <returns>The value and one gradient tensor per argument, shaped like it (new constant tensors).</returns>
    /// <exception cref="ArgumentException"><paramref name="f"/> returned a tensor with more than one element.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="f"/> returned null.</exception>
    /// <exception cref="NotSupportedException">An input is a variable of a recording in progress on this thread: the result would be a constant to it (use AD.Hessian for second derivatives, or pass x.Detach()).</exception>
    public static (double Value, Tensor[] Gradients) ValueAndGrad(Func<Tensor[], Tensor> f, params Tensor[] x) =>
        TensorValueAndGrad("AD.ValueAndGrad", f, x);

    /// <summary>
    /// f(x) and ∇f(x) written into arrays the caller owns, row-major like each argument: what a training loop calls, since
    /// it allocates no gradient per call (the other forms return new tensors, a 1.6 MB array per call for W3's weights).
    /// </summary>
    /// <param name="f">The function; it must return a tensor with one element.</param>
    /// <param name="x">The point: one tensor per argument of <paramref name="f"/>.</param>
    /// <param name="gradients">Receives ∂f/∂x[i] in <c>gradients[i]</c>, whose length must be <c>x[i].Size</c>; one array per argument.</param>
    /// <returns>f(x).</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="gradients"/> does not hold one array per argument of the argument's size (the message names the
    /// sizes); or <paramref name="f"/> returned a tensor with more than one element. The arrays are then left as they were,
    /// as whenever the call throws.
    /// </exception>
    /// <exception cref="InvalidOperationException"><paramref name="f"/> returned null.</exception>
    /// <exception cref="NotSupportedException">An input is a variable of a recording in progress on this thread.</exception>
    public static double ValueAndGrad(Func<Tensor[], Tensor> f, Tensor[] x, double[][] gradients)
    {
        ArgumentNullException.ThrowIfNull(x);
        foreach (var argument in x)
        {
            ArgumentNullException.ThrowIfNull(argument, nameof(x));
        }

        GradientArrays.Require("AD.ValueAndGrad", gradients, x);
        return TensorValueAndGrad("AD.ValueAndGrad", f, x, gradients).Value;
    }

    // Every entry point; every message names the one called (caller). With arrays to write into, the gradients go there
    // (after the sweep, so a call that throws leaves them as they were) and no tensors are returned.
    private static (double Value, Tensor[] Gradients) TensorValueAndGrad(string caller, Func<Tensor[], Tensor> f, Tensor[] x, double[][]? into = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        RefuseOuterVariables(caller, x);
        var tape = Tape.Current;
        var scope = tape.OpenScope();
        (double Value, Tensor[] Gradients) result;
        try
        {
            // f gets an array of its own, as it may write into the array it is handed; the gradients are the leaves'. Both
            // are filled here: a copy, by Array.Clone (a call into the runtime) or a span's ToArray (a bulk move with write
            // barriers), cost 30–40 of the 200 ns a gradient of Sum(x) takes.
            var leaves = new Tensor[x.Length];
            var arguments = new Tensor[x.Length];
            for (int i = 0; i < leaves.Length; i++)
            {
                ArgumentNullException.ThrowIfNull(x[i], nameof(x));
                leaves[i] = arguments[i] = tape.TensorLeafOver(x[i]);
            }

            var y = f(arguments) ?? throw new InvalidOperationException(
                $"{caller}: f returned null; it must return a tensor with one element.");
            scope.ThrowIfCallLeftScopesOpen(caller); // before sweeping, as every entry point
            if (y.Size != 1)
            {
                throw new ArgumentException(
                    $"{caller} needs a function with one output value; f returned a tensor of shape {TensorShape.Format(y.ShapeUnsafe)}. "
                    + "Reduce it (Ops.Sum, Ops.Mean) first.", nameof(f));
            }

            double value = y.Item();
            SweepFrom(tape, y);
            var gradients = into is null ? new Tensor[leaves.Length] : [];
            for (int i = 0; i < leaves.Length; i++)
            {
                if (into is null)
                {
                    gradients[i] = GradientTensor(tape, y, leaves[i]);
                }
                else
                {
                    GradientOf(tape, y, leaves[i], into[i]);
                }
            }

            result = (value, gradients);
        }
        catch
        {
            scope.Unwind();
            throw;
        }

        scope.CloseAfterCall();
        return result;
    }

    /// <summary>The reverse sweep from y, unless y is a constant (f does not depend on its inputs: its gradients are 0, as in JAX).</summary>
    internal static void SweepFrom(Tape tape, Tensor y)
    {
        if (!y.IsConstant)
        {
            tape.Backward((Var)y);
        }
    }

    /// <summary>∂y/∂leaf into <paramref name="gradient"/>, after <see cref="SweepFrom"/>: zeros when y is a constant.</summary>
    internal static void GradientOf(Tape tape, Tensor y, Tensor leaf, Span<double> gradient)
    {
        if (y.IsConstant)
        {
            gradient.Clear();
        }
        else
        {
            tape.CopyGradient(leaf, gradient);
        }
    }

    /// <summary>∂y/∂leaf as a new constant tensor that shares the leaf's (never written) shape array.</summary>
    internal static Tensor GradientTensor(Tape tape, Tensor y, Tensor leaf)
    {
        // Every element is written below; zeroing first was a pass of its own over W3's 1.6 MB ∂J/∂W.
        var gradient = GC.AllocateUninitializedArray<double>(leaf.Size);
        GradientOf(tape, y, leaf, gradient);
        return Tensor.Constant(gradient, leaf.ShapeUnsafe);
    }
}
