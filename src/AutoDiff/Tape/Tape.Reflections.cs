using System;
using System.Threading;

namespace AutoDiff;

public sealed partial class Tape
{
    // The eager counterpart of a compiled trace's pass (ReflectedPairs). A recording cannot look ahead: when it records
    // f(z) it does not know that −z and f(−z) follow, as they do in y·LogSigmoid(z) + (1 − y)·LogSigmoid(−z). So it
    // remembers instead: the last f(z) of a kernel with a reflection stays here, and when f(−z) is recorded the pair
    // counts for that kernel, as an f(z) replaced or dropped before its f(−z) came counts against it. A kernel whose
    // recent f(z) were followed by f(−z) more often than not, by two (a score of 0…3, kept per tape like a branch
    // predictor's counter, at 2 or more) has its next f(z) compute f(−z) in the same loop — what the two share,
    // e^(−|z|) for the log-sigmoids, once — and leave it here for f(−z) to take. A function that never pairs never
    // computes ahead; one that stops pairing stops within two calls of f.
    //
    // Only the forward pass changes: f(−z) is a record of its own, with its own nodes, output and kept partials, which
    // hold the bits separate loops give (but for a NaN's sign, as in ReflectedPairs), so the gradient is unchanged.

    // The x of the last f(x) recorded by a kernel with a reflection, that kernel's id, and f(−x) with its partials when
    // they were computed together with f(x) (null otherwise). Pooled memory of this tape, rented in the current scope or
    // an enclosing one.
    private Tensor? _reflectionInput;
    private int _reflectionKernel = -1;
    private double[]? _reflectedValues;
    private double[]? _reflectedPartials;

    // −x of the remembered f(x), when the loop that computed f(−x) ahead wrote it too: for the negation that the pair
    // needs, recorded after f(x) (y·f(z) + (1 − y)·f(−z)) and taken by it in place of a pass of its own.
    private double[]? _reflectedNegation;

    // The last negation recorded, y = −x: which tensors are z and −z of a pair.
    private Tensor? _negationInput;
    private Tensor? _negationOutput;

    // Kernel k's score: up by one (to at most 3) when its f(z) is followed by f(−z), down by one (to 0) when not.
    private const int ScoredKernels = 64;
    private const byte ScoreToComputeAhead = 2;
    private readonly byte[] _pairingScores = new byte[ScoredKernels];

    /// <summary>
    /// Whether f(z) may compute f(−z) ahead and pairs are noted (true unless a test turns it off to get separate loops'
    /// results without changing what the tape has noted).
    /// </summary>
    internal bool PairsReflections { get; set; } = true;

    /// <summary>How many f(x) this tape computed ahead together with a remembered f(−x) (for tests).</summary>
    internal int ReflectionsComputedAhead { get; private set; }

    /// <summary>How many f(x) this tape took from a loop that computed them ahead (for tests).</summary>
    internal int ReflectionsTaken { get; private set; }

    /// <summary>Remembers the negation y = −x just recorded, so that a later f(y) can be recognised as f(−x).</summary>
    internal void NoteNegation(Tensor x, Tensor y)
    {
        _negationInput = x;
        _negationOutput = y;
    }

    /// <summary>
    /// Whether f(x) of kernel <paramref name="kernel"/> should compute f(−x) in the same loop: the kernel's score on this
    /// tape is 2 or more (its recent f(z) were followed by f(−z) twice more often than not). Never while tracing: a
    /// compiled trace pairs its records itself, and its replays compute every record again.
    /// </summary>
    internal bool SpeculatesReflection(int kernel) =>
        !_tracing && PairsReflections && kernel < ScoredKernels && _pairingScores[kernel] >= ScoreToComputeAhead;

    /// <summary>
    /// Called when f(<paramref name="x"/>) is recorded by kernel <paramref name="kernel"/>: whether x and the input of the
    /// remembered f(z) are z and −z of the last negation (in either order). If so the pair is noted and forgotten, and
    /// when f(x) was computed ahead, its values and partials are handed over (the caller's output adopts them; null
    /// otherwise).
    /// </summary>
    internal bool TakeReflection(int kernel, Tensor x, out double[]? values, out double[]? partials)
    {
        values = partials = null;
        var remembered = _reflectionInput;
        if (remembered is null || !PairsReflections || _reflectionKernel != kernel || _negationInput is null
            || !(ReferenceEquals(remembered, _negationInput) && ReferenceEquals(x, _negationOutput)
                || ReferenceEquals(remembered, _negationOutput) && ReferenceEquals(x, _negationInput)))
        {
            return false;
        }

        Score(kernel, paired: true);
        values = _reflectedValues;
        partials = _reflectedPartials;
        ReflectionsTaken += values is null ? 0 : 1;
        ForgetReflection();
        return true;
    }

    /// <summary>
    /// Remembers f(<paramref name="x"/>) just recorded by kernel <paramref name="kernel"/>, with f(−x), its partials and −x
    /// when they were computed with it. The f(z) remembered before, whose f(−z) did not come, counts against its kernel.
    /// </summary>
    internal void RememberReflection(int kernel, Tensor x, double[]? values, double[]? partials, double[]? negation)
    {
        DropUnusedReflection();
        ReflectionsComputedAhead += values is null ? 0 : 1;
        _reflectionInput = x;
        _reflectionKernel = kernel;
        _reflectedValues = values;
        _reflectedPartials = partials;
        _reflectedNegation = negation;
    }

    /// <summary>
    /// −<paramref name="x"/> computed ahead with the remembered f(x) and f(−x), handed over once to the negation of x being
    /// recorded (whose output adopts it); null when x is not that input or −x was not computed (or was taken already).
    /// </summary>
    internal double[]? TakeNegation(Tensor x)
    {
        var negation = _reflectedNegation;
        if (negation is null || !ReferenceEquals(x, _reflectionInput))
        {
            return null;
        }

        _reflectedNegation = null;
        NegationsTaken++;
        return negation;
    }

    /// <summary>How many negations this tape took from a loop that computed them ahead (for tests).</summary>
    internal int NegationsTaken { get; private set; }

    // When a scope that truncates closes, its tensors and pooled memory are gone: nothing of them may stay here.
    private void ForgetReflectionsOnTruncate()
    {
        DropUnusedReflection();
        _negationInput = _negationOutput = null;
    }

    private void DropUnusedReflection()
    {
        if (_reflectionInput is not null)
        {
            Score(_reflectionKernel, paired: false);
        }

        ForgetReflection();
    }

    // A test's separate-loops oracle (PairsReflections off) leaves the scores as they were.
    private void Score(int kernel, bool paired)
    {
        if (PairsReflections && kernel < ScoredKernels)
        {
            ref byte score = ref _pairingScores[kernel];
            score = paired ? (byte)Math.Min(score + 1, 3) : (byte)Math.Max(score - 1, 0);
        }
    }

    private void ForgetReflection()
    {
        _reflectionInput = null;
        _reflectionKernel = -1;
        _reflectedValues = _reflectedPartials = _reflectedNegation = null;
    }

    /// <summary>A small number per kernel type with a reflection: where a tape keeps its score.</summary>
    internal static class ReflectionKernel<TKernel>
        where TKernel : struct, IUnaryKernel
    {
        /// <summary>The kernel's number, from 0 in order of first use in the process; numbers from 64 on are never scored and never compute ahead.</summary>
        public static readonly int Id = Interlocked.Increment(ref s_reflectionKernels) - 1;
    }

    private static int s_reflectionKernels;
}
