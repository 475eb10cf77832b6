using System;
using System.Runtime.Intrinsics;

namespace AutoDiff.Tests.Simd;

/// <summary>
/// y = a/b with ∂y/∂a = 1/b and ∂y/∂b = −y/b, both declared as quotients by b (as the generator emits Divide); counts
/// the calls of its vector partials and of their numerators, so tests see which the backward loops evaluated.
/// </summary>
internal readonly struct QuotientKernel : IBinaryKernel
{
    /// <summary>The xunit collection of the tests that read the counters, so they never run at the same time.</summary>
    public const string CounterCollection = "QuotientKernel counters";

    public static int PartialCalls;
    public static int NumeratorCalls;

    public static string Name => "QuotientKernel";

    public static double Value(double a, double b) => a / b;

    public static double DerivativeA(double a, double b, double result) => 1.0 / b;

    public static double DerivativeB(double a, double b, double result) => -result / b;

    public static PartialReads DerivativeAReads => PartialReads.Input1;

    public static PartialReads DerivativeBReads => PartialReads.Input1 | PartialReads.Result;

    public static PartialReads DerivativeADivisorReads => PartialReads.Input1;

    public static PartialReads DerivativeBDivisorReads => PartialReads.Input1;

    public static Vector256<double> DerivativeADivisor(Vector256<double> a, Vector256<double> b) => b;

    public static Vector256<double> DerivativeBDivisor(Vector256<double> a, Vector256<double> b) => b;

    public static void PartialTangents(ReadOnlySpan<double> values, ReadOnlySpan<double> tangents, double result, double resultTangent, Span<double> partialTangents) =>
        throw new NotSupportedException();

    public static bool IsValueVectorized => true;

    public static bool IsDerivativeVectorized => true;

    public static Vector512<double> Value(Vector512<double> a, Vector512<double> b) => a / b;

    public static Vector256<double> Value(Vector256<double> a, Vector256<double> b) => a / b;

    public static Vector512<double> DerivativeA(Vector512<double> a, Vector512<double> b, Vector512<double> result)
    {
        PartialCalls++;
        return Vector512<double>.One / b;
    }

    public static Vector256<double> DerivativeA(Vector256<double> a, Vector256<double> b, Vector256<double> result)
    {
        PartialCalls++;
        return Vector256<double>.One / b;
    }

    public static Vector512<double> DerivativeB(Vector512<double> a, Vector512<double> b, Vector512<double> result)
    {
        PartialCalls++;
        return -result / b;
    }

    public static Vector256<double> DerivativeB(Vector256<double> a, Vector256<double> b, Vector256<double> result)
    {
        PartialCalls++;
        return -result / b;
    }

    public static Vector512<double> DerivativeANumerator(Vector512<double> a, Vector512<double> b, Vector512<double> result)
    {
        NumeratorCalls++;
        return Vector512<double>.One;
    }

    public static Vector256<double> DerivativeANumerator(Vector256<double> a, Vector256<double> b, Vector256<double> result)
    {
        NumeratorCalls++;
        return Vector256<double>.One;
    }

    public static Vector512<double> DerivativeBNumerator(Vector512<double> a, Vector512<double> b, Vector512<double> result)
    {
        NumeratorCalls++;
        return -result;
    }

    public static Vector256<double> DerivativeBNumerator(Vector256<double> a, Vector256<double> b, Vector256<double> result)
    {
        NumeratorCalls++;
        return -result;
    }
}
