using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using AutoDiff.Kernels;

namespace AutoDiff;

/// <summary>
/// The adjoint of a binary operation's one variable input when that input is broadcast along the row (a scalar
/// parameter against data: y − μ, x / σ, c − t): Σᵢ gᵢ·∂y/∂x over the row, with no per-element store.
/// </summary>
/// <remarks>
/// The general backward loop loads every input, the output and the adjoint, and writes back what it accumulates; this
/// sum loads only what the partial reads (<see cref="PartialReads"/>), so −Σ g for y − μ is one stream. With one adjoint g
/// for the whole row (from a Sum) and a partial p that reads only broadcast inputs, it is n·(g·p), with no loop. A partial
/// declared as one quotient n/v whose divisor reads only broadcast inputs (∂(a/b)/∂b = −y/b) is summed as (Σ g·n)/v: one division
/// for the row instead of one per element, which bounded W1's backward. These sums differ from the per-element loop's
/// only by rounding, as any order of summation does: where v is not a normal number, or the quotient overflows or the
/// sum underflows, the row is summed again with the rule itself. A zero adjoint contributes nothing, whatever the partial.
/// </remarks>
internal static class BroadcastSums
{
    /// <summary>Σᵢ dy[i]·∂y/∂(a or b) over the row of n, for the input on <paramref name="side"/> (0 is a, 1 is b), which has step 0.</summary>
    public static double Sum<TKernel>(int side, ref double a, int stepA, ref double b, int stepB, ref double y, ref double dy, int stepG, int n, int width)
        where TKernel : struct, IBinaryKernel
    {
        var reads = side == 0 ? TKernel.DerivativeAReads : TKernel.DerivativeBReads;
        var broadcast = ElementwiseLoops.Broadcast(stepA, stepB, 1, 1);
        if (stepG == 0 && ElementwiseLoops.IsRowInvariant(reads, broadcast))
        {
            return dy == 0.0 ? 0.0 : n * (dy * (side == 0 ? TKernel.DerivativeA(a, b, y) : TKernel.DerivativeB(a, b, y)));
        }

        var divisorReads = side == 0 ? TKernel.DerivativeADivisorReads : TKernel.DerivativeBDivisorReads;
        bool quotient = ElementwiseLoops.DividesOncePerRow(divisorReads, broadcast);
        int i = VectorPart<TKernel>(side, quotient, ref a, stepA, ref b, stepB, ref y, ref dy, stepG, n, width, reads, out double vectorSum);
        if (quotient)
        {
            // (Σ g·n)/v equals Σ g·(n/v) up to rounding only while v is a normal number and nothing overflows or
            // underflows on the way: otherwise (v = 0, ±∞, NaN or subnormal; a non-finite quotient; a sum down among the
            // subnormals, or 0, which products that all underflowed also give: 1e−300·1e−150 per element, where
            // Σ g·(n/v) is an ordinary number) the row is summed again with the rule itself, so special values come out
            // as the per-element rule gives them (0/0 = NaN stays NaN). One case keeps the quotient: every n/v
            // overflowing while (Σ g·n)/v does not, where the quotient is finite and nearer the truth than the
            // per-element rule's ∞.
            if (TryDivide(vectorSum, Divisor<TKernel>(side, a, b), out double q))
            {
                vectorSum = q;
            }
            else
            {
                i = VectorPart<TKernel>(side, quotient: false, ref a, stepA, ref b, stepB, ref y, ref dy, stepG, n, width, reads, out vectorSum);
            }
        }

        // The tail, element by element with the rule itself.
        double tail = 0.0;
        for (; i < n; i++)
        {
            double g = Unsafe.Add(ref dy, i * stepG);
            if (g != 0.0)
            {
                double ai = Unsafe.Add(ref a, i * stepA), bi = Unsafe.Add(ref b, i * stepB), yi = Unsafe.Add(ref y, i);
                tail += g * (side == 0 ? TKernel.DerivativeA(ai, bi, yi) : TKernel.DerivativeB(ai, bi, yi));
            }
        }

        return vectorSum + tail;
    }

    /// <summary>
    /// (Σ g·n)/v for a quotient rule's row, when it equals Σ g·(n/v) up to rounding (see above): false where the row must
    /// be summed again with the rule itself.
    /// </summary>
    internal static bool TryDivide(double sum, double v, out double quotient)
    {
        quotient = sum / v;
        return double.IsNormal(v) && double.IsFinite(quotient) && Math.Abs(sum) >= SmallestSafeSum;
    }

    // The divisor reads only broadcast inputs, so lane 0 of it at their values is the row's divisor.
    private static double Divisor<TKernel>(int side, double a, double b)
        where TKernel : struct, IBinaryKernel =>
        (side == 0 ? TKernel.DerivativeADivisor(Vector256.Create(a), Vector256.Create(b)) : TKernel.DerivativeBDivisor(Vector256.Create(a), Vector256.Create(b))).ToScalar();

    // Far above the subnormals (below 2.2e−308), so the products g·n that made up a sum this large kept their bits.
    private const double SmallestSafeSum = 1e-270;

    // The vector blocks of the row: Σ g·∂y/∂(a or b), or with quotient Σ g·n. Returns where the blocks end.
    private static int VectorPart<TKernel>(
        int side, bool quotient, ref double a, int stepA, ref double b, int stepB, ref double y, ref double dy, int stepG, int n, int width, PartialReads reads, out double sum)
        where TKernel : struct, IBinaryKernel
    {
        return width == 512
            ? Blocks<TKernel, Simd512, Vector512<double>, CallCache512>(side, quotient, ref a, stepA, ref b, stepB, ref y, ref dy, stepG, n, reads, out sum)
            : Blocks<TKernel, Simd256, Vector256<double>, CallCache256>(side, quotient, ref a, stepA, ref b, stepB, ref y, ref dy, stepG, n, reads, out sum);
    }

    // The choice of what to sum, at one width: each is its own loop (TPartial a struct), compiled for that one choice.
    private static int Blocks<TKernel, TWidth, TVector, TCache>(
        int side, bool quotient, ref double a, int stepA, ref double b, int stepB, ref double y, ref double dy, int stepG, int n, PartialReads reads, out double sum)
        where TKernel : struct, IBinaryKernel
        where TWidth : struct, IKernelWidth<TVector, TCache>
        where TVector : struct
        where TCache : struct
    {
        return (side, quotient) switch
        {
            (0, false) => Loop<TKernel, PartialA<TKernel>, TWidth, TVector, TCache>(ref a, stepA, ref b, stepB, ref y, ref dy, stepG, n, reads, out sum),
            (0, true) => Loop<TKernel, NumeratorA<TKernel>, TWidth, TVector, TCache>(ref a, stepA, ref b, stepB, ref y, ref dy, stepG, n, reads, out sum),
            (_, false) => Loop<TKernel, PartialB<TKernel>, TWidth, TVector, TCache>(ref a, stepA, ref b, stepB, ref y, ref dy, stepG, n, reads, out sum),
            (_, true) => Loop<TKernel, NumeratorB<TKernel>, TWidth, TVector, TCache>(ref a, stepA, ref b, stepB, ref y, ref dy, stepG, n, reads, out sum),
        };
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Loop<TKernel, TPartial, TWidth, TVector, TCache>(
        ref double a, int stepA, ref double b, int stepB, ref double y, ref double dy, int stepG, int n, PartialReads reads, out double sum)
        where TKernel : struct, IBinaryKernel
        where TPartial : struct, IRowPartial
        where TWidth : struct, IKernelWidth<TVector, TCache>
        where TVector : struct
        where TCache : struct
    {
        bool loadA = stepA != 0 && (reads & PartialReads.Input0) != 0, loadB = stepB != 0 && (reads & PartialReads.Input1) != 0;
        bool loadY = (reads & PartialReads.Result) != 0;
        var a0 = TWidth.Broadcast(a);
        var b0 = TWidth.Broadcast(b);
        var g0 = TWidth.Broadcast(dy);
        var cache = default(TCache);
        TVector total = default;
        int i = 0;
        for (; i <= n - TWidth.Count; i += TWidth.Count)
        {
            var g = stepG == 0 ? g0 : TWidth.Load(ref dy, (nuint)i);
            var va = loadA ? TWidth.Load(ref a, (nuint)i) : a0;
            var vb = loadB ? TWidth.Load(ref b, (nuint)i) : b0;
            var vy = loadY ? TWidth.Load(ref y, (nuint)i) : default;
            total = TWidth.Add(total, TWidth.SelectWhereZero(g, default, TWidth.Multiply(g, TPartial.Of<TWidth, TVector, TCache>(va, vb, vy, ref cache))));
        }

        sum = TWidth.Sum(total);
        return i;
    }

    // What the loops sum per lane: ∂y/∂a or ∂y/∂b (through the kernel's call cache when it has one), or the numerator of
    // a quotient rule. One struct per choice, so each loop is compiled for one.
    private interface IRowPartial
    {
        static abstract TVector Of<TWidth, TVector, TCache>(TVector a, TVector b, TVector y, ref TCache cache)
            where TWidth : struct, IKernelWidth<TVector, TCache>
            where TVector : struct
            where TCache : struct;
    }

    private readonly struct PartialA<TKernel> : IRowPartial
        where TKernel : struct, IBinaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Of<TWidth, TVector, TCache>(TVector a, TVector b, TVector y, ref TCache cache)
            where TWidth : struct, IKernelWidth<TVector, TCache>
            where TVector : struct
            where TCache : struct =>
            TWidth.DerivativeA<TKernel>(a, b, y, ref cache);
    }

    private readonly struct PartialB<TKernel> : IRowPartial
        where TKernel : struct, IBinaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Of<TWidth, TVector, TCache>(TVector a, TVector b, TVector y, ref TCache cache)
            where TWidth : struct, IKernelWidth<TVector, TCache>
            where TVector : struct
            where TCache : struct =>
            TWidth.DerivativeB<TKernel>(a, b, y, ref cache);
    }

    private readonly struct NumeratorA<TKernel> : IRowPartial
        where TKernel : struct, IBinaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Of<TWidth, TVector, TCache>(TVector a, TVector b, TVector y, ref TCache cache)
            where TWidth : struct, IKernelWidth<TVector, TCache>
            where TVector : struct
            where TCache : struct =>
            TWidth.DerivativeANumerator<TKernel>(a, b, y);
    }

    private readonly struct NumeratorB<TKernel> : IRowPartial
        where TKernel : struct, IBinaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Of<TWidth, TVector, TCache>(TVector a, TVector b, TVector y, ref TCache cache)
            where TWidth : struct, IKernelWidth<TVector, TCache>
            where TVector : struct
            where TCache : struct =>
            TWidth.DerivativeBNumerator<TKernel>(a, b, y);
    }
}
