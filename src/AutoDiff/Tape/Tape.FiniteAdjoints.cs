using System;
using System.Runtime.CompilerServices;
using AutoDiff.Numerics;

namespace AutoDiff;

public sealed partial class Tape
{
    // Under CheckFinite, who recorded each edge: the operation's name and the input's position among its operands, for
    // the message of a NaN or ±∞ adjoint in the reverse sweep. Edges carry no name themselves, so that the unchecked
    // tape stays 16 bytes an edge and its recording writes nothing more. Entries at or above _edgeOriginLimit are unset,
    // and a scope that truncates below it clears them: an edge recorded unchecked at a reused index is never named after
    // an earlier one (it is reported by its node instead).
    private EdgeOrigin[]? _edgeOrigins;
    private int _edgeOriginLimit;

    private readonly record struct EdgeOrigin(string Op, int Operand);

    /// <summary>Whether the edge sweep checks what it adds (a struct per mode, so the JIT compiles the check out of the other).</summary>
    private interface ISweepCheck
    {
        static abstract bool Enabled { get; }
    }

    private readonly struct Unchecked : ISweepCheck
    {
        public static bool Enabled => false;
    }

    private readonly struct FiniteChecked : ISweepCheck
    {
        public static bool Enabled => true;
    }

    // EndNode under CheckFinite, for the node being committed: edges [first, _edgeCount) belong, in order, to the inputs
    // that are not constants (AddEdge skips those).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void NoteEdgeOrigins<TRule>(string op, int first, ReadOnlySpan<Var> inputs, in TRule rule)
        where TRule : struct, ISecondOrderRule
    {
        if (_edgeOrigins is null || _edgeOrigins.Length < _edgeCount)
        {
            Array.Resize(ref _edgeOrigins, Math.Max(_edgeCount, _edges.Length));
        }

        var described = rule as IConstantOperands;
        int e = first;
        for (int i = 0; i < inputs.Length && e < _edgeCount; i++)
        {
            if (!inputs[i].IsConstant)
            {
                _edgeOrigins[e++] = new EdgeOrigin(op, described is null ? i : OperandPosition(described, i));
            }
        }

        _edgeOriginLimit = Math.Max(_edgeOriginLimit, _edgeCount);
    }

    // Called when a scope truncates the edges back to mark.
    private void ForgetEdgeOrigins(int mark)
    {
        if (_edgeOriginLimit > mark)
        {
            Array.Clear(_edgeOrigins!, mark, _edgeOriginLimit - mark);
            _edgeOriginLimit = mark;
        }
    }

    // The position among all operands of the variable input passed to the tape at index input: the input-th operand that
    // the overload did not take as a constant.
    private static int OperandPosition(IConstantOperands described, int input)
    {
        for (int p = 0, variables = 0; p < described.OperandCount; p++)
        {
            if (!described.TryGetConstant(p, out _) && variables++ == input)
            {
                return p;
            }
        }

        return input;
    }

    // The checked edge sweep found adjoint[input] = partial · adjoint + before not finite. The edge is to blame only when
    // what it multiplied and added to was finite: a NaN or ±∞ that came in was produced, and reported, upstream (under
    // CheckFinite the first one throws, so the sweep never gets here with one; this keeps the blame right regardless).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowIfEdgeMadeAdjointNonFinite(int e, double adjoint, double before)
    {
        if (!double.IsFinite(adjoint) || !double.IsFinite(before))
        {
            return;
        }

        var edge = _edges[e];
        var (op, position) = EdgeOperand(e);
        throw NonFiniteValueException.InSweep(op, edge.Owner, position, adjoint, edge.Partial, before, _adjoints[edge.Input]);
    }

    // Which operation recorded edge e (null when it was recorded outside CheckFinite, which names operations) and the
    // position of its input among that operation's operands (among its variable inputs when unnamed).
    private (string? Op, int Position) EdgeOperand(int e)
    {
        var origin = e < _edgeOriginLimit ? _edgeOrigins![e] : default;
        if (origin.Op is not null)
        {
            return (origin.Op, origin.Operand);
        }

        int first = e;
        while (first > 0 && _edges[first - 1].Owner == _edges[e].Owner)
        {
            first--;
        }

        return (null, e - first);
    }

    // The checked lane sweep found adjointTangent[input] = p · ȧ + ṗ · ā + before not finite (a Hessian's second-order
    // pass, direction lane). As for the adjoints, the edge is to blame only when what came in was finite; a second-order
    // partial ṗ that was not finite already is the edge's own, as a first-order partial is.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowIfEdgeMadeAdjointTangentNonFinite(int e, int lane, double adjoint, double adjointTangent, double before)
    {
        // An input of an enclosing scope is a constant to the Hessian: its adjoint tangent is summed but never read.
        if (!double.IsFinite(adjoint) || !double.IsFinite(adjointTangent) || !double.IsFinite(before) || _edges[e].Input < _tangentNodeMark)
        {
            return;
        }

        var edge = _edges[e];
        var (op, position) = EdgeOperand(e);
        throw NonFiniteValueException.InTangentSweep(
            op, edge.Owner, position, _firstDirection + lane, edge.Partial, adjointTangent, _partialTangents[lane][e], adjoint, before, _adjointTangents[lane][edge.Input]);
    }

    // After a tensor record's second-order rule ran under CheckFinite, the same on each direction's adjoint tangents (the
    // first-order adjoints it also read were checked already): the arrays are swapped as RunRuleOnLanes swaps them.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowIfRuleMadeAdjointTangentsNonFinite(in TensorRecord record)
    {
        for (int lane = 0; lane < _lanes; lane++)
        {
            (_adjoints, _adjointTangents[lane]) = (_adjointTangents[lane], _adjoints);
            try
            {
                ThrowIfRuleMadeAdjointNonFinite(in record, _firstDirection + lane);
            }
            finally
            {
                (_adjoints, _adjointTangents[lane]) = (_adjointTangents[lane], _adjoints);
            }
        }
    }

    // After a tensor record's rule ran under CheckFinite: an adjoint of one of its inputs that is NaN or ±∞ is the rule's
    // doing when its output's adjoints are all finite (every adjoint it added to was finite, or the check would have
    // thrown where that one was made). One pass over the output's and the inputs' adjoints, only while checking.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowIfRuleMadeAdjointNonFinite(in TensorRecord record, int lane = -1)
    {
        var dy = OutputAdjoints(record.Output);
        if (!FiniteValues.All(dy))
        {
            return;
        }

        // The inputs by position: those a state lists (a fused op's, a join's), else A and B, and a tensor state after them
        // (Linear's bias). Anything else a rule reads (Rows' index tensor) has no adjoint written, and is not listed.
        Tensor?[] inputs = record.State switch
        {
            IRecordInputs listed => (Tensor?[])listed.Inputs,
            Tensor bias => [record.A, record.B, bias],
            _ => [record.A, record.B],
        };

        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            if (x is null || x.IsConstant || IsStale(x))
            {
                continue;
            }

            var adjoints = OutputAdjoints(x);
            int bad = FiniteValues.IndexOfNonFinite(adjoints);
            if (bad >= 0)
            {
                throw NonFiniteValueException.InSweep(
                    record.Op, k, IsUniform(x) ? -1 : bad, x.ShapeUnsafe, adjoints[bad], record.Output.ShapeUnsafe, dy, lane);
            }
        }
    }
}
