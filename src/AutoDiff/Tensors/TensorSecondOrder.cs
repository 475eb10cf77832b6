namespace AutoDiff;

/// <summary>
/// The second-order part of a tensor operation, for Hessians computed forward over reverse: how its output moves along
/// each direction (the JVP, run when the operation is recorded), and its part of the sweep with tangents.
/// </summary>
/// <remarks>
/// A Hessian carries several directions (lanes) at once. Most operations write their rules one lane at a time
/// (<see cref="LaneByLaneSecondOrder"/>); an elementwise kernel, whose f′ and f″ do not depend on the direction,
/// implements these all-lanes members directly so it computes them once per element.
/// </remarks>
internal abstract class TensorSecondOrder
{
    /// <summary>Writes ẏ, the output's tangent, in every lane (overwriting: a new output's lanes are not cleared).</summary>
    public abstract void Jvp(Tape tape, in TensorRecord record);

    /// <summary>
    /// The record's part of the sweep with tangents, after its backward rule B ran on the adjoints: in every lane, B on that
    /// lane's adjoint tangents, plus (dB/dt)(ā_out), the change of B as the values it saved move along the direction.
    /// </summary>
    public abstract void SweepLanes(Tape tape, in TensorRecord record);
}
