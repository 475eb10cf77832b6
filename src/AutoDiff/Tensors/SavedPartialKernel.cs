using System;
using System.Runtime.Intrinsics;

namespace AutoDiff;

/// <summary>
/// The backward pass of a unary operation that kept its partials (<see cref="IUnaryKernel.SavesPartial"/>): run through
/// the unary backward loops with the kept partials in place of the input, its derivative is that input, so dx += dy · p
/// with the loops' rule for zero adjoints (an element y does not depend on contributes nothing, even with a NaN partial).
/// With <see cref="Negated"/> it is dx += dy · (−p), which is −(dy · p) bit for bit: what a compiled trace's f(−z) adds
/// into z's adjoints when the negation between them is gone (<see cref="ReflectedPairs"/>).
/// </summary>
/// <typeparam name="TSign"><see cref="AsKept"/> or <see cref="Negated"/> (a struct, so the JIT writes each loop apart).</typeparam>
internal readonly struct SavedPartialKernel<TSign> : IUnaryKernel
    where TSign : struct, IPartialSign
{
    public static string Name => "saved partial";

    // Never evaluated: only the backward loops run this kernel.
    public static double Value(double partial) => throw new NotSupportedException("A saved partial has no value rule.");

    /// <summary>f′ = the kept partial.</summary>
    public static double Derivative(double partial, double result) => TSign.IsNegated ? -partial : partial;

    public static void PartialTangents(ReadOnlySpan<double> values, ReadOnlySpan<double> tangents, double result, double resultTangent, Span<double> partialTangents) =>
        throw new NotSupportedException("Hessians recompute a unary operation's partials from its kernel.");

    public static double Curvature(double partial, double result, double slope) =>
        throw new NotSupportedException("Hessians recompute a unary operation's partials from its kernel.");

    public static bool IsDerivativeVectorized => true;

    public static Vector512<double> Derivative(Vector512<double> partial, Vector512<double> result) => TSign.IsNegated ? -partial : partial;

    public static Vector256<double> Derivative(Vector256<double> partial, Vector256<double> result) => TSign.IsNegated ? -partial : partial;
}

/// <summary>How <see cref="SavedPartialKernel{TSign}"/> reads a kept partial.</summary>
internal interface IPartialSign
{
    /// <summary>Whether the partial is read as −p.</summary>
    static abstract bool IsNegated { get; }
}

/// <summary>A kept partial read as it is.</summary>
internal readonly struct AsKept : IPartialSign
{
    public static bool IsNegated => false;
}

/// <summary>A kept partial read as its negation.</summary>
internal readonly struct Negated : IPartialSign
{
    public static bool IsNegated => true;
}
