namespace AutoDiff;

/// <summary>The backward rule of one tensor operation: adds the contribution of the output's adjoints to its inputs'.</summary>
internal delegate void TensorBackward(Tape tape, in TensorRecord record);

/// <summary>
/// The forward rule of one tensor operation: recomputes its output (and what its backward rule keeps, in
/// <see cref="TensorRecord.State"/>) from its inputs' current values, into the same memory. A compiled gradient
/// (<see cref="AD.Compile"/>) replays these instead of calling the operations again.
/// </summary>
internal delegate void TensorForward(in TensorRecord record);

/// <summary>
/// A tensor operation on the tape. Scalar operations are edges; a tensor operation is one record whose backward rule
/// runs between the edges recorded before it and those recorded after it (<see cref="EdgeMark"/>).
/// </summary>
/// <param name="Op">
/// The operation's name (as its forward check reports it), for <see cref="Tape.CheckFinite"/> to name the operation whose
/// rule produced a NaN or ±∞ adjoint in the reverse sweep.
/// </param>
/// <param name="Forward">
/// The forward rule, for replaying the operation (<see cref="AD.Compile"/>); required, so every operation replays. A cached
/// static delegate, as the backward rule.
/// </param>
/// <param name="Backward">The rule; a cached static delegate, so recording allocates nothing for it.</param>
/// <param name="EdgeMark">The tape's edge count when the operation was recorded.</param>
/// <param name="Output">The result, whose nodes hold the adjoints to propagate.</param>
/// <param name="A">The first input, or what the rule needs of it.</param>
/// <param name="B">The second input, if any.</param>
/// <param name="State">
/// Anything else the rule needs (an axis, labels). A state that lists the inputs (<see cref="IRecordInputs"/>: a fused
/// op's, a join's) names them in place of <paramref name="A"/> and <paramref name="B"/>; a tensor state is an input after
/// them (Linear's bias).
/// </param>
/// <param name="SecondOrder">The operation's JVP and the change of its rule along a direction, for Hessians.</param>
/// <param name="TakesUniformAdjoint">
/// Whether the rule reads its output's adjoints through <see cref="Tape.OutputAdjoints"/>, which may hand it one value for
/// all of them (a uniform adjoint, from <c>Sum</c>); otherwise the sweep writes the value into every element first.
/// </param>
internal readonly record struct TensorRecord(
    string Op, TensorForward Forward, TensorBackward Backward, int EdgeMark, Tensor Output, Tensor? A, Tensor? B, object? State, TensorSecondOrder SecondOrder,
    bool TakesUniformAdjoint = false);

/// <summary>
/// The state of a tensor operation whose inputs are not just <see cref="TensorRecord.A"/> and <see cref="TensorRecord.B"/>
/// (a fused op of up to four inputs, a concatenation): lists them in order, so that <see cref="Tape.CheckFinite"/> can
/// look at the adjoints the rule wrote into each.
/// </summary>
internal interface IRecordInputs
{
    /// <summary>The operation's inputs, constants included, in the order they were passed.</summary>
    Tensor[] Inputs { get; }
}
