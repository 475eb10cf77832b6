using System;

namespace AutoDiff;

/// <summary>
/// A pass over a compiled trace: where it holds f(z) and f(−z) for the same z and a function whose two values share
/// their costly part (<see cref="UnaryForwardRule.PairsWithReflection"/>), the earlier of the two records computes both
/// in one pass and the later one's forward rule does nothing. The logistic log-likelihood
/// y·LogSigmoid(z) + (1 − y)·LogSigmoid(−z) is the case in point: both log-sigmoids come from one e^(−|z|) and one
/// ln(1 + e^(−|z|)). The outputs and kept partials are those of the two records run apart, bit for bit.
/// <para>
/// The negation −z is then computed only if something else reads it: f(−z)'s backward rule reads its kept partials, not
/// its input. And when nothing but f(−z) reads −z and nothing but f(z) and the negation read z, the negation's backward
/// goes too: f(−z)'s backward adds ȳ·(−f′(−z)) into z's adjoints itself, which is what the negation's backward added
/// from the adjoints f(−z)'s backward had written for −z: −(ȳ·p) is ȳ·(−p) bit for bit (but for a NaN's sign), and a
/// zero product contributed nothing either way. z's adjoints then receive exactly two contributions, f(z)'s and this
/// one, into a fresh region, so the order in which the sweep adds them changes no bit. One pass over memory forward and
/// two backward fewer. "Reads" counts views (a <c>Reshape</c> shares its input's memory) and every tensor a record keeps.
/// </para>
/// </summary>
internal static class ReflectedPairs
{
    private static readonly TensorForward Done = static (in TensorRecord _) => { };

    private static readonly TensorBackward Nothing = static (Tape _, in TensorRecord _) => { };

    /// <summary>Fuses the pairs in <paramref name="records"/> (a trace, in recording order, of <paramref name="output"/>); returns how many.</summary>
    public static int Fuse(Span<TensorRecord> records, Tensor output)
    {
        int pairs = 0;
        var fused = new bool[records.Length];
        for (int n = 0; n < records.Length; n++)
        {
            ref readonly var negation = ref records[n];
            if (negation.Forward.Target is not UnaryForwardRule { IsNegation: true } || negation.A is not { } z)
            {
                continue;
            }

            // f(−z): a record reading the negation's output; f(z): one of the same function reading z.
            int reflected = Find(records, fused, negation.Output, rule: null);
            if (reflected < 0 || records[reflected].Forward.Target is not UnaryForwardRule { PairsWithReflection: true } rule)
            {
                continue;
            }

            int direct = Find(records, fused, z, rule);
            if (direct < 0)
            {
                continue;
            }

            // Both outputs exist from the earlier record on: z is computed before either (and before the negation), and
            // each record's output and partials are its own, read only by later records.
            ref readonly var f = ref records[direct];
            ref readonly var g = ref records[reflected];
            var both = rule.Reflected(z, f.Output, (double[])f.State!, g.Output, (double[])g.State!);
            int first = Math.Min(direct, reflected), second = Math.Max(direct, reflected);
            records[first] = records[first] with { Forward = both };
            records[second] = records[second] with { Forward = Done };
            fused[direct] = fused[reflected] = true;
            pairs++;
            var minusZ = negation.Output;
            if (RecordReads.SharesMemoryOrNodes(output, minusZ) || !IsReadOnlyBy(records, minusZ, reflected))
            {
                continue;
            }

            if (RecordReads.SharesMemoryOrNodes(output, z) || !IsReadOnlyBy(records, z, direct, n))
            {
                records[n] = negation with { Forward = Done };
                continue;
            }

            records[reflected] = records[reflected] with { Backward = NegatedIntoInput(z) };
            records[n] = negation with { Forward = Done, Backward = Nothing };
        }

        return pairs;
    }

    // f(−z)'s backward and the negation's in one: z̄ += ȳ·(−p), p the partials f(−z) kept. −z's adjoints are never
    // written or read; they are marked written, so that the sweep does not clear them when it reaches the negation.
    private static TensorBackward NegatedIntoInput(Tensor z) => (Tape tape, in TensorRecord record) =>
    {
        var dy = tape.OutputAdjoints(record.Output);
        var dz = tape.AdjointsToWrite(z, out bool assign);
        ElementwiseLoops.UnaryBackward<SavedPartialKernel<Negated>>(
            ((double[])record.State!).AsSpan(0, z.Size), record.Output.Data.AsSpan(0, z.Size), dy, dz, ElementwiseLoops.PreferredWidth, assign);
        tape.MarkAdjointsUnread(record.A!);
    };

    // Whether no record but the readers given may read x.
    private static bool IsReadOnlyBy(Span<TensorRecord> records, Tensor x, int reader, int otherReader = -1)
    {
        for (int r = 0; r < records.Length; r++)
        {
            if (r != reader && r != otherReader && RecordReads.Reads(in records[r], x))
            {
                return false;
            }
        }

        return true;
    }

    // The first record not yet fused that applies a pairing function (rule's, or any when null) to x and keeps its partials.
    private static int Find(Span<TensorRecord> records, bool[] fused, Tensor x, UnaryForwardRule? rule)
    {
        for (int r = 0; r < records.Length; r++)
        {
            ref readonly var record = ref records[r];
            if (!fused[r]
                && UnaryForwardRule.KeepsPartialsOf(in record, x, out var candidate)
                && candidate.PairsWithReflection
                && (rule is null || ReferenceEquals(candidate, rule)))
            {
                return r;
            }
        }

        return -1;
    }
}
