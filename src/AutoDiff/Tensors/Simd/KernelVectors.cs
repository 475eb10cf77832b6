using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AutoDiff.Kernels;

namespace AutoDiff;

/// <summary>
/// Evaluates another kernel's function on a whole vector: called by generated vector bodies where one declaration calls
/// another (<c>LogSigmoid(x) =&gt; -Softplus(-x)</c>). Uses the callee's vector body when it has one, and its scalar body
/// lane by lane otherwise, so a caller can be vectorized whatever its callees are.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class KernelVectors
{
    /// <summary>f(x) in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Value<TKernel>(Vector512<double> x)
        where TKernel : struct, IUnaryKernel =>
        TKernel.IsValueVectorized ? TKernel.Value(x) : Lanewise<TKernel, Simd512, Vector512<double>>(x);

    /// <summary>f(x) in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Value<TKernel>(Vector256<double> x)
        where TKernel : struct, IUnaryKernel =>
        TKernel.IsValueVectorized ? TKernel.Value(x) : Lanewise<TKernel, Simd256, Vector256<double>>(x);

    /// <summary>f(a, b) in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Value<TKernel>(Vector512<double> a, Vector512<double> b)
        where TKernel : struct, IBinaryKernel =>
        TKernel.IsValueVectorized ? TKernel.Value(a, b) : Lanewise<TKernel, Simd512, Vector512<double>>(a, b);

    /// <summary>f(a, b) in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Value<TKernel>(Vector256<double> a, Vector256<double> b)
        where TKernel : struct, IBinaryKernel =>
        TKernel.IsValueVectorized ? TKernel.Value(a, b) : Lanewise<TKernel, Simd256, Vector256<double>>(a, b);

    /// <summary>
    /// f(x) and f(−x), given m = |x|: the kernel's reflection (<see cref="IUnaryKernel.HasReflection"/>), or its value
    /// twice. What a reflection translated by the generator calls for another declared function of ±x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ValueAndReflection<TKernel>(Vector512<double> x, Vector512<double> magnitude, out Vector512<double> value, out Vector512<double> reflection)
        where TKernel : struct, IUnaryKernel
    {
        if (TKernel.HasReflection)
        {
            TKernel.ValueAndReflection(x, magnitude, out value, out reflection);
            return;
        }

        value = Value<TKernel>(x);
        reflection = Value<TKernel>(-x);
    }

    /// <inheritdoc cref="ValueAndReflection{TKernel}(Vector512{double}, Vector512{double}, out Vector512{double}, out Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ValueAndReflection<TKernel>(Vector256<double> x, Vector256<double> magnitude, out Vector256<double> value, out Vector256<double> reflection)
        where TKernel : struct, IUnaryKernel
    {
        if (TKernel.HasReflection)
        {
            TKernel.ValueAndReflection(x, magnitude, out value, out reflection);
            return;
        }

        value = Value<TKernel>(x);
        reflection = Value<TKernel>(-x);
    }

    private static TVector Lanewise<TKernel, TWidth, TVector>(TVector x)
        where TKernel : struct, IUnaryKernel
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
    {
        Span<double> lanes = stackalloc double[TWidth.Count];
        TWidth.Store(x, ref MemoryMarshal.GetReference(lanes), 0);
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = TKernel.Value(lanes[i]);
        }

        return TWidth.Load(ref MemoryMarshal.GetReference(lanes), 0);
    }

    private static TVector Lanewise<TKernel, TWidth, TVector>(TVector a, TVector b)
        where TKernel : struct, IBinaryKernel
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
    {
        int count = TWidth.Count;
        Span<double> lanes = stackalloc double[2 * count];
        TWidth.Store(a, ref MemoryMarshal.GetReference(lanes), 0);
        TWidth.Store(b, ref MemoryMarshal.GetReference(lanes), (nuint)count);
        for (int i = 0; i < count; i++)
        {
            lanes[i] = TKernel.Value(lanes[i], lanes[count + i]);
        }

        return TWidth.Load(ref MemoryMarshal.GetReference(lanes), 0);
    }
}
