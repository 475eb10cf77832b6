using System;
using System.Runtime.Intrinsics;

namespace AutoDiff;

/// <summary>
/// The backward pass of a unary operation that kept its partials (<see cref="IUnaryKernel.SavesPartial"/>): run through
/// the unary backward loops with the kept partials in place of the input, its derivative is that input, so dx += dy · p
/// with the loops' rule for zero adjoints (an element y does not depend on contributes nothing, even with a NaN partial).
/// </summary>
internal readonly struct SavedPartialKernel : IUnaryKernel
{
    public static string Name => "saved partial";

    // Never evaluated: only the backward loops run this kernel.
    public static double Value(double partial) => throw new NotSupportedException("A saved partial has no value rule.");

    /// <summary>f′ = the kept partial.</summary>
    public static double Derivative(double partial, double result) => partial;

    public static void PartialTangents(ReadOnlySpan<double> values, ReadOnlySpan<double> tangents, double result, double resultTangent, Span<double> partialTangents) =>
        throw new NotSupportedException("Hessians recompute a unary operation's partials from its kernel.");

    public static double Curvature(double partial, double result, double slope) =>
        throw new NotSupportedException("Hessians recompute a unary operation's partials from its kernel.");

    public static bool IsDerivativeVectorized => true;

    public static Vector512<double> Derivative(Vector512<double> partial, Vector512<double> result) => partial;

    public static Vector256<double> Derivative(Vector256<double> partial, Vector256<double> result) => partial;
}
