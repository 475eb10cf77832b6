using System;
using System.Buffers;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AutoDiff.Numerics;

namespace AutoDiff;

// Second order, forward over reverse (Stan's fvar<var>, JAX's jvp of grad). While a Hessian is computed every node also
// carries its tangents ẋ along k directions (lanes), and every edge the tangents ṗ of its partial, all computed in the
// forward pass by the operation's ISecondOrderRule. One reverse sweep then carries 1 + k adjoints per node, ā = ∂y/∂x and
// ȧ = d(∂y/∂x)/dt per lane, by the product rule on ā_in += p · ā_owner:
//     ȧ_in += p · ȧ_owner + ṗ · ā_owner,
// which leaves ∇f in ā and the Hessian-vector products H·v in ȧ of the leaves. A Hessian is k = n lanes of unit vectors
// in one recording (JAX's vmap over jvp), so f runs and the values are computed once, not n times. The arrays exist only
// once a Hessian has been asked for, and the fast paths never look at them: tracking tangents sends every operation to
// the slow path. Lanes are separate arrays, so a tensor rule runs on one lane's span exactly as on the adjoints.
public sealed partial class Tape
{
    private double[][] _tangents = [];
    private double[][] _adjointTangents = [];
    private double[][] _partialTangents = [];
    private int _lanes;

    // The Hessian's direction (column) that lane 0 carries: a Hessian of more than 16 inputs is recorded several times, each
    // with the next unit directions, and CheckFinite's messages name the direction, not the lane.
    private int _firstDirection;

    // Where the innermost tangent scope began: nodes and edges below it belong to enclosing scopes, are constants to the
    // Hessian (tangent 0), and are not swept.
    private int _tangentEdgeMark;
    private int _tangentRecordMark;

    // The first node of the innermost tangent scope: the adjoint tangents of nodes below it (Vars of enclosing scopes that
    // f captures) are no entry of H·v, and CheckFinite does not look at them.
    private int _tangentNodeMark;

    // Zeros standing in for the tangents of constant tensors; never written.
    private double[] _zeros = [];

    /// <summary>The number of directions carried while tangents are tracked.</summary>
    internal int TangentLanes => _lanes;

    /// <summary>Opens a scope that records with tangents along <paramref name="lanes"/> directions at once.</summary>
    internal TapeScope OpenTangentScope(int lanes, int firstDirection = 0)
    {
        // Before the marks below are taken: closing a scope abandoned on another thread truncates.
        CloseAbandonedScopes();
        if (TracksTangents)
        {
            throw new NotSupportedException(
                "A Hessian was asked for inside the function of another Hessian: third and higher derivatives are not supported.");
        }

        if (_tangents.Length < lanes)
        {
            Array.Resize(ref _tangents, lanes);
            Array.Resize(ref _adjointTangents, lanes);
            Array.Resize(ref _partialTangents, lanes);
        }

        GrowTangentStorage(lanes);
        for (int lane = 0; lane < lanes; lane++)
        {
            // Vars of enclosing scopes that f captures do not move with the direction.
            Array.Clear(_tangents[lane], 0, _count);
        }

        _lanes = lanes;
        _firstDirection = firstDirection;
        _tangentNodeMark = _count;
        _tangentEdgeMark = _edgeCount;
        _tangentRecordMark = _recordCount;
        return OpenScope(Mode.Tangents);
    }

    /// <summary>Sets the tangent ẋ of a leaf recorded in a tangent scope, in one lane: that direction's coordinate.</summary>
    internal void SetTangent(Var leaf, int lane, double tangent) => _tangents[lane][leaf.Index] = tangent;

    /// <summary>Sets one lane's tangents of a leaf tensor recorded in a tangent scope: that direction.</summary>
    internal void SetTangents(Tensor leaf, int lane, ReadOnlySpan<double> tangents) => tangents.CopyTo(_tangents[lane].AsSpan(leaf.Node, leaf.Size));

    /// <summary>Copies one lane of a leaf tensor's adjoint tangents (its part of H·v) after <see cref="BackwardWithTangents"/>.</summary>
    internal void CopyAdjointTangents(Tensor leaf, int lane, Span<double> destination) =>
        _adjointTangents[lane].AsSpan(leaf.Node, leaf.Size).CopyTo(destination);

    // A new node (leaf, tensor element) starts with tangent 0 in every lane.
    private void ClearTangents(int node, int count)
    {
        for (int lane = 0; lane < _lanes; lane++)
        {
            Array.Clear(_tangents[lane], node, count);
        }
    }

    // The per-lane arrays as long as the node and edge arrays: the first `lanes` lanes, allocated if new, and every lane
    // allocated before (when the tape grows).
    private void GrowTangentStorage(int lanes = 0)
    {
        for (int lane = 0; lane < _tangents.Length && (lane < lanes || _tangents[lane] is not null); lane++)
        {
            if (_tangents[lane] is null || _tangents[lane].Length < _adjoints.Length)
            {
                Array.Resize(ref _tangents[lane], _adjoints.Length);
                Array.Resize(ref _adjointTangents[lane], _adjoints.Length);
            }

            if (_partialTangents[lane] is null || _partialTangents[lane].Length < _edges.Length)
            {
                Array.Resize(ref _partialTangents[lane], _edges.Length);
            }
        }
    }

    // The forward half for one node, per lane: ẏ = Σ pᵢ ẋᵢ, and ṗᵢ from the rule, written beside the edges [first, _edgeCount).
    private void RecordTangents<TRule>(string op, double result, ReadOnlySpan<Var> inputs, int first, in TRule rule)
        where TRule : struct, ISecondOrderRule
    {
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
        }

        bool checking = IsCheckingFinite;
        try
        {
            for (int lane = 0; lane < _lanes; lane++)
            {
                var tangents = _tangents[lane];
                double resultTangent = 0.0;
                for (int e = first; e < _edgeCount; e++)
                {
                    // An input that does not move along this direction adds nothing, even where its partial is NaN or
                    // ±∞ (xᵖ's ∂/∂p at x < 0, √y's ∂/∂y at 0): the zero-adjoint rule of the sweep, for tangents.
                    double inputTangent = tangents[_edges[e].Input];
                    if (inputTangent != 0.0)
                    {
                        resultTangent += _edges[e].Partial * inputTangent;
                    }
                }

                tangents[_count] = resultTangent;
                for (int i = 0; i < n; i++)
                {
                    inputTangents[i] = inputs[i].IsConstant ? 0.0 : tangents[inputs[i].Index];
                }

                partialTangents.Clear();
                rule.PartialTangents(values, inputTangents, result, resultTangent, partialTangents);
                if (checking)
                {
                    ThrowIfTangentsNonFinite(op, _firstDirection + lane, values, inputTangents, resultTangent, partialTangents, inputs, first, in rule);
                }

                // Edges were appended for the variable inputs only, in input order.
                var edgeTangents = _partialTangents[lane];
                int edge = first;
                for (int i = 0; i < n && edge < _edgeCount; i++)
                {
                    if (!inputs[i].IsConstant)
                    {
                        edgeTangents[edge++] = partialTangents[i];
                    }
                }
            }
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
    }

    // Under CheckFinite, along the direction (the Hessian's column): the result's tangent or the derivative of a local
    // derivative is NaN or ±∞ while the inputs' tangents were finite (a NaN or ±∞ that came in was reported where it was
    // made). Its inputs' values and partials were checked already (EndNode checks them before it records tangents).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowIfTangentsNonFinite<TRule>(
        string op, int direction, ReadOnlySpan<double> values, ReadOnlySpan<double> inputTangents, double resultTangent, ReadOnlySpan<double> partialTangents,
        ReadOnlySpan<Var> inputs, int first, in TRule rule)
        where TRule : struct, ISecondOrderRule
    {
        // Only the variable inputs' partial tangents are recorded (on their edges); a constant input's is never used, even
        // when NaN or ±∞ (Pow(z, p) at a constant z = 0: its ∂/∂z = ∞ is not checked either).
        int badPartial = -1;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!inputs[i].IsConstant && !double.IsFinite(partialTangents[i]))
            {
                badPartial = i;
                break;
            }
        }

        if (double.IsFinite(resultTangent) && badPartial < 0 || !FiniteValues.All(inputTangents))
        {
            return;
        }

        string operands = string.Join(", ", values.ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        string moves = string.Join(", ", inputTangents.ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        int bad = double.IsFinite(resultTangent) ? badPartial : -1;
        double value = bad < 0 ? resultTangent : partialTangents[bad];
        string what = bad < 0
            ? "as the tangent of its result"
            : $"as the derivative of its local derivative for input {bad}";
        // Inputs and Partials as any forward-pass exception has them: the operands (doubles included) and the partials.
        throw NonFiniteValueException.InTangents(op, value, OperandValues(inputs, in rule, default), EdgePartials(first),
            $"{what} along direction {direction} of a Hessian's second-order pass, from input(s) ({operands}) moving at ({moves})");
    }

    /// <summary>
    /// The reverse sweep with tangents from <paramref name="y"/>, which must have been recorded in a tangent scope: afterwards
    /// the adjoints hold ∂y/∂x and each lane's adjoint tangents d(∂y/∂x)/dt, i.e. (H·v) at the leaves.
    /// </summary>
    internal void BackwardWithTangents(Var y)
    {
        RequireVariable(y, "A Hessian was asked of");
        for (int lane = 0; lane < _lanes; lane++)
        {
            Array.Clear(_adjointTangents[lane], 0, _count);
        }

        Sweep(y, _tangentRecordMark, _tangentEdgeMark, tangents: true);
    }

    /// <summary>Runs a record's backward rule on each lane's adjoint tangents instead of the adjoints (by swapping the arrays).</summary>
    internal void RunRuleOnLanes(in TensorRecord record)
    {
        for (int lane = 0; lane < _lanes; lane++)
        {
            (_adjoints, _adjointTangents[lane]) = (_adjointTangents[lane], _adjoints);
            try
            {
                record.Backward(this, in record);
            }
            finally
            {
                (_adjoints, _adjointTangents[lane]) = (_adjointTangents[lane], _adjoints);
            }
        }
    }

    // One lane's half of the edge sweep, run after the adjoints have been swept over the same edges, so the owners'
    // adjoints it reads are final: ȧ_in += p · ȧ_owner + ṗ · ā_owner. Under CheckFinite, the checking instance.
    private void SweepLane<TCheck>(int lane, int end, int stop)
        where TCheck : struct, ISweepCheck
    {
        ref double adjoints = ref MemoryMarshal.GetArrayDataReference(_adjoints);
        ref double adjointTangents = ref MemoryMarshal.GetArrayDataReference(_adjointTangents[lane]);
        ref double partialTangents = ref MemoryMarshal.GetArrayDataReference(_partialTangents[lane]);
        ref var edges = ref MemoryMarshal.GetArrayDataReference(_edges);
        for (int e = end - 1; e >= stop; e--)
        {
            ref var edge = ref Unsafe.Add(ref edges, e);
            double adjoint = Unsafe.Add(ref adjoints, edge.Owner);
            double adjointTangent = Unsafe.Add(ref adjointTangents, edge.Owner);

            // As in the first-order sweep, a zero factor contributes nothing even when the partial is ±∞ or NaN.
            double sum = 0.0;
            if (adjoint != 0.0)
            {
                sum = Unsafe.Add(ref partialTangents, e) * adjoint;
            }

            if (adjointTangent != 0.0)
            {
                sum += edge.Partial * adjointTangent;
            }

            ref double target = ref Unsafe.Add(ref adjointTangents, edge.Input);
            double before = target;
            target = before + sum;
            if (TCheck.Enabled && !double.IsFinite(target))
            {
                ThrowIfEdgeMadeAdjointTangentNonFinite(e, lane, adjoint, adjointTangent, before);
            }
        }
    }

    /// <summary>Whether operations now also record tangents (inside a Hessian).</summary>
    internal bool TracksTangents => (_mode & Mode.Tangents) != 0;

    /// <summary>One lane's tangents ẋ of a tensor's elements: zeros for a constant.</summary>
    internal ReadOnlySpan<double> TangentOf(Tensor x, int lane)
    {
        if (!x.IsConstant)
        {
            return _tangents[lane].AsSpan(x.Node, x.Size);
        }

        if (_zeros.Length < x.Size)
        {
            _zeros = new double[Math.Max(x.Size, 2 * _zeros.Length)];
        }

        return _zeros.AsSpan(0, x.Size);
    }

    /// <summary>Where a tensor operation writes one lane of its output's tangent (its JVP).</summary>
    internal Span<double> OutputTangent(Tensor y, int lane) => _tangents[lane].AsSpan(y.Node, y.Size);

    /// <summary>One lane's adjoint tangents ȧ of every node, during a sweep with tangents.</summary>
    internal Span<double> AdjointTangents(int lane) => _adjointTangents[lane].AsSpan(0, _count);

    /// <summary>d(∂y/∂x)/dt in one lane after <see cref="BackwardWithTangents"/>: the coordinate of H·v at leaf <paramref name="x"/>.</summary>
    internal double AdjointTangentOf(Var x, int lane) => _adjointTangents[lane][x.Index];
}
