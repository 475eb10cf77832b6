using System.Diagnostics.CodeAnalysis;

namespace AutoDiff;

/// <summary>
/// The forward rule of a recorded one-input tensor operation (the target of its <see cref="TensorRecord.Forward"/>), as a
/// pass over a compiled trace sees it: which function it computes, and how to compute it together with its reflection.
/// </summary>
internal abstract class UnaryForwardRule
{
    /// <summary>Whether the operation is the library's negation, y = −x.</summary>
    public abstract bool IsNegation { get; }

    /// <summary>
    /// Whether f(x) and f(−x) together cost less in one pass than in two: the kernel computes what they share once
    /// (<see cref="IUnaryKernel.HasReflection"/>) and keeps its partials (<see cref="IUnaryKernel.SavesPartial"/>).
    /// </summary>
    public abstract bool PairsWithReflection { get; }

    /// <summary>
    /// The operation's own backward rule: dx += dy·f′(x), from the kept partials when it keeps them. A record whose
    /// <see cref="TensorRecord.Backward"/> is another (a pass over a compiled trace rewrote it) adds something else.
    /// </summary>
    public abstract TensorBackward Backward { get; }

    /// <summary>
    /// A forward rule that writes both records' outputs and kept partials: <paramref name="y"/> = f(x) with
    /// <paramref name="partial"/>, and <paramref name="reflectedY"/> = f(−x) with <paramref name="reflectedPartial"/>
    /// (<see cref="ElementwiseLoops.UnaryReflectedValueAndPartial{TKernel}"/>).
    /// </summary>
    public abstract TensorForward Reflected(Tensor x, Tensor y, double[] partial, Tensor reflectedY, double[] reflectedPartial);

    /// <summary>
    /// Whether <paramref name="record"/> applies a one-input function to <paramref name="x"/> itself and kept its partials
    /// (its state is them), and so which <paramref name="rule"/> computes it: what both passes that move a negation's
    /// work look for (<see cref="ReflectedPairs"/>, Tape.NegationFolds.cs).
    /// </summary>
    public static bool KeepsPartialsOf(in TensorRecord record, Tensor x, [NotNullWhen(true)] out UnaryForwardRule? rule)
    {
        rule = ReferenceEquals(record.A, x) && record.B is null && record.State is double[] ? record.Forward.Target as UnaryForwardRule : null;
        return rule is not null;
    }
}
