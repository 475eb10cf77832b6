using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AutoDiff.Kernels;

namespace AutoDiff;

internal static partial class ElementwiseLoops
{
    /// <summary>
    /// dx = (dx + dNegated·(−1)) + dy·p in one pass (dx taken as 0 first when <paramref name="assign"/>): the backward rule of
    /// a negation z′ = −z followed by that of y = f(z) with kept partials p, where each would be a pass over z's adjoints of
    /// its own (<see cref="UnaryBackward{TKernel}"/> with the negation's kernel, then with the kept partials). Each term is
    /// skipped where its adjoint is 0, as in those loops, and the two are added in their order, so every element has their
    /// bits. <paramref name="dy"/> and <paramref name="dNegated"/> hold an adjoint per element, or one for all (uniform).
    /// </summary>
    public static void KeptPartialBackwardAfterNegation(
        ReadOnlySpan<double> partial, ReadOnlySpan<double> dy, ReadOnlySpan<double> dNegated, Span<double> dx, int width, bool assign)
    {
        int n = dx.Length, i = 0;
        if (n == 0)
        {
            return;
        }

        int stepG = GradientStep(dy, n), stepN = GradientStep(dNegated, n);
        partial = partial[..n];
        dy = dy[..(stepG == 0 ? 1 : n)];
        dNegated = dNegated[..(stepN == 0 ? 1 : n)];
        ref double pr = ref MemoryMarshal.GetReference(partial);
        ref double gr = ref MemoryMarshal.GetReference(dy);
        ref double nr = ref MemoryMarshal.GetReference(dNegated);
        ref double dr = ref MemoryMarshal.GetReference(dx);
        if (width is 512 or 256)
        {
            i = width == 512
                ? AfterNegation<Simd512, Vector512<double>>(ref pr, ref gr, stepG, ref nr, stepN, ref dr, n, assign)
                : AfterNegation<Simd256, Vector256<double>>(ref pr, ref gr, stepG, ref nr, stepN, ref dr, n, assign);
            if (HasHalfVectorLeft(width, n - i))
            {
                i += AfterNegation<Simd256, Vector256<double>>(
                    ref Unsafe.Add(ref pr, i), ref Unsafe.Add(ref gr, i * stepG), stepG, ref Unsafe.Add(ref nr, i * stepN), stepN, ref Unsafe.Add(ref dr, i), n - i, assign);
            }
        }

        for (; i < n; i++)
        {
            double sum = assign ? 0.0 : dx[i];
            double negated = dNegated[i * stepN], g = dy[i * stepG];
            if (negated != 0.0)
            {
                sum += negated * -1.0;
            }

            if (g != 0.0)
            {
                sum += g * partial[i];
            }

            dx[i] = sum;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int AfterNegation<TWidth, TVector>(ref double partial, ref double dy, int stepG, ref double dNegated, int stepN, ref double dx, int n, bool assign)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
    {
        int i = 0, w = TWidth.Count;
        var g0 = TWidth.Broadcast(dy);
        var negated0 = TWidth.Broadcast(dNegated);
        var minusOne = TWidth.Broadcast(-1.0);
        var zero = TWidth.Broadcast(0.0);
        for (; i <= n - w; i += w)
        {
            var sum = assign ? zero : TWidth.Load(ref dx, (nuint)i);
            var negated = stepN == 0 ? negated0 : TWidth.Load(ref dNegated, (nuint)i);
            sum = TWidth.SelectWhereZero(negated, sum, TWidth.Add(sum, TWidth.Multiply(negated, minusOne)));
            var g = stepG == 0 ? g0 : TWidth.Load(ref dy, (nuint)i);
            var p = TWidth.Load(ref partial, (nuint)i);
            TWidth.Store(TWidth.SelectWhereZero(g, sum, TWidth.Add(sum, TWidth.Multiply(g, p))), ref dx, (nuint)i);
        }

        return i;
    }
}
