namespace AutoDiff;

/// <summary>
/// The second-order part of a tensor operation, for Hessians computed forward over reverse: how its output moves along a
/// direction (the JVP, run when the operation is recorded), and how its backward rule itself changes along it.
/// </summary>
/// <remarks>
/// During a sweep with tangents the tape runs each record's backward rule twice — on the adjoints ā, and on the adjoint
/// tangents ȧ (a rule is linear in the output's adjoint) — and then <see cref="Correction"/>, which adds the rest of
/// d(backward)/dt: the part that comes from the saved values moving. Linear operations (sums, transposes, selections)
/// have none.
/// </remarks>
internal abstract class TensorSecondOrder
{
    /// <summary>Writes ẏ, the output's tangent, from the inputs' tangents (<see cref="Tape.TangentOf"/>).</summary>
    public abstract void Jvp(Tape tape, in TensorRecord record);

    /// <summary>Adds (dB/dt)(ā_out) to the inputs' adjoint tangents, B being the backward rule and ā the output's adjoint.</summary>
    public virtual void Correction(Tape tape, in TensorRecord record)
    {
    }
}
