using System;

namespace AutoDiff;

/// <summary>The second-order rule of an operation whose partials do not depend on its inputs (sums, dot products with constants): ṗ = 0.</summary>
internal readonly struct ConstantPartialsRule : ISecondOrderRule
{
    public void PartialTangents(ReadOnlySpan<double> values, ReadOnlySpan<double> tangents, double result, double resultTangent, Span<double> partialTangents) =>
        partialTangents.Clear();
}
