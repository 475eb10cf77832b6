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
/// <param name="Forward">
/// The forward rule, for replaying the operation (<see cref="AD.Compile"/>); required, so every operation replays. A cached
/// static delegate, as the backward rule.
/// </param>
/// <param name="Backward">The rule; a cached static delegate, so recording allocates nothing for it.</param>
/// <param name="EdgeMark">The tape's edge count when the operation was recorded.</param>
/// <param name="Output">The result, whose nodes hold the adjoints to propagate.</param>
/// <param name="A">The first input, or what the rule needs of it.</param>
/// <param name="B">The second input, if any.</param>
/// <param name="State">Anything else the rule needs (an axis, labels).</param>
/// <param name="SecondOrder">The operation's JVP and the change of its rule along a direction, for Hessians.</param>
/// <param name="TakesUniformAdjoint">
/// Whether the rule reads its output's adjoints through <see cref="Tape.OutputAdjoints"/>, which may hand it one value for
/// all of them (a uniform adjoint, from <c>Sum</c>); otherwise the sweep writes the value into every element first.
/// </param>
internal readonly record struct TensorRecord(
    TensorForward Forward, TensorBackward Backward, int EdgeMark, Tensor Output, Tensor? A, Tensor? B, object? State, TensorSecondOrder SecondOrder,
    bool TakesUniformAdjoint = false);
