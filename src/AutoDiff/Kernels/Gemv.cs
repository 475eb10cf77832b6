using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoDiff.Kernels;

/// <summary>
/// Matrix–vector products in row-major float64: y = A·x and y = Aᵀ·x (or y += …), A m×n. Both stream A once, row by
/// row, in SIMD vectors (Vector512 when the hardware has it, else Vector256), so they run at memory bandwidth.
/// </summary>
internal static class Gemv
{
    /// <summary>
    /// y = A·x (y has m elements, x has n) or, when <paramref name="transposeA"/>, y = Aᵀ·x (y has n, x has m);
    /// y += … when <paramref name="accumulate"/>.
    /// </summary>
    /// <param name="a">A, m×n row-major.</param>
    /// <param name="x">The vector multiplied: n elements, or m when <paramref name="transposeA"/>.</param>
    /// <param name="y">The result: m elements, or n when <paramref name="transposeA"/>; must not overlap A or x.</param>
    /// <param name="m">Rows of A.</param>
    /// <param name="n">Columns of A.</param>
    /// <param name="transposeA">Multiply by Aᵀ: y = Σᵢ xᵢ·(row i of A), computed row by row.</param>
    /// <param name="accumulate">Add to y instead of overwriting it.</param>
    /// <exception cref="ArgumentException">A length does not match the shapes, or y overlaps A or x.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    internal static void Multiply(
        ReadOnlySpan<double> a, ReadOnlySpan<double> x, Span<double> y, int m, int n,
        bool transposeA = false, bool accumulate = false) =>
        Multiply(a, x, y, m, n, transposeA, accumulate, Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 0);

    /// <summary>As the public form, with the vector width (512, 256 or 0 for scalar) chosen by the caller, for tests.</summary>
    internal static void Multiply(
        ReadOnlySpan<double> a, ReadOnlySpan<double> x, Span<double> y, int m, int n, bool transposeA, bool accumulate, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        int xLength = transposeA ? m : n, yLength = transposeA ? n : m;
        if (a.Length != (long)m * n || x.Length != xLength || y.Length != yLength)
        {
            string op = transposeA ? "Aᵀ·x" : "A·x";
            throw new ArgumentException(
                $"Gemv: y ({yLength}) = {op} with A {m}×{n} and x ({xLength}) needs lengths A {(long)m * n}, x {xLength}, y {yLength}; " +
                $"got A {a.Length}, x {x.Length}, y {y.Length}.");
        }

        if (y.Overlaps(a) || y.Overlaps(x))
        {
            throw new ArgumentException($"Gemv: y ({yLength}) overlaps an operand; the product cannot be written in place.", nameof(y));
        }

        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rx = ref MemoryMarshal.GetReference(x);
        ref double ry = ref MemoryMarshal.GetReference(y);
        if (transposeA)
        {
            if (!accumulate)
            {
                y.Clear();
            }

            if (n < NarrowColumns)
            {
                TransposedNarrow(ref ra, ref rx, ref ry, m, n);
                return;
            }

            switch (width)
            {
                case 512 when n <= 4 * Vector512<double>.Count: TransposedInRegisters<Simd512, Vector512<double>>(ref ra, ref rx, ref ry, m, n); break;
                case 512: Transposed<Simd512, Vector512<double>>(ref ra, ref rx, ref ry, m, n); break;
                case 256 when n <= 4 * Vector256<double>.Count: TransposedInRegisters<Simd256, Vector256<double>>(ref ra, ref rx, ref ry, m, n); break;
                case 256: Transposed<Simd256, Vector256<double>>(ref ra, ref rx, ref ry, m, n); break;
                default: TransposedScalar(ref ra, ref rx, ref ry, m, n); break;
            }
        }
        else
        {
            if (n < NarrowColumns)
            {
                PlainNarrow(ref ra, ref rx, ref ry, m, n, accumulate);
                return;
            }

            switch (width)
            {
                case 512: Plain<Simd512, Vector512<double>>(ref ra, ref rx, ref ry, m, n, accumulate); break;
                case 256: Plain<Simd256, Vector256<double>>(ref ra, ref rx, ref ry, m, n, accumulate); break;
                default: PlainScalar(ref ra, ref rx, ref ry, m, n, accumulate); break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref double y, double value, bool accumulate) => y = accumulate ? y + value : value;

    // Rows r0 … r0 + 3n (stride n) with partial dot products d0 … d3 over the columns before j: the scalar columns from j
    // on, then y[0 … 3]. The ending of every four-row loop, vector or scalar.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishFourRows(
        ref double r0, ref double x, int j, int n, double d0, double d1, double d2, double d3, ref double y, bool accumulate)
    {
        ref double r1 = ref Unsafe.Add(ref r0, n);
        ref double r2 = ref Unsafe.Add(ref r1, n);
        ref double r3 = ref Unsafe.Add(ref r2, n);
        for (; j < n; j++)
        {
            double xj = Unsafe.Add(ref x, j);
            d0 = Math.FusedMultiplyAdd(Unsafe.Add(ref r0, j), xj, d0);
            d1 = Math.FusedMultiplyAdd(Unsafe.Add(ref r1, j), xj, d1);
            d2 = Math.FusedMultiplyAdd(Unsafe.Add(ref r2, j), xj, d2);
            d3 = Math.FusedMultiplyAdd(Unsafe.Add(ref r3, j), xj, d3);
        }

        Store(ref y, d0, accumulate);
        Store(ref Unsafe.Add(ref y, 1), d1, accumulate);
        Store(ref Unsafe.Add(ref y, 2), d2, accumulate);
        Store(ref Unsafe.Add(ref y, 3), d3, accumulate);
    }

    // One row r with partial dot product d over columns before j: the scalar columns from j on, then y.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishRow(ref double r, ref double x, int j, int n, double d, ref double y, bool accumulate)
    {
        for (; j < n; j++)
        {
            d = Math.FusedMultiplyAdd(Unsafe.Add(ref r, j), Unsafe.Add(ref x, j), d);
        }

        Store(ref y, d, accumulate);
    }

    // Fewer columns than a Vector256 pair: a design matrix of a few parameters (569 × 6). The vector loops would only
    // run their tails and their horizontal sums; these keep four independent FMA chains in registers instead.
    private const int NarrowColumns = 8;

    /// <summary>y = A·x for n &lt; 8: four rows at a time, scalar.</summary>
    private static void PlainNarrow(ref double a, ref double x, ref double y, int m, int n, bool accumulate)
    {
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            FinishFourRows(ref Unsafe.Add(ref a, (nint)i * n), ref x, 0, n, 0, 0, 0, 0, ref Unsafe.Add(ref y, i), accumulate);
        }

        PlainScalar(ref Unsafe.Add(ref a, (nint)i * n), ref x, ref Unsafe.Add(ref y, i), m - i, n, accumulate);
    }

    /// <summary>y += Aᵀ·x for n &lt; 8: one column at a time down the rows, four accumulators, y touched once per column.</summary>
    private static void TransposedNarrow(ref double a, ref double x, ref double y, int m, int n)
    {
        for (int j = 0; j < n; j++)
        {
            ref double column = ref Unsafe.Add(ref a, j);
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = 0;
            for (; i + 4 <= m; i += 4)
            {
                s0 = Math.FusedMultiplyAdd(Unsafe.Add(ref column, (nint)i * n), Unsafe.Add(ref x, i), s0);
                s1 = Math.FusedMultiplyAdd(Unsafe.Add(ref column, (nint)(i + 1) * n), Unsafe.Add(ref x, i + 1), s1);
                s2 = Math.FusedMultiplyAdd(Unsafe.Add(ref column, (nint)(i + 2) * n), Unsafe.Add(ref x, i + 2), s2);
                s3 = Math.FusedMultiplyAdd(Unsafe.Add(ref column, (nint)(i + 3) * n), Unsafe.Add(ref x, i + 3), s3);
            }

            for (; i < m; i++)
            {
                s0 = Math.FusedMultiplyAdd(Unsafe.Add(ref column, (nint)i * n), Unsafe.Add(ref x, i), s0);
            }

            Unsafe.Add(ref y, j) += (s0 + s1) + (s2 + s3);
        }
    }

    /// <summary>y = A·x, four rows at a time (each x vector loaded once for four rows), two vectors per row in flight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Plain<TWidth, TVector>(ref double a, ref double x, ref double y, int m, int n, bool accumulate)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
    {
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            ref double r0 = ref Unsafe.Add(ref a, (nint)i * n);
            ref double r1 = ref Unsafe.Add(ref r0, n);
            ref double r2 = ref Unsafe.Add(ref r1, n);
            ref double r3 = ref Unsafe.Add(ref r2, n);
            TVector s0 = default, s1 = default, s2 = default, s3 = default;
            TVector t0 = default, t1 = default, t2 = default, t3 = default;
            int j = 0;
            for (; j + 2 * TWidth.Count <= n; j += 2 * TWidth.Count)
            {
                var x0 = TWidth.Load(ref x, (nuint)j);
                var x1 = TWidth.Load(ref x, (nuint)(j + TWidth.Count));
                s0 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r0, (nuint)j), x0, s0);
                t0 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r0, (nuint)(j + TWidth.Count)), x1, t0);
                s1 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r1, (nuint)j), x0, s1);
                t1 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r1, (nuint)(j + TWidth.Count)), x1, t1);
                s2 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r2, (nuint)j), x0, s2);
                t2 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r2, (nuint)(j + TWidth.Count)), x1, t2);
                s3 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r3, (nuint)j), x0, s3);
                t3 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r3, (nuint)(j + TWidth.Count)), x1, t3);
            }

            for (; j + TWidth.Count <= n; j += TWidth.Count)
            {
                var x0 = TWidth.Load(ref x, (nuint)j);
                s0 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r0, (nuint)j), x0, s0);
                s1 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r1, (nuint)j), x0, s1);
                s2 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r2, (nuint)j), x0, s2);
                s3 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r3, (nuint)j), x0, s3);
            }

            double d0 = TWidth.Sum(TWidth.Add(s0, t0)), d1 = TWidth.Sum(TWidth.Add(s1, t1));
            double d2 = TWidth.Sum(TWidth.Add(s2, t2)), d3 = TWidth.Sum(TWidth.Add(s3, t3));
            FinishFourRows(ref r0, ref x, j, n, d0, d1, d2, d3, ref Unsafe.Add(ref y, i), accumulate);
        }

        for (; i < m; i++)
        {
            ref double r = ref Unsafe.Add(ref a, (nint)i * n);
            TVector s0 = default, s1 = default, s2 = default, s3 = default;
            int j = 0;
            for (; j + 4 * TWidth.Count <= n; j += 4 * TWidth.Count)
            {
                s0 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r, (nuint)j), TWidth.Load(ref x, (nuint)j), s0);
                s1 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r, (nuint)(j + TWidth.Count)), TWidth.Load(ref x, (nuint)(j + TWidth.Count)), s1);
                s2 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r, (nuint)(j + 2 * TWidth.Count)), TWidth.Load(ref x, (nuint)(j + 2 * TWidth.Count)), s2);
                s3 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r, (nuint)(j + 3 * TWidth.Count)), TWidth.Load(ref x, (nuint)(j + 3 * TWidth.Count)), s3);
            }

            for (; j + TWidth.Count <= n; j += TWidth.Count)
            {
                s0 = TWidth.FusedMultiplyAdd(TWidth.Load(ref r, (nuint)j), TWidth.Load(ref x, (nuint)j), s0);
            }

            double d = TWidth.Sum(TWidth.Add(TWidth.Add(s0, s1), TWidth.Add(s2, s3)));
            FinishRow(ref r, ref x, j, n, d, ref Unsafe.Add(ref y, i), accumulate);
        }
    }

    private static void PlainScalar(ref double a, ref double x, ref double y, int m, int n, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            FinishRow(ref Unsafe.Add(ref a, (nint)i * n), ref x, 0, n, 0, ref Unsafe.Add(ref y, i), accumulate);
        }
    }

    /// <summary>
    /// y += Aᵀ·x for n of one to four vectors (8 ≤ n ≤ 32 at 512 bits, 4 ≤ n ≤ 16 at 256) with y held in registers from the
    /// first row to the last: up to four vectors of it, and its last vector's worth of elements in one more when n is not
    /// a multiple of the width (those it shares with a whole vector are computed twice, the same way, and stored twice
    /// with the same bits).
    /// </summary>
    /// <remarks>
    /// Each element gets the fused multiply-adds of <see cref="Transposed{TWidth, TVector}"/> in the same order, row after row, so the
    /// bits are the same; what changes is that y is not stored and loaded back every four rows. That round trip through
    /// memory is a chain from each four rows to the next, and it ran at two speeds with y's address: W2's ∂θ += Xᵀr at
    /// n = 10⁴ × 20 took 24–25 µs with y at a multiple of 32 bytes and 29–30 µs elsewhere, the difference between the
    /// closed form's fresh array and a gradient summed on the tape; in registers, 19.6–20.5 µs wherever y lies.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposedInRegisters<TWidth, TVector>(ref double a, ref double x, ref double y, int m, int n)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
    {
        int w = TWidth.Count, vectors = n / w;
        nuint tail = (nuint)(n - w);
        bool hasTail = n % w != 0;
        var y0 = TWidth.Load(ref y, 0);
        var y1 = vectors > 1 ? TWidth.Load(ref y, (nuint)w) : default;
        var y2 = vectors > 2 ? TWidth.Load(ref y, (nuint)(2 * w)) : default;
        var y3 = vectors > 3 ? TWidth.Load(ref y, (nuint)(3 * w)) : default;
        var yt = hasTail ? TWidth.Load(ref y, tail) : default;
        for (int i = 0; i < m; i++)
        {
            ref double row = ref Unsafe.Add(ref a, (nint)i * n);
            var e = TWidth.Broadcast(Unsafe.Add(ref x, i));
            y0 = TWidth.FusedMultiplyAdd(TWidth.Load(ref row, 0), e, y0);
            if (vectors > 1)
            {
                y1 = TWidth.FusedMultiplyAdd(TWidth.Load(ref row, (nuint)w), e, y1);
            }

            if (vectors > 2)
            {
                y2 = TWidth.FusedMultiplyAdd(TWidth.Load(ref row, (nuint)(2 * w)), e, y2);
            }

            if (vectors > 3)
            {
                y3 = TWidth.FusedMultiplyAdd(TWidth.Load(ref row, (nuint)(3 * w)), e, y3);
            }

            if (hasTail)
            {
                yt = TWidth.FusedMultiplyAdd(TWidth.Load(ref row, tail), e, yt);
            }
        }

        if (hasTail)
        {
            TWidth.Store(yt, ref y, tail);
        }

        TWidth.Store(y0, ref y, 0);
        if (vectors > 1)
        {
            TWidth.Store(y1, ref y, (nuint)w);
        }

        if (vectors > 2)
        {
            TWidth.Store(y2, ref y, (nuint)(2 * w));
        }

        if (vectors > 3)
        {
            TWidth.Store(y3, ref y, (nuint)(3 * w));
        }
    }

    /// <summary>y += Aᵀ·x as y += Σᵢ xᵢ·Aᵢ, four rows of A per pass over y (y is read and written once per four rows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transposed<TWidth, TVector>(ref double a, ref double x, ref double y, int m, int n)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
    {
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            ref double r0 = ref Unsafe.Add(ref a, (nint)i * n);
            ref double r1 = ref Unsafe.Add(ref r0, n);
            ref double r2 = ref Unsafe.Add(ref r1, n);
            ref double r3 = ref Unsafe.Add(ref r2, n);
            double e0 = Unsafe.Add(ref x, i), e1 = Unsafe.Add(ref x, i + 1), e2 = Unsafe.Add(ref x, i + 2), e3 = Unsafe.Add(ref x, i + 3);
            var x0 = TWidth.Broadcast(e0);
            var x1 = TWidth.Broadcast(e1);
            var x2 = TWidth.Broadcast(e2);
            var x3 = TWidth.Broadcast(e3);
            int j = 0;
            for (; j + TWidth.Count <= n; j += TWidth.Count)
            {
                var v = TWidth.Load(ref y, (nuint)j);
                v = TWidth.FusedMultiplyAdd(TWidth.Load(ref r0, (nuint)j), x0, v);
                v = TWidth.FusedMultiplyAdd(TWidth.Load(ref r1, (nuint)j), x1, v);
                v = TWidth.FusedMultiplyAdd(TWidth.Load(ref r2, (nuint)j), x2, v);
                v = TWidth.FusedMultiplyAdd(TWidth.Load(ref r3, (nuint)j), x3, v);
                TWidth.Store(v, ref y, (nuint)j);
            }

            for (; j < n; j++)
            {
                double v = Unsafe.Add(ref y, j);
                v = Math.FusedMultiplyAdd(Unsafe.Add(ref r0, j), e0, v);
                v = Math.FusedMultiplyAdd(Unsafe.Add(ref r1, j), e1, v);
                v = Math.FusedMultiplyAdd(Unsafe.Add(ref r2, j), e2, v);
                v = Math.FusedMultiplyAdd(Unsafe.Add(ref r3, j), e3, v);
                Unsafe.Add(ref y, j) = v;
            }
        }

        for (; i < m; i++)
        {
            ref double r = ref Unsafe.Add(ref a, (nint)i * n);
            double e = Unsafe.Add(ref x, i);
            var xv = TWidth.Broadcast(e);
            int j = 0;
            for (; j + TWidth.Count <= n; j += TWidth.Count)
            {
                TWidth.Store(TWidth.FusedMultiplyAdd(TWidth.Load(ref r, (nuint)j), xv, TWidth.Load(ref y, (nuint)j)), ref y, (nuint)j);
            }

            for (; j < n; j++)
            {
                Unsafe.Add(ref y, j) = Math.FusedMultiplyAdd(Unsafe.Add(ref r, j), e, Unsafe.Add(ref y, j));
            }
        }
    }

    private static void TransposedScalar(ref double a, ref double x, ref double y, int m, int n)
    {
        for (int i = 0; i < m; i++)
        {
            ref double r = ref Unsafe.Add(ref a, (nint)i * n);
            double e = Unsafe.Add(ref x, i);
            for (int j = 0; j < n; j++)
            {
                Unsafe.Add(ref y, j) = Math.FusedMultiplyAdd(Unsafe.Add(ref r, j), e, Unsafe.Add(ref y, j));
            }
        }
    }
}
