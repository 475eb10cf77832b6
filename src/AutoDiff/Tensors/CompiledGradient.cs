using System;
using System.Collections.Generic;

namespace AutoDiff;

/// <summary>
/// A function of tensors and its gradient, compiled by <see cref="AD.Compile"/>: its trace — the tensor operations of one
/// call — replayed with new inputs. The trace lives on a tape of its own, with its own memory, until this object is collected.
/// </summary>
public sealed class CompiledGradient
{
    private readonly Tape _tape = Tape.CreatePrivate();
    private readonly Tensor[] _leaves;
    private readonly Tensor _output;
    private readonly object _gate = new();

    internal CompiledGradient(Func<Tensor[], Tensor> f, Tensor[] example)
    {
        Tape.Current.ThrowIfTracing("compiled another function inside it (AD.Compile reads its example's values)");
        var shapes = new int[example.Length][];
        var values = new double[example.Length][];
        for (int i = 0; i < example.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(example[i], nameof(example));
            shapes[i] = example[i].Shape;
            values[i] = example[i].ReadValues().ToArray();
        }

        (_leaves, _output) = Tape.Trace(_tape, () =>
        {
            var leaves = new Tensor[example.Length];
            for (int i = 0; i < leaves.Length; i++)
            {
                leaves[i] = _tape.TensorLeaf(values[i], shapes[i]);
            }

            // A copy for f, which may write into the array it is handed; the replays write into the leaves.
            return (leaves, f((Tensor[])leaves.Clone()));
        });

        if (_output is null)
        {
            throw new ArgumentException("AD.Compile: f returned null; it must return a tensor with one element.", nameof(f));
        }

        if (_output.Size != 1)
        {
            throw new ArgumentException(
                $"AD.Compile needs a function with one output value; f returned a tensor of shape {TensorShape.Format(_output.ShapeUnsafe)}. "
                + "Reduce it (Ops.Sum, Ops.Mean) first.", nameof(f));
        }

        if (!_output.IsConstant && _output.Tape != _tape)
        {
            throw new ArgumentException(
                "AD.Compile: f returned a tensor that it did not compute from its arguments (one recorded outside it), which a replay cannot update.", nameof(f));
        }

        _tape.RequireReplayable();
        _tape.SealTrace();
        ReflectedPairCount = _tape.FuseReflectedPairs(_output);
        InputShapes = Array.AsReadOnly(Array.ConvertAll(shapes, shape => (IReadOnlyList<int>)Array.AsReadOnly((int[])shape.Clone())));
    }

    /// <summary>The shapes of the inputs, those of the example it was compiled for (read-only copies).</summary>
    public IReadOnlyList<IReadOnlyList<int>> InputShapes { get; }

    /// <summary>How many pairs f(z), f(−z) the trace computes in one pass each (<see cref="ReflectedPairs"/>): what tests read.</summary>
    internal int ReflectedPairCount { get; }

    /// <summary>f(x) and ∇f(x), replaying the trace with the inputs <paramref name="x"/>.</summary>
    /// <param name="x">One tensor per argument, each of the shape the function was compiled for.</param>
    /// <returns>The value and one gradient tensor per argument, shaped like it (new constant tensors).</returns>
    /// <exception cref="ArgumentException">The number of inputs or a shape differs from the example's.</exception>
    /// <exception cref="NotSupportedException">An input is a variable of a recording in progress on this thread: the result would be a constant to it (use AD.Hessian for second derivatives, or pass x.Detach()).</exception>
    public (double Value, Tensor[] Gradients) ValueAndGrad(params Tensor[] x) => ValueAndGrad("CompiledGradient.ValueAndGrad", x);

    // Both tensor-returning entry points; the refusal names the one called (caller).
    private (double Value, Tensor[] Gradients) ValueAndGrad(string caller, Tensor[] x)
    {
        RequireInputs(x);
        AD.RefuseOuterVariables(caller, x);
        lock (_gate)
        {
            _tape.BeginReplay();
            try
            {
                double value = Replay(x);
                var gradients = new Tensor[_leaves.Length];
                for (int i = 0; i < gradients.Length; i++)
                {
                    gradients[i] = AD.GradientTensor(_tape, _output, _leaves[i]);
                }

                return (value, gradients);
            }
            finally
            {
                _tape.EndReplay();
            }
        }
    }

    /// <summary>
    /// f(x), with ∂f/∂xᵢ written row-major into <paramref name="gradients"/>[i]: nothing is allocated, for loops that call
    /// it many times (an optimizer's steps).
    /// </summary>
    /// <param name="x">One tensor per argument, each of the shape the function was compiled for.</param>
    /// <param name="gradients">One array per argument, each as long as that argument has elements.</param>
    /// <returns>f(x).</returns>
    /// <exception cref="ArgumentException">The number of inputs, a shape, the number of gradient arrays or a length differs from the example's, or a gradient array is null (the message names both sizes).</exception>
    public double ValueAndGrad(Tensor[] x, double[][] gradients)
    {
        RequireInputs(x);
        GradientArrays.Require("CompiledGradient.ValueAndGrad", gradients, _leaves);

        lock (_gate)
        {
            _tape.BeginReplay();
            try
            {
                double value = Replay(x);
                for (int i = 0; i < gradients.Length; i++)
                {
                    AD.GradientOf(_tape, _output, _leaves[i], gradients[i]);
                }

                return value;
            }
            finally
            {
                _tape.EndReplay();
            }
        }
    }

    // Under the lock: the inputs into the leaves, every forward rule, the sweep; f(x).
    private double Replay(Tensor[] x)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i].ReadValues().CopyTo(_leaves[i].Data);
        }

        _tape.ReplayForward();
        AD.SweepFrom(_tape, _output);
        return _output.Data[0];
    }

    private void RequireInputs(Tensor[] x)
    {
        ArgumentNullException.ThrowIfNull(x);

        // Inside a function being traced, the call's result would be a number of the first call: a constant of the trace.
        Tape.Current.ThrowIfTracing("called a compiled gradient (its result would be frozen)");
        if (x.Length != _leaves.Length)
        {
            throw new ArgumentException($"CompiledGradient: {x.Length} inputs given, but the function was compiled for {_leaves.Length}.", nameof(x));
        }

        for (int i = 0; i < x.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(x[i], nameof(x));

            // A tensor of this trace that escaped it: the replay would read it while rewriting it (its reads are allowed
            // during replays), so it is refused here, as everywhere else outside the function.
            if (x[i].Tape == _tape)
            {
                x[i].ReadValues();
            }

            if (!TensorShape.SameShape(x[i].ShapeUnsafe, _leaves[i].ShapeUnsafe))
            {
                throw new ArgumentException(
                    $"CompiledGradient: input {i} has shape {TensorShape.Format(x[i].ShapeUnsafe)}, but the function was compiled for shape "
                    + $"{TensorShape.Format(_leaves[i].ShapeUnsafe)}. Compile it again for new shapes.", nameof(x));
            }
        }
    }

    /// <summary>∇f(x), replaying the trace with the inputs <paramref name="x"/>: <see cref="ValueAndGrad(Tensor[])"/>'s gradients.</summary>
    /// <exception cref="ArgumentException">The number of inputs or a shape differs from the example's.</exception>
    public Tensor[] Grad(params Tensor[] x) => ValueAndGrad("CompiledGradient.Grad", x).Gradients;
}
