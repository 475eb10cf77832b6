using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AutoDiff.Kernels;

namespace AutoDiff;

internal static partial class ElementwiseLoops
{
    /// <summary>
    /// y[i] = f(x[i]), partial[i] = f′(x[i]), and the same at −x[i] (reflectedY, reflectedPartial), in one pass: what a
    /// compiled trace runs for f(z) and f(−z) both (<see cref="ReflectedPairs"/>). With a kernel that
    /// <see cref="IUnaryKernel.HasReflection"/>, what the two share is computed once (LogSigmoid: one exponential and one
    /// logarithm's series instead of two each). Every
    /// element has the bits that <see cref="UnaryValueAndPartial{TKernel}"/> gives at x and, separately, at −x: the same
    /// operations on the same values, since |−x| is |x| bit for bit. Width 0 runs the scalar bodies.
    /// <para>
    /// With a non-empty <paramref name="negated"/>, the loop also writes −x[i] there: a recording that computes f(−z) ahead
    /// computes the negation z′ = −z recorded after f(z) with it (Tape.Reflections.cs), from the x it has loaded anyway,
    /// instead of a pass of its own.
    /// </para>
    /// </summary>
    /// <exception cref="InvalidOperationException">The kernel has no reflection (<see cref="IUnaryKernel.HasReflection"/>).</exception>
    public static void UnaryReflectedValueAndPartial<TKernel>(
        ReadOnlySpan<double> x, Span<double> y, Span<double> partial, Span<double> reflectedY, Span<double> reflectedPartial, int width,
        Span<double> negated = default)
        where TKernel : struct, IUnaryKernel
    {
        if (!TKernel.HasReflection)
        {
            throw new InvalidOperationException($"{TKernel.Name} has no reflection: run its value and partial loops at x and at −x instead.");
        }

        int n = y.Length, i = 0;
        x = x[..n];
        partial = partial[..n];
        reflectedY = reflectedY[..n];
        reflectedPartial = reflectedPartial[..n];
        bool negates = !negated.IsEmpty;
        negated = negates ? negated[..n] : negated;
        ref double nr = ref MemoryMarshal.GetReference(negated);
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        ref double pr = ref MemoryMarshal.GetReference(partial);
        ref double ryr = ref MemoryMarshal.GetReference(reflectedY);
        ref double rpr = ref MemoryMarshal.GetReference(reflectedPartial);
        if (width is 512 or 256)
        {
            i = width == 512
                ? UnaryReflectedLoop<TKernel, Simd512, Vector512<double>, CallCache512>(ref xr, ref yr, ref pr, ref ryr, ref rpr, ref nr, negates, n)
                : UnaryReflectedLoop<TKernel, Simd256, Vector256<double>, CallCache256>(ref xr, ref yr, ref pr, ref ryr, ref rpr, ref nr, negates, n);
            if (HasHalfVectorLeft(width, n - i))
            {
                i += UnaryReflectedLoop<TKernel, Simd256, Vector256<double>, CallCache256>(
                    ref Unsafe.Add(ref xr, i), ref Unsafe.Add(ref yr, i), ref Unsafe.Add(ref pr, i), ref Unsafe.Add(ref ryr, i), ref Unsafe.Add(ref rpr, i),
                    ref negates ? ref Unsafe.Add(ref nr, i) : ref nr, negates, n - i);
            }
        }

        for (; i < n; i++)
        {
            double xi = x[i], minusXi = -xi;
            y[i] = TKernel.Value(xi);
            partial[i] = TKernel.Derivative(xi, y[i]);
            reflectedY[i] = TKernel.Value(minusXi);
            reflectedPartial[i] = TKernel.Derivative(minusXi, reflectedY[i]);
            if (negates)
            {
                negated[i] = minusXi;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int UnaryReflectedLoop<TKernel, TWidth, TVector, TCache>(
        ref double x, ref double y, ref double partial, ref double reflectedY, ref double reflectedPartial, ref double negated, bool negates, int n)
        where TKernel : struct, IUnaryKernel
        where TWidth : struct, IKernelWidth<TVector, TCache>
        where TVector : struct
        where TCache : struct
    {
        int i = 0;
        for (; i <= n - TWidth.Count; i += TWidth.Count)
        {
            var xv = TWidth.Load(ref x, (nuint)i);
            var magnitude = TWidth.Abs(xv);
            TWidth.ValueAndReflection<TKernel>(xv, magnitude, out var yv, out var reflected);
            TWidth.DerivativeAndReflection<TKernel>(xv, magnitude, yv, reflected, out var pv, out var reflectedPv);
            TWidth.Store(yv, ref y, (nuint)i);
            TWidth.Store(reflected, ref reflectedY, (nuint)i);
            TWidth.Store(pv, ref partial, (nuint)i);
            TWidth.Store(reflectedPv, ref reflectedPartial, (nuint)i);
            if (negates)
            {
                TWidth.Store(TWidth.Negate(xv), ref negated, (nuint)i);
            }
        }

        return i;
    }
}
