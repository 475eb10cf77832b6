namespace AutoDiff;

/// <summary>
/// The differentiable functions of <see cref="Var"/>, meant for <c>using static AutoDiff.Ops;</c>.
/// </summary>
/// <remarks>
/// Each elementwise function is declared once, in <c>Ops/Elementwise/</c>, as a plain <see cref="double"/> function with
/// its local derivatives beside it; the AutoDiff source generator emits the <see cref="Var"/> overloads that record it
/// on the tape. The <see cref="double"/> forms stay public: they are the plain functions, with the same numerics.
/// Reductions (<see cref="Sum(System.ReadOnlySpan{Var})"/>, <see cref="LogSumExp(System.ReadOnlySpan{Var})"/>, <see cref="Dot"/>) record one
/// node with one edge per input.
/// </remarks>
public static partial class Ops
{
}
