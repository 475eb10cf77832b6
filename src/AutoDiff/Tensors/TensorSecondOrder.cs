namespace AutoDiff;

/// <summary>
/// The second-order part of a tensor operation, for Hessians computed forward over reverse: how its output moves along a
/// direction (the JVP, run when the operation is recorded), and how its backward rule itself changes along it.
/// </summary>
/// <remarks>
/// <para>During a sweep with tangents the tape runs each record's backward rule on the adjoints ā, then once per lane on
/// that lane's adjoint tangents ȧ (a rule is linear in the output's adjoint), and then <see cref="Correction(Tape, in TensorRecord)"/>,
/// which adds the rest of d(backward)/dt: the part that comes from the saved values moving. Linear operations (sums,
/// transposes, selections) have none.</para>
/// <para>A Hessian carries several directions (lanes) at once. An operation writes its rule for one lane; one whose
/// per-element work does not depend on the direction (an elementwise second derivative) overrides the all-lanes
/// methods to compute it once per element.</para>
/// </remarks>
internal abstract class TensorSecondOrder
{
    /// <summary>Writes ẏ, the output's tangent, in every lane.</summary>
    public virtual void Jvp(Tape tape, in TensorRecord record)
    {
        for (int lane = 0; lane < tape.TangentLanes; lane++)
        {
            Jvp(tape, in record, lane);
        }
    }

    /// <summary>
    /// The record's part of the sweep with tangents, after its rule ran on the adjoints: in every lane, the rule on that
    /// lane's adjoint tangents, then <see cref="Correction(Tape, in TensorRecord)"/>. An operation that can do both from
    /// work shared across lanes (an elementwise kernel's f′ and f″) overrides this.
    /// </summary>
    public virtual void SweepLanes(Tape tape, in TensorRecord record)
    {
        tape.RunRuleOnLanes(in record);
        Correction(tape, in record);
    }

    /// <summary>Adds (dB/dt)(ā_out) to the inputs' adjoint tangents in every lane, B being the backward rule.</summary>
    public virtual void Correction(Tape tape, in TensorRecord record)
    {
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
