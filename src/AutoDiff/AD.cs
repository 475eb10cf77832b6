using System;

namespace AutoDiff;

/// <summary>
/// The functional API, as JAX's <c>grad</c> and <c>value_and_grad</c>: give a function of <see cref="Var"/>s and a point,
/// get the value and the exact gradient there.
/// </summary>
/// <remarks>
/// Each call records <c>f</c> in a fresh <see cref="Tape.Scope"/> of this thread's tape and truncates the
/// tape afterwards, so the <see cref="Var"/>s that <c>f</c> sees are valid only during the call. Recording is on inside
/// the call even under <see cref="Tape.NoGrad"/>.
/// </remarks>
public static partial class AD
{
    /// <summary>∇f(x): the gradient of <paramref name="f"/> at <paramref name="x"/>.</summary>
    /// <param name="f">The function; it receives one leaf <see cref="Var"/> per coordinate of <paramref name="x"/>.</param>
    /// <param name="x">The point.</param>
    /// <returns>A new array with ∂f/∂xᵢ.</returns>
    public static double[] Grad(Func<Var[], Var> f, double[] x) => ValueAndGrad(f, x).Gradient;

    /// <summary>f(x) and ∇f(x) in one forward and one reverse pass.</summary>
    /// <param name="f">The function; it receives one leaf <see cref="Var"/> per coordinate of <paramref name="x"/>.</param>
    /// <param name="x">The point.</param>
    /// <returns>The value and a new array with the gradient.</returns>
    public static (double Value, double[] Gradient) ValueAndGrad(Func<Var[], Var> f, double[] x)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        var gradient = new double[x.Length];
        double value = Record(f, x, gradient, 0, default, default, reuseInputs: false);
        return (value, gradient);
    }

    /// <summary>
    /// f(x) and ∇f(x), with the gradient written into <paramref name="gradient"/>: nothing is allocated once this thread's
    /// tape has grown to the size of <paramref name="f"/>'s graph.
    /// </summary>
    /// <remarks>
    /// To allocate nothing, this overload hands <paramref name="f"/> the same <see cref="Var"/> array on every call of
    /// the thread (of the same length): the array is valid only while <paramref name="f"/> runs, like a rented buffer.
    /// A function that keeps it for later must keep a copy (<c>(Var[])v.Clone()</c>, whose entries then throw when used
    /// after the call, as any <see cref="Var"/> of an ended scope); the other overloads hand each call a new array.
    /// </remarks>
    /// <param name="f">The function; it receives one leaf <see cref="Var"/> per coordinate of <paramref name="x"/>.</param>
    /// <param name="x">The point.</param>
    /// <param name="gradient">Receives ∂f/∂xᵢ; its length must equal <paramref name="x"/>'s.</param>
    /// <returns>f(x).</returns>
    /// <exception cref="ArgumentException"><paramref name="gradient"/> has the wrong length.</exception>
    /// <exception cref="InvalidOperationException">
    /// <paramref name="f"/> left a tape scope open (they are closed); <paramref name="gradient"/> is then left as it was, as
    /// whenever the call throws.
    /// </exception>
    public static double ValueAndGrad(Func<Var[], Var> f, ReadOnlySpan<double> x, Span<double> gradient)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (gradient.Length != x.Length)
        {
            throw new ArgumentException(
                $"ValueAndGrad: the gradient buffer has length {gradient.Length} but x has length {x.Length}; they must be equal.",
                nameof(gradient));
        }

        return Record(f, x, gradient, 0, default, default, reuseInputs: true);
    }

    // One recording of f on fresh leaves and one reverse sweep. With lanes > 0 the recording carries that many tangent
    // directions (directions[lane · n + i]) and the sweep also leaves H·direction in products[lane · n + i]
    // (AD.Hessian, AD.HessianVectorProduct); with none, it is the plain gradient. reuseInputs: f gets this thread's
    // cached Var array (the allocation-free overload, whose documentation says so) rather than a new one. firstDirection:
    // the Hessian's column that lane 0 is (CheckFinite names directions by column).
    private static double Record(
        Func<Var[], Var> f, ReadOnlySpan<double> x, Span<double> gradient, int lanes, ReadOnlySpan<double> directions, Span<double> products,
        bool reuseInputs = false, int firstDirection = 0)
    {
        ArgumentNullException.ThrowIfNull(f);
        bool tangents = lanes > 0;
        string caller = tangents ? "AD.Hessian" : "AD.ValueAndGrad";
        int n = x.Length;
        var tape = Tape.Current;
        var scope = tangents ? tape.OpenTangentScope(lanes, firstDirection) : tape.OpenScope();
        var inputs = reuseInputs ? tape.RentInputs(x.Length) : (x.Length == 0 ? [] : new Var[x.Length]);
        double value;
        try
        {
            for (int i = 0; i < x.Length; i++)
            {
                inputs[i] = tape.Leaf(x[i]);
                for (int lane = 0; lane < lanes; lane++)
                {
                    tape.SetTangent(inputs[i], lane, directions[lane * n + i]);
                }
            }

            int firstLeaf = x.Length > 0 ? inputs[0].Index : 0, leafStamp = x.Length > 0 ? inputs[0].Stamp : 0;
            var y = f(inputs);

            // Before the sweep and before the caller's gradient buffer is written: a call that throws leaves it as it was.
            scope.ThrowIfCallLeftScopesOpen(caller);
            RestoreLeaves(inputs, x, firstLeaf, leafStamp);
            value = y.Value;
            if (y.IsConstant)
            {
                // f does not depend on its inputs (JAX's answer too: a zero gradient, not an error).
                gradient.Clear();
                products.Clear();
            }
            else
            {
                if (tangents)
                {
                    tape.BackwardWithTangents(y);
                }
                else
                {
                    tape.Backward(y);
                }

                for (int i = 0; i < x.Length; i++)
                {
                    gradient[i] = tape.GradientOf(inputs[i]);
                    for (int lane = 0; lane < lanes; lane++)
                    {
                        products[lane * n + i] = tape.AdjointTangentOf(inputs[i], lane);
                    }
                }
            }
        }
        catch
        {
            // Close whatever f left open too, so the exception that escapes is f's own, not a complaint about scopes.
            scope.Unwind();
            throw;
        }
        finally
        {
            if (reuseInputs)
            {
                tape.ReturnInputs(inputs);
            }
        }

        scope.CloseAfterCall();
        return value;
    }

    // f may write into the array it was handed (v[0] = v[0] * 2, a normalisation); the gradient is still with respect to
    // the leaves, which were recorded as consecutive nodes of one scope, so they are put back before it is read.
    private static void RestoreLeaves(Var[] inputs, ReadOnlySpan<double> x, int first, int stamp)
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i].Index != first + i || inputs[i].Stamp != stamp)
            {
                inputs[i] = new Var(x[i], first + i, stamp);
            }
        }
    }
}
