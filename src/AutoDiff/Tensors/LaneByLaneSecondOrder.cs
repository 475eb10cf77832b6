namespace AutoDiff;

/// <summary>
/// A <see cref="TensorSecondOrder"/> written one lane at a time. The sweep runs the operation's backward rule on each
/// lane's adjoint tangents (a rule is linear in the output's adjoint and reads the saved values), then
/// <see cref="Correction"/>: the rest of d(rule)/dt. Linear operations (sums, transposes, selections) have none.
/// </summary>
internal abstract class LaneByLaneSecondOrder : TensorSecondOrder
{
    /// <inheritdoc/>
    public sealed override void Jvp(Tape tape, in TensorRecord record)
    {
        for (int lane = 0; lane < tape.TangentLanes; lane++)
        {
            Jvp(tape, in record, lane);
        }
    }

    /// <inheritdoc/>
    public sealed override void SweepLanes(Tape tape, in TensorRecord record)
    {
        tape.RunRuleOnLanes(in record);
        for (int lane = 0; lane < tape.TangentLanes; lane++)
        {
            Correction(tape, in record, lane);
        }
    }

    /// <summary>Writes one lane of ẏ from that lane's input tangents (<see cref="Tape.TangentOf"/>).</summary>
    protected abstract void Jvp(Tape tape, in TensorRecord record, int lane);

    /// <summary>Adds one lane of (dB/dt)(ā_out); nothing for a linear operation.</summary>
    protected virtual void Correction(Tape tape, in TensorRecord record, int lane)
    {
    }
}
