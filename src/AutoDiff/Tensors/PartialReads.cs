using System;

namespace AutoDiff;

/// <summary>
/// What a partial-derivative rule of an elementwise kernel reads: which of the kernel's inputs, and whether its output.
/// The generator writes it from the parameters the declared rule takes (∂(a/b)/∂a = 1/b reads only b).
/// </summary>
/// <remarks>
/// A rule that reads only inputs broadcast along a row has the same value in every element of it, so the backward
/// drivers evaluate it once per row rather than once per element: dividing a tensor by a scalar σ then costs one
/// division for ∂/∂a in the whole backward, not one per element. The value is bit for bit the one computed per element.
/// </remarks>
[Flags]
public enum PartialReads
{
    /// <summary>Reads nothing: a constant rule (∂(a + b)/∂a = 1).</summary>
    None = 0,

    /// <summary>Reads the first input (x, or a).</summary>
    Input0 = 1,

    /// <summary>Reads the second input (b).</summary>
    Input1 = 2,

    /// <summary>Reads the third input.</summary>
    Input2 = 4,

    /// <summary>Reads the fourth input.</summary>
    Input3 = 8,

    /// <summary>Reads the function's output y, which changes along a row unless every input is broadcast.</summary>
    Result = 16,

    /// <summary>May read anything: what a hand-written kernel reports unless it says otherwise.</summary>
    All = Input0 | Input1 | Input2 | Input3 | Result,
}
