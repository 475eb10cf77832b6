using System;

namespace AutoDiff;

public static partial class AD
{
    /// <summary>
    /// The Jacobian ∂f/∂x of a tensor-valued function at <paramref name="x"/>: the matrix J with
    /// Jᵢⱼ = ∂f(x)ᵢ/∂xⱼ, where i runs over the output's elements and j over the input's, both in row-major order. Row i is
    /// the gradient of output element i.
    /// </summary>
    /// <remarks>
    /// <paramref name="f"/> is recorded once, in a fresh <see cref="Tape.Scope"/>; then one reverse sweep per output element
    /// seeds that element with 1 and reads the adjoints of x. The cost is therefore one forward pass and m reverse passes
    /// for m outputs: reverse mode suits wide Jacobians (few outputs, many inputs). The tensors <paramref name="f"/> sees
    /// are valid only during the call. A function whose output does not depend on x (a constant) has a zero Jacobian.
    /// </remarks>
    /// <param name="f">The function; it receives a leaf tensor shaped like <paramref name="x"/> and may return a tensor of
    /// any shape (a rank-0 tensor or a <see cref="Var"/> gives a 1 × n Jacobian: the gradient as a row).</param>
    /// <param name="x">The point.</param>
    /// <returns>A new constant matrix of shape [f(x).Size, x.Size].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> or <paramref name="x"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="f"/> returned null, or a tensor of an ended scope or of
    /// another thread's tape.</exception>
    /// <exception cref="NotSupportedException">An input is a variable of a recording in progress on this thread: the result would be a constant to it (use AD.Hessian for second derivatives, or pass x.Detach()).</exception>
    public static Tensor Jacobian(Func<Tensor, Tensor> f, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        RefuseOuterVariables("AD.Jacobian", [x]);
        _ = x.ReadValues(); // a tensor of an ended scope fails here, before a scope opens
        var tape = Tape.Current;
        var scope = tape.OpenScope();
        Tensor jacobian;
        try
        {
            var leaf = tape.TensorLeafOver(x);
            var y = f(leaf) ?? throw new InvalidOperationException(
                $"AD.Jacobian: f returned null for an input of shape {TensorShape.Format(x.ShapeUnsafe)}; it must return a tensor.");
            scope.ThrowIfCallLeftScopesOpen("AD.Jacobian"); // before sweeping, as every entry point
            var ys = y.ReadValues(); // a tensor of an ended scope fails here, naming its shape
            int m = y.Size, n = leaf.Size;
            var data = new double[m * (long)n > Array.MaxLength
                ? throw new InvalidOperationException(
                    $"AD.Jacobian: the Jacobian of an output of shape {TensorShape.Format(y.ShapeUnsafe)} with respect to an input of shape {TensorShape.Format(x.ShapeUnsafe)} has {(long)m * n} entries, more than an array can hold.")
                : m * n];

            // Records validates y (right tape, live scope); a constant output, or one recorded under NoGrad, depends on
            // nothing: its Jacobian is zero.
            if (tape.Records(y) && n > 0)
            {
                for (int i = 0; i < m; i++)
                {
                    tape.Backward(new Var(ys[i], y.Node + i, y.Stamp)); // clears every adjoint, seeds ∂yᵢ/∂yᵢ = 1
                    tape.CopyGradient(leaf, data.AsSpan(i * n, n)); // through the lazy bookkeeping: uniform or borrowed adjoints
                }
            }

            jacobian = Tensor.Constant(data, [m, n]);
        }
        catch
        {
            // Close whatever f left open too, so the exception that escapes is f's own, not a complaint about scopes.
            scope.Unwind();
            throw;
        }

        scope.CloseAfterCall();
        return jacobian;
    }
}
