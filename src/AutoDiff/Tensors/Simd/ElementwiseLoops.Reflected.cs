using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
                ? UnaryReflected512<TKernel>(ref xr, ref yr, ref pr, ref ryr, ref rpr, ref nr, negates, n)
                : UnaryReflected256<TKernel>(ref xr, ref yr, ref pr, ref ryr, ref rpr, ref nr, negates, n);
            if (HasHalfVectorLeft(width, n - i))
            {
                i += UnaryReflected256<TKernel>(
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
    private static int UnaryReflected512<TKernel>(
        ref double x, ref double y, ref double partial, ref double reflectedY, ref double reflectedPartial, ref double negated, bool negates, int n)
        where TKernel : struct, IUnaryKernel
    {
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            var xv = Vector512.LoadUnsafe(ref x, (nuint)i);
            var magnitude = Vector512.Abs(xv);
            TKernel.ValueAndReflection(xv, magnitude, out var yv, out var reflected);
            TKernel.DerivativeAndReflection(xv, magnitude, yv, reflected, out var pv, out var reflectedPv);
            yv.StoreUnsafe(ref y, (nuint)i);
            reflected.StoreUnsafe(ref reflectedY, (nuint)i);
            pv.StoreUnsafe(ref partial, (nuint)i);
            reflectedPv.StoreUnsafe(ref reflectedPartial, (nuint)i);
            if (negates)
            {
                (-xv).StoreUnsafe(ref negated, (nuint)i);
            }
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int UnaryReflected256<TKernel>(
        ref double x, ref double y, ref double partial, ref double reflectedY, ref double reflectedPartial, ref double negated, bool negates, int n)
        where TKernel : struct, IUnaryKernel
    {
        int i = 0;
        for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var xv = Vector256.LoadUnsafe(ref x, (nuint)i);
            var magnitude = Vector256.Abs(xv);
            TKernel.ValueAndReflection(xv, magnitude, out var yv, out var reflected);
            TKernel.DerivativeAndReflection(xv, magnitude, yv, reflected, out var pv, out var reflectedPv);
            yv.StoreUnsafe(ref y, (nuint)i);
            reflected.StoreUnsafe(ref reflectedY, (nuint)i);
            pv.StoreUnsafe(ref partial, (nuint)i);
            reflectedPv.StoreUnsafe(ref reflectedPartial, (nuint)i);
            if (negates)
            {
                (-xv).StoreUnsafe(ref negated, (nuint)i);
            }
        }

        return i;
    }
}
