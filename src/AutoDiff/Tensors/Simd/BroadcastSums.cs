using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoDiff;

/// <summary>
/// The adjoint of a binary operation's one variable input when that input is broadcast along the row (a scalar
/// parameter against data: y − μ, x / σ, c − t): Σᵢ gᵢ·∂y/∂x over the row, with no per-element store.
/// </summary>
/// <remarks>
/// The general backward loop loads every input, the output and the adjoint, and writes back what it accumulates; this
/// sum loads only what the partial reads (<see cref="PartialReads"/>), so −Σ g for y − μ is one stream. With one adjoint g
/// for the whole row (from a Sum) and a partial p that reads only broadcast inputs, it is n·(g·p), with no loop. A partial
/// declared as one quotient n/v by an input broadcast too (∂(a/b)/∂b = −y/b) is summed as (Σ g·n)/v: one division
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
        if (stepG == 0 && ElementwiseLoops.IsRowInvariant(reads, ElementwiseLoops.Broadcast(stepA, stepB, 1, 1)))
        {
            return dy == 0.0 ? 0.0 : n * (dy * (side == 0 ? TKernel.DerivativeA(a, b, y) : TKernel.DerivativeB(a, b, y)));
        }

        int divisor = side == 0 ? TKernel.DerivativeADivisor : TKernel.DerivativeBDivisor;
        bool quotient = divisor >= 0 && (divisor == 0 ? stepA : stepB) == 0;
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
            double v = divisor == 0 ? a : b, q = vectorSum / v;
            if (double.IsNormal(v) && double.IsFinite(q) && Math.Abs(vectorSum) >= SmallestSafeSum)
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

    // Far above the subnormals (below 2.2e−308), so the products g·n that made up a sum this large kept their bits.
    private const double SmallestSafeSum = 1e-270;

    // The vector blocks of the row: Σ g·∂y/∂(a or b), or with quotient Σ g·n. Returns where the blocks end.
    private static int VectorPart<TKernel>(
        int side, bool quotient, ref double a, int stepA, ref double b, int stepB, ref double y, ref double dy, int stepG, int n, int width, PartialReads reads, out double sum)
        where TKernel : struct, IBinaryKernel
    {
        bool wide = width == 512;
        return (side, quotient) switch
        {
            (0, false) => wide ? Loop512<TKernel, PartialA<TKernel>>(ref a, stepA, ref b, stepB, ref y, ref dy, stepG, n, reads, out sum)
                : Loop256<TKernel, PartialA<TKernel>>(ref a, stepA, ref b, stepB, ref y, ref dy, stepG, n, reads, out sum),
            (0, true) => wide ? Loop512<TKernel, NumeratorA<TKernel>>(ref a, stepA, ref b, stepB, ref y, ref dy, stepG, n, reads, out sum)
                : Loop256<TKernel, NumeratorA<TKernel>>(ref a, stepA, ref b, stepB, ref y, ref dy, stepG, n, reads, out sum),
            (_, false) => wide ? Loop512<TKernel, PartialB<TKernel>>(ref a, stepA, ref b, stepB, ref y, ref dy, stepG, n, reads, out sum)
                : Loop256<TKernel, PartialB<TKernel>>(ref a, stepA, ref b, stepB, ref y, ref dy, stepG, n, reads, out sum),
            (_, true) => wide ? Loop512<TKernel, NumeratorB<TKernel>>(ref a, stepA, ref b, stepB, ref y, ref dy, stepG, n, reads, out sum)
                : Loop256<TKernel, NumeratorB<TKernel>>(ref a, stepA, ref b, stepB, ref y, ref dy, stepG, n, reads, out sum),
        };
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Loop512<TKernel, TPartial>(ref double a, int stepA, ref double b, int stepB, ref double y, ref double dy, int stepG, int n, PartialReads reads, out double sum)
        where TKernel : struct, IBinaryKernel
        where TPartial : struct, IRowPartial
    {
        bool loadA = stepA != 0 && (reads & PartialReads.Input0) != 0, loadB = stepB != 0 && (reads & PartialReads.Input1) != 0;
        bool loadY = (reads & PartialReads.Result) != 0;
        var a0 = Vector512.Create(a);
        var b0 = Vector512.Create(b);
        var g0 = Vector512.Create(dy);
        var cache = default(CallCache512);
        var total = Vector512<double>.Zero;
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            var g = stepG == 0 ? g0 : Vector512.LoadUnsafe(ref dy, (nuint)i);
            var va = loadA ? Vector512.LoadUnsafe(ref a, (nuint)i) : a0;
            var vb = loadB ? Vector512.LoadUnsafe(ref b, (nuint)i) : b0;
            var vy = loadY ? Vector512.LoadUnsafe(ref y, (nuint)i) : default;
            total += Vector512.ConditionalSelect(Vector512.Equals(g, Vector512<double>.Zero), Vector512<double>.Zero, g * TPartial.Of(va, vb, vy, ref cache));
        }

        sum = Vector512.Sum(total);
        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Loop256<TKernel, TPartial>(ref double a, int stepA, ref double b, int stepB, ref double y, ref double dy, int stepG, int n, PartialReads reads, out double sum)
        where TKernel : struct, IBinaryKernel
        where TPartial : struct, IRowPartial
    {
        bool loadA = stepA != 0 && (reads & PartialReads.Input0) != 0, loadB = stepB != 0 && (reads & PartialReads.Input1) != 0;
        bool loadY = (reads & PartialReads.Result) != 0;
        var a0 = Vector256.Create(a);
        var b0 = Vector256.Create(b);
        var g0 = Vector256.Create(dy);
        var cache = default(CallCache256);
        var total = Vector256<double>.Zero;
        int i = 0;
        for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var g = stepG == 0 ? g0 : Vector256.LoadUnsafe(ref dy, (nuint)i);
            var va = loadA ? Vector256.LoadUnsafe(ref a, (nuint)i) : a0;
            var vb = loadB ? Vector256.LoadUnsafe(ref b, (nuint)i) : b0;
            var vy = loadY ? Vector256.LoadUnsafe(ref y, (nuint)i) : default;
            total += Vector256.ConditionalSelect(Vector256.Equals(g, Vector256<double>.Zero), Vector256<double>.Zero, g * TPartial.Of(va, vb, vy, ref cache));
        }

        sum = Vector256.Sum(total);
        return i;
    }

    // What the loops sum per lane: ∂y/∂a or ∂y/∂b (through the kernel's call cache when it has one), or the numerator of
    // a quotient rule. One struct per choice, so each loop is compiled for one.
    private interface IRowPartial
    {
        static abstract Vector512<double> Of(Vector512<double> a, Vector512<double> b, Vector512<double> y, ref CallCache512 cache);

        static abstract Vector256<double> Of(Vector256<double> a, Vector256<double> b, Vector256<double> y, ref CallCache256 cache);
    }

    private readonly struct PartialA<TKernel> : IRowPartial
        where TKernel : struct, IBinaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Of(Vector512<double> a, Vector512<double> b, Vector512<double> y, ref CallCache512 cache) =>
            TKernel.UsesCallCache ? TKernel.DerivativeA(a, b, y, ref cache) : TKernel.DerivativeA(a, b, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Of(Vector256<double> a, Vector256<double> b, Vector256<double> y, ref CallCache256 cache) =>
            TKernel.UsesCallCache ? TKernel.DerivativeA(a, b, y, ref cache) : TKernel.DerivativeA(a, b, y);
    }

    private readonly struct PartialB<TKernel> : IRowPartial
        where TKernel : struct, IBinaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Of(Vector512<double> a, Vector512<double> b, Vector512<double> y, ref CallCache512 cache) =>
            TKernel.UsesCallCache ? TKernel.DerivativeB(a, b, y, ref cache) : TKernel.DerivativeB(a, b, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Of(Vector256<double> a, Vector256<double> b, Vector256<double> y, ref CallCache256 cache) =>
            TKernel.UsesCallCache ? TKernel.DerivativeB(a, b, y, ref cache) : TKernel.DerivativeB(a, b, y);
    }

    private readonly struct NumeratorA<TKernel> : IRowPartial
        where TKernel : struct, IBinaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Of(Vector512<double> a, Vector512<double> b, Vector512<double> y, ref CallCache512 cache) => TKernel.DerivativeANumerator(a, b, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Of(Vector256<double> a, Vector256<double> b, Vector256<double> y, ref CallCache256 cache) => TKernel.DerivativeANumerator(a, b, y);
    }

    private readonly struct NumeratorB<TKernel> : IRowPartial
        where TKernel : struct, IBinaryKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Of(Vector512<double> a, Vector512<double> b, Vector512<double> y, ref CallCache512 cache) => TKernel.DerivativeBNumerator(a, b, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Of(Vector256<double> a, Vector256<double> b, Vector256<double> y, ref CallCache256 cache) => TKernel.DerivativeBNumerator(a, b, y);
    }
}
