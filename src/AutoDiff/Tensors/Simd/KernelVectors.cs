using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
        TKernel.IsValueVectorized ? TKernel.Value(x) : Lanewise<TKernel>(x);

    /// <summary>f(x) in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Value<TKernel>(Vector256<double> x)
        where TKernel : struct, IUnaryKernel =>
        TKernel.IsValueVectorized ? TKernel.Value(x) : Lanewise<TKernel>(x);

    /// <summary>f(a, b) in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Value<TKernel>(Vector512<double> a, Vector512<double> b)
        where TKernel : struct, IBinaryKernel =>
        TKernel.IsValueVectorized ? TKernel.Value(a, b) : Lanewise<TKernel>(a, b);

    /// <summary>f(a, b) in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Value<TKernel>(Vector256<double> a, Vector256<double> b)
        where TKernel : struct, IBinaryKernel =>
        TKernel.IsValueVectorized ? TKernel.Value(a, b) : Lanewise<TKernel>(a, b);

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

    private static Vector512<double> Lanewise<TKernel>(Vector512<double> x)
        where TKernel : struct, IUnaryKernel
    {
        Span<double> lanes = stackalloc double[Vector512<double>.Count];
        x.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = TKernel.Value(lanes[i]);
        }

        return Vector512.Create<double>(lanes);
    }

    private static Vector256<double> Lanewise<TKernel>(Vector256<double> x)
        where TKernel : struct, IUnaryKernel
    {
        Span<double> lanes = stackalloc double[Vector256<double>.Count];
        x.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = TKernel.Value(lanes[i]);
        }

        return Vector256.Create<double>(lanes);
    }

    private static Vector512<double> Lanewise<TKernel>(Vector512<double> a, Vector512<double> b)
        where TKernel : struct, IBinaryKernel
    {
        Span<double> lanes = stackalloc double[2 * Vector512<double>.Count];
        a.CopyTo(lanes);
        b.CopyTo(lanes[Vector512<double>.Count..]);
        for (int i = 0; i < Vector512<double>.Count; i++)
        {
            lanes[i] = TKernel.Value(lanes[i], lanes[Vector512<double>.Count + i]);
        }

        return Vector512.Create<double>(lanes);
    }

    private static Vector256<double> Lanewise<TKernel>(Vector256<double> a, Vector256<double> b)
        where TKernel : struct, IBinaryKernel
    {
        Span<double> lanes = stackalloc double[2 * Vector256<double>.Count];
        a.CopyTo(lanes);
        b.CopyTo(lanes[Vector256<double>.Count..]);
        for (int i = 0; i < Vector256<double>.Count; i++)
        {
            lanes[i] = TKernel.Value(lanes[i], lanes[Vector256<double>.Count + i]);
        }

        return Vector256.Create<double>(lanes);
    }
}
