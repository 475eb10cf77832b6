namespace AutoDiff.Tests.Tensors;

/// <summary>The operations a <see cref="TensorProgram"/> step can perform.</summary>
internal enum TensorStep
{
    // Elementwise, one input.
    Exp, Log, Sigmoid, LogSigmoid, Softplus, Tanh, Sqrt, Square, Negate, Sin, Expm1, Log1p,

    // Elementwise, two inputs (tensor ⊕ tensor with broadcasting, or a constant operand on either side: see TensorOperand).
    Add, Subtract, Multiply, Divide,

    // Linear algebra and views.
    MatMul, Linear, Transpose, Reshape,

    // Reductions and the softmax family (along Axis, or over everything when All).
    Sum, Mean, MaxAlong, LogSumExp, Softmax, LogSoftmax, CrossEntropy,

    // Joins and gathers.
    Rows, RowTensor, Concat, Stack,

    // A captured constant tensor (Data, shaped DataShape) as a node.
    Constant,

    // A rank-0 tensor through scalar Var arithmetic and back (a variable Var: not traceable by AD.Compile).
    ScalarVar,
}
