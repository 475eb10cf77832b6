namespace AutoDiff;

public sealed partial class Tape
{
    // The sweep's counterpart of a compiled trace's negation fold (ReflectedPairs). In y·LogSigmoid(z) + (1 − y)·LogSigmoid(−z)
    // the negation z′ = −z has a rule of its own, z̄ += −z̄′, a pass over z's adjoints that the rule of f(z) passes over
    // again a few records later (z̄ += ȳ·p). When nothing between the two can write z̄, the sweep leaves the negation's
    // contribution to f(z)'s rule, which adds both in one pass (TensorKernels.KeptPartialBackwardAfterNegation), in the
    // order the two rules would have: the gradient keeps its bits. Unlike the compiled fold, z′'s own adjoints are still
    // written (by f(−z)'s rule, untouched), so −z's Grad reads as before.
    //
    // Nothing between can write z̄ when no record between reads z (a rule writes only the adjoints of what it read, and a
    // tensor over z's memory or nodes is z to it: RecordReads) and no scalar operation was recorded between (a
    // Var naming an element of z adds into z̄ through its edges, which the sweep runs between the records they were
    // recorded between). Not under CheckFinite, which names the rule that made an adjoint non-finite, nor with tangents,
    // whose lanes follow each rule.

    // How far back from a negation the sweep looks for f(z): y·f(z) + (1 − y)·f(−z) records one operation between them.
    private const int NegationFoldReach = 4;

    /// <summary>Whether the sweep folds negations (true unless a test turns it off to get each rule's own pass).</summary>
    internal bool FoldsNegations { get; set; } = true;

    /// <summary>How many negations' rules this tape's sweeps ran inside another rule's pass (for tests).</summary>
    internal int NegationsFolded { get; private set; }

    // The record whose rule takes a negation's contribution (−1 when none is pending), and that negation's record.
    private int _negationFoldTarget = -1;
    private int _negationFoldSource;

    // At a reached record r: when it is the library's negation with its own rule, and f(z) of its input is at most
    // NegationFoldReach records back with nothing between reading z, notes the fold and returns true (the caller then
    // skips r's rule). Not while another fold is pending: one fold is noted at a time, and a second noted over the first
    // would lose the first negation's rule (f(z), f(w), −w, −z: −z's rule waits for f(z), and −w's, noted over it, for
    // f(w)), so a negation reached then runs its own rule.
    private bool DefersNegation(in TensorRecord record, int r, int recordMark)
    {
        if (_negationFoldTarget >= 0 || record.B is not null || record.State is not null || !FoldsNegations
            || record.Forward.Target is not UnaryForwardRule { IsNegation: true } negation || !ReferenceEquals(record.Backward, negation.Backward))
        {
            return false;
        }

        var z = record.A!;
        for (int t = r - 1; t >= recordMark && t >= r - NegationFoldReach; t--)
        {
            ref readonly var candidate = ref _records[t];
            if (candidate.EdgeMark != record.EdgeMark)
            {
                return false;
            }

            if (UnaryForwardRule.KeepsPartialsOf(in candidate, z, out var rule) && ReferenceEquals(candidate.Backward, rule.Backward))
            {
                _negationFoldTarget = t;
                _negationFoldSource = r;
                return true;
            }

            if (RecordReads.Reads(in candidate, z))
            {
                return false;
            }
        }

        return false;
    }

    // At the record that takes a pending negation's contribution: both rules in one pass when it is reached, else the
    // negation's rule alone, where the sweep would have run it (nothing between wrote z̄).
    private void SweepNegationFold(in TensorRecord record)
    {
        ref readonly var negation = ref _records[_negationFoldSource];
        _negationFoldTarget = -1;
        if (!Reached(record.Output))
        {
            negation.Backward(this, in negation);
            return;
        }

        InitialiseOutputAdjoints(in record);
        TensorKernels.KeptPartialBackwardAfterNegation(this, in record, in negation);
        NegationsFolded++;
    }
}
