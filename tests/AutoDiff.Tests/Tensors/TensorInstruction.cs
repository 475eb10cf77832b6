namespace AutoDiff.Tests.Tensors;

/// <summary>
/// One step of a <see cref="TensorProgram"/>: an operation on earlier nodes (inputs first, then the steps' results in
/// order). Which fields are read depends on <see cref="Op"/>: A, B, C are operand nodes (−1: none); Axis, All and
/// KeepDims place a reduction (KeepDims also picks CrossEntropy's mean); K is a constant operand; Second says what a
/// binary op's other operand is and Swapped puts it first (for CrossEntropy: tensor labels; for RowTensor: one index as
/// a rank-0 tensor); Ints are labels or row indices; Data and DataShape captured data; Shape a reshape's target.
/// </summary>
internal sealed record TensorInstruction(TensorStep Op, int A)
{
    public int B { get; init; } = -1;
    public int C { get; init; } = -1;
    public int Axis { get; init; }
    public bool All { get; init; }
    public bool KeepDims { get; init; }
    public double K { get; init; }
    public TensorOperand Second { get; init; } = TensorOperand.Node;
    public bool Swapped { get; init; }
    public int[] Ints { get; init; } = [];
    public double[] Data { get; init; } = [];
    public int[] DataShape { get; init; } = [];
    public int[] Shape { get; init; } = [];

    private Tensor? _captured;

    /// <summary>Data as a tensor, made once: captured data, as a function written by hand captures it (so that the
    /// engine's per-tape cache of constant results, which matches inputs by reference, can hit).</summary>
    public Tensor Captured => _captured ??= Tensor.FromArray(Data, DataShape);
}
