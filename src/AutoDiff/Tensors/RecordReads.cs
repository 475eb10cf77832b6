using System;
using System.Runtime.CompilerServices;

namespace AutoDiff;

/// <summary>
/// Which tensors a recorded operation reads, as the passes that move a rule's work elsewhere must know: the compiled
/// trace's pairing of f(z) and f(−z) (<see cref="ReflectedPairs"/>) and the sweep's negation folds (Tape.NegationFolds.cs).
/// A record's rule writes the adjoints of what it reads, so a pass may move work on x's adjoints past a record only when
/// that record does not read x.
/// </summary>
internal static class RecordReads
{
    /// <summary>
    /// Whether <paramref name="record"/> may read <paramref name="x"/> (and so its rule write x's adjoints): through A or B,
    /// or a tensor it keeps in its state, a view of x included, and a tensor over x's nodes (made from a Var of x's one
    /// element, or x made from a Var of its). A state the pass does not know (an n-ary kernel's, a concatenation's) may
    /// hold anything, so its presence answers yes.
    /// </summary>
    internal static bool Reads(in TensorRecord record, Tensor x) =>
        SharesMemoryOrNodes(record.A, x) || SharesMemoryOrNodes(record.B, x) || MayRead(record.State, x);

    private static bool MayRead(object? state, Tensor x) => state switch
    {
        null or double or double[] or int[] or AxisLayout or Enum => false,
        Tensor t => SharesMemoryOrNodes(t, x),
        Tensor[] tensors => AnyShares(tensors, x),
        ITuple tuple => AnyItemMayRead(tuple, x),
        _ => true,
    };

    // A loop, not Array.Exists with a lambda: the lambda's closure over x was allocated on every call of MayRead, which the
    // sweep makes at every negation it might fold, and a compiled gradient's replay must allocate nothing.
    private static bool AnyShares(Tensor[] tensors, Tensor x)
    {
        foreach (var t in tensors)
        {
            if (SharesMemoryOrNodes(t, x))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyItemMayRead(ITuple tuple, Tensor x)
    {
        for (int i = 0; i < tuple.Length; i++)
        {
            if (MayRead(tuple[i], x))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="a"/> is <paramref name="x"/> to a rule: the same memory (a view, as <c>Reshape</c> makes)
    /// or overlapping nodes on the same tape. A rank-0 tensor made from a Var (the implicit conversion) names the Var's
    /// node with memory of its own, so a tensor of one element converted to a Var and back names its nodes twice; a rule
    /// writes the adjoints of the nodes its inputs name, whichever tensor names them.
    /// </summary>
    internal static bool SharesMemoryOrNodes(Tensor? a, Tensor x) => a is not null && (ReferenceEquals(a.Data, x.Data) || SharesNodes(a, x));

    private static bool SharesNodes(Tensor a, Tensor x) =>
        !a.IsConstant && !x.IsConstant && ReferenceEquals(a.Tape, x.Tape) && a.Node < x.Node + x.Size && x.Node < a.Node + a.Size;
}
