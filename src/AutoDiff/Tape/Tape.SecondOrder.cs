using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoDiff;

// Second order, forward over reverse (Stan's fvar<var>, JAX's jvp of grad). While a Hessian is computed every node also
// carries its tangent ẋ along a direction v, and every edge the tangent ṗ of its partial, both computed in the forward
// pass by the operation's ISecondOrderRule. One reverse sweep then carries two adjoints per node, ā = ∂y/∂x and
// ȧ = d(∂y/∂x)/dt, by the product rule on ā_in += p · ā_owner:
//     ȧ_in += p · ȧ_owner + ṗ · ā_owner,
// which leaves ∇f in ā and the Hessian-vector product H·v in ȧ of the leaves. The arrays exist only once a Hessian has
// been asked for, and the fast paths never look at them: tracking tangents sends every operation to the slow path.
public sealed partial class Tape
{
    private double[]? _tangents;
    private double[]? _adjointTangents;
    private double[]? _partialTangents;

    // Where the innermost tangent scope began: nodes and edges below it belong to enclosing scopes, are constants to the
    // Hessian (tangent 0), and are not swept.
    private int _tangentEdgeMark;
    private int _tangentRecordMark;

    // Zeros standing in for the tangents of constant tensors; never written.
    private double[] _zeros = [];

    /// <summary>Opens a scope that records with tangents: the recording of a Hessian-vector product.</summary>
    internal TapeScope OpenTangentScope()
    {
        if ((_mode & Mode.Tangents) != 0)
        {
            throw new NotSupportedException(
                "A Hessian was asked for inside the function of another Hessian: third and higher derivatives are not supported.");
        }

        if (_tangents is null)
        {
            _tangents = new double[_adjoints.Length];
            _adjointTangents = new double[_adjoints.Length];
            _partialTangents = new double[_edges.Length];
        }

        // Vars of enclosing scopes that f captures do not move with the direction.
        Array.Clear(_tangents, 0, _count);
        _tangentEdgeMark = _edgeCount;
        _tangentRecordMark = _recordCount;
        return OpenScope(Mode.Tangents);
    }

    /// <summary>Sets the tangent ẋ of a leaf recorded in a tangent scope: the direction's coordinate.</summary>
    internal void SetTangent(Var leaf, double tangent) => _tangents![leaf.Index] = tangent;

    /// <summary>Sets the tangents of a leaf tensor recorded in a tangent scope: the direction.</summary>
    internal void SetTangents(Tensor leaf, ReadOnlySpan<double> tangents) => tangents.CopyTo(_tangents.AsSpan(leaf.Node, leaf.Size));

    /// <summary>Copies a leaf tensor's adjoint tangents (its part of H·v) after <see cref="BackwardWithTangents"/>.</summary>
    internal void CopyAdjointTangents(Tensor leaf, Span<double> destination) => _adjointTangents.AsSpan(leaf.Node, leaf.Size).CopyTo(destination);

    private void GrowTangentStorage()
    {
        if (_tangents is null)
        {
            return;
        }

        if (_tangents.Length < _adjoints.Length)
        {
            Array.Resize(ref _tangents, _adjoints.Length);
            Array.Resize(ref _adjointTangents, _adjoints.Length);
        }

        if (_partialTangents!.Length < _edges.Length)
        {
            Array.Resize(ref _partialTangents, _edges.Length);
        }
    }

    // The forward half for one node: ẏ = Σ pᵢ ẋᵢ, and ṗᵢ from the rule, written beside the edges [first, _edgeCount).
    private void RecordTangents<TRule>(string op, double result, ReadOnlySpan<Var> inputs, int first, in TRule rule)
        where TRule : struct, ISecondOrderRule
    {
        var tangents = _tangents!;
        double resultTangent = 0.0;
        for (int e = first; e < _edgeCount; e++)
        {
            resultTangent += _edges[e].Partial * tangents[_edges[e].Input];
        }

        tangents[_count] = resultTangent;
        if (typeof(TRule) == typeof(NoSecondOrderRule))
        {
            _edgeCount = first;
            throw new NotSupportedException(
                $"{op} has no second-order rule, so a Hessian cannot pass through it. Declare it as a [Differentiable] function "
                + "(the generator writes the rule), or record it with a Tape.Unary/Binary/Nary overload that takes an ISecondOrderRule.");
        }

        int n = inputs.Length;
        double[]? rented = n > 16 ? ArrayPool<double>.Shared.Rent(3 * n) : null;
        Span<double> scratch = rented is null ? stackalloc double[3 * n] : rented.AsSpan(0, 3 * n);
        Span<double> values = scratch[..n], inputTangents = scratch.Slice(n, n), partialTangents = scratch.Slice(2 * n, n);
        for (int i = 0; i < n; i++)
        {
            values[i] = inputs[i].Value;
            inputTangents[i] = inputs[i].IsConstant ? 0.0 : tangents[inputs[i].Index];
        }

        partialTangents.Clear();
        try
        {
            rule.PartialTangents(values, inputTangents, result, resultTangent, partialTangents);
        }
        catch
        {
            _edgeCount = first;
            throw;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }

        // Edges were appended for the variable inputs only, in input order.
        int edge = first;
        for (int i = 0; i < n && edge < _edgeCount; i++)
        {
            if (!inputs[i].IsConstant)
            {
                _partialTangents![edge++] = partialTangents[i];
            }
        }
    }

    /// <summary>
    /// The reverse sweep with tangents from <paramref name="y"/>, which must have been recorded in a tangent scope: afterwards
    /// the adjoints hold ∂y/∂x and the adjoint tangents d(∂y/∂x)/dt, i.e. (H·v) at the leaves.
    /// </summary>
    internal void BackwardWithTangents(Var y)
    {
        RequireVariable(y, "A Hessian was asked of");
        Array.Clear(_adjoints, 0, _count);
        Array.Clear(_adjointTangents!, 0, _count);
        _adjoints[y.Index] = 1.0;

        int end = _edgeCount;
        while (end > 0 && _edges[end - 1].Owner > y.Index)
        {
            end--;
        }

        int r = _recordCount - 1;
        while (r >= _tangentRecordMark && _records[r].Output.Node > y.Index)
        {
            r--;
        }

        while (true)
        {
            int stop = r >= _tangentRecordMark ? _records[r].EdgeMark : _tangentEdgeMark;
            SweepEdgesWithTangents(end, stop);
            if (r < _tangentRecordMark)
            {
                break;
            }

            // A tensor record: its rule once on the adjoints, once on the adjoint tangents (the rule is linear in the
            // output's adjoint, and reads the saved values), then the term of the rule's own change along the direction.
            ref readonly var record = ref _records[r];
            record.Backward(this, in record);
            (_adjoints, _adjointTangents) = (_adjointTangents!, _adjoints);
            try
            {
                record.Backward(this, in record);
            }
            finally
            {
                (_adjoints, _adjointTangents) = (_adjointTangents!, _adjoints);
            }

            record.SecondOrder!.Correction(this, in record);
            end = stop;
            r--;
        }

        _sweptNodes = _count;
    }

    private void SweepEdgesWithTangents(int end, int stop)
    {
        ref double adjoints = ref MemoryMarshal.GetArrayDataReference(_adjoints);
        ref double adjointTangents = ref MemoryMarshal.GetArrayDataReference(_adjointTangents!);
        ref double partialTangents = ref MemoryMarshal.GetArrayDataReference(_partialTangents!);
        ref var edges = ref MemoryMarshal.GetArrayDataReference(_edges);
        for (int e = end - 1; e >= stop; e--)
        {
            ref var edge = ref Unsafe.Add(ref edges, e);
            double adjoint = Unsafe.Add(ref adjoints, edge.Owner);
            double adjointTangent = Unsafe.Add(ref adjointTangents, edge.Owner);

            // As in the first-order sweep, a zero factor contributes nothing even when the partial is ±∞ or NaN.
            if (adjoint != 0.0)
            {
                Unsafe.Add(ref adjoints, edge.Input) += edge.Partial * adjoint;
                Unsafe.Add(ref adjointTangents, edge.Input) += Unsafe.Add(ref partialTangents, e) * adjoint;
            }

            if (adjointTangent != 0.0)
            {
                Unsafe.Add(ref adjointTangents, edge.Input) += edge.Partial * adjointTangent;
            }
        }
    }

    /// <summary>Whether operations now also record tangents (inside a Hessian).</summary>
    internal bool TracksTangents => (_mode & Mode.Tangents) != 0;

    /// <summary>The tangents ẋ of a tensor's elements: zeros for a constant.</summary>
    internal ReadOnlySpan<double> TangentOf(Tensor x)
    {
        if (!x.IsConstant)
        {
            return _tangents.AsSpan(x.Node, x.Size);
        }

        if (_zeros.Length < x.Size)
        {
            _zeros = new double[Math.Max(x.Size, 2 * _zeros.Length)];
        }

        return _zeros.AsSpan(0, x.Size);
    }

    /// <summary>Where a tensor operation writes its output's tangent (its JVP).</summary>
    internal Span<double> OutputTangent(Tensor y) => _tangents.AsSpan(y.Node, y.Size);

    /// <summary>The adjoint tangents ȧ of every node, during a sweep with tangents.</summary>
    internal Span<double> AdjointTangents => _adjointTangents.AsSpan(0, _count);

    /// <summary>d(∂y/∂x)/dt after <see cref="BackwardWithTangents"/>: the coordinate of H·v at leaf <paramref name="x"/>.</summary>
    internal double AdjointTangentOf(Var x) => _adjointTangents![x.Index];
}
