using System;

namespace AutoDiff;

/// <summary>The rule of an operation recorded without one: Hessians cannot pass through it, and say so.</summary>
internal readonly struct NoSecondOrderRule : ISecondOrderRule
{
    public void PartialTangents(ReadOnlySpan<double> values, ReadOnlySpan<double> tangents, double result, double resultTangent, Span<double> partialTangents) =>
        throw new NotSupportedException("This operation has no second-order rule.");
}
