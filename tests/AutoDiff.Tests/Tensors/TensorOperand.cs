namespace AutoDiff.Tests.Tensors;

/// <summary>What the second operand of a binary elementwise step is.</summary>
internal enum TensorOperand
{
    /// <summary>Node B.</summary>
    Node,

    /// <summary>The double K.</summary>
    Double,

    /// <summary>The constant Var K.</summary>
    ConstantVar,

    /// <summary>Node B (rank 0) converted to a Var: a variable Var in a tensor expression.</summary>
    VariableVar,

    /// <summary>A captured constant tensor (Data, shaped DataShape).</summary>
    Data,
}
