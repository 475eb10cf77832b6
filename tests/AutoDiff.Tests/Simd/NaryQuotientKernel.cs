using System;
using System.Runtime.Intrinsics;

namespace AutoDiff.Tests.Simd;

/// <summary>
/// y = x/(a·b) with its three rules declared as quotients by expressions of inputs, as the generator emits a rule
/// <c>n / (v·w)</c>: ∂y/∂x = 1/(a·b), ∂y/∂a = −x/(a·a·b), ∂y/∂b = −x/(a·b·b); counts the calls of its vector partials and
/// of their numerators, so tests see which the backward loops evaluated.
/// </summary>
internal readonly struct NaryQuotientKernel : INaryKernel
{
    public static int PartialCalls;
    public static int NumeratorCalls;

    public static string Name => "NaryQuotientKernel";

    public static int Arity => 3;

    public static double Value(double x, double a, double b, double unused) => x / (a * b);

    public static double Derivative(int input, double x, double a, double b, double unused, double result) => input switch
    {
        0 => 1.0 / (a * b),
        1 => -x / (a * a * b),
        _ => -x / (a * b * b),
    };

    public static PartialReads DerivativeReads(int input) =>
        input == 0 ? PartialReads.Input1 | PartialReads.Input2 : PartialReads.Input0 | PartialReads.Input1 | PartialReads.Input2;

    public static PartialReads DerivativeDivisorReads(int input) => PartialReads.Input1 | PartialReads.Input2;

    public static void PartialTangents(ReadOnlySpan<double> values, ReadOnlySpan<double> tangents, double result, double resultTangent, Span<double> partialTangents) =>
        throw new NotSupportedException();

    public static bool IsValueVectorized => true;

    public static bool IsDerivativeVectorized => true;

    public static Vector512<double> Value(Vector512<double> x, Vector512<double> a, Vector512<double> b, Vector512<double> unused) => x / (a * b);

    public static Vector256<double> Value(Vector256<double> x, Vector256<double> a, Vector256<double> b, Vector256<double> unused) => x / (a * b);

    public static Vector512<double> Derivative(int input, Vector512<double> x, Vector512<double> a, Vector512<double> b, Vector512<double> unused, Vector512<double> result)
    {
        PartialCalls++;
        return Numerator(input, x) / Divisor(input, a, b);
    }

    public static Vector256<double> Derivative(int input, Vector256<double> x, Vector256<double> a, Vector256<double> b, Vector256<double> unused, Vector256<double> result)
    {
        PartialCalls++;
        return Numerator(input, x) / Divisor(input, a, b);
    }

    public static Vector512<double> DerivativeNumerator(int input, Vector512<double> x, Vector512<double> a, Vector512<double> b, Vector512<double> unused, Vector512<double> result)
    {
        NumeratorCalls++;
        return Numerator(input, x);
    }

    public static Vector256<double> DerivativeNumerator(int input, Vector256<double> x, Vector256<double> a, Vector256<double> b, Vector256<double> unused, Vector256<double> result)
    {
        NumeratorCalls++;
        return Numerator(input, x);
    }

    public static Vector256<double> DerivativeDivisor(int input, Vector256<double> x, Vector256<double> a, Vector256<double> b, Vector256<double> unused) => Divisor(input, a, b);

    private static Vector512<double> Numerator(int input, Vector512<double> x) => input == 0 ? Vector512<double>.One : -x;

    private static Vector256<double> Numerator(int input, Vector256<double> x) => input == 0 ? Vector256<double>.One : -x;

    private static Vector512<double> Divisor(int input, Vector512<double> a, Vector512<double> b) => input switch { 0 => a * b, 1 => a * a * b, _ => a * b * b };

    private static Vector256<double> Divisor(int input, Vector256<double> a, Vector256<double> b) => input switch { 0 => a * b, 1 => a * a * b, _ => a * b * b };
}
