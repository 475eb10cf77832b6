using System;

namespace AutoDiff;

/// <summary>
/// The second-order part of an operation's derivative rule: how its local partials change along a direction. Generated
/// for every <c>[Differentiable]</c> function; written by hand only for a custom operation recorded with
/// <see cref="Tape.Nary{TRule}(string, double, ReadOnlySpan{Var}, ReadOnlySpan{double}, TRule)"/>.
/// </summary>
/// <remarks>
/// For y = f(x₁…xₖ) with partials pᵢ = ∂f/∂xᵢ, and a direction in which the inputs move with tangents ẋⱼ (so y moves
/// with ẏ = Σⱼ pⱼ ẋⱼ), the rule writes ṗᵢ = Σⱼ ∂²f/∂xᵢ∂xⱼ · ẋⱼ. With it the tape computes Hessian-vector products
/// forward-over-reverse (Stan's <c>fvar&lt;var&gt;</c>): <see cref="AD.HessianVectorProduct(Func{Var[], Var}, double[], double[])"/>.
/// </remarks>
public interface ISecondOrderRule
{
    /// <summary>Writes ṗᵢ = dpᵢ/dt for each input passed to the recording call.</summary>
    /// <param name="values">The inputs' values, in the order they were passed.</param>
    /// <param name="tangents">The inputs' tangents ẋᵢ (0 for constants).</param>
    /// <param name="result">The operation's value y.</param>
    /// <param name="resultTangent">ẏ = Σ pᵢ ẋᵢ.</param>
    /// <param name="partialTangents">Receives ṗᵢ, one per input (entries of constant inputs are ignored).</param>
    void PartialTangents(ReadOnlySpan<double> values, ReadOnlySpan<double> tangents, double result, double resultTangent, Span<double> partialTangents);
}
