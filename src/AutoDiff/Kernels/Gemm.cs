using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading.Tasks;

namespace AutoDiff.Kernels;

/// <summary>
/// Dense matrix product C = op(A)·op(B) (or C += op(A)·op(B)) in row-major float64, GotoBLAS/BLIS style: panels of A
/// and B are packed into contiguous, cache-sized, thread-local buffers and a register-tiled FMA micro-kernel sweeps them.
/// </summary>
/// <remarks>
/// <para>Loops, outermost first: NC columns of C (the packed KC×NC panel of op(B) lives in L3), KC steps of k, MC rows
/// of C (the packed MC×KC block of op(A) lives in L2), then NR-wide and MR-tall micro-tiles. Transposed operands are
/// handled while packing, so op(A)·op(B) costs the same for all four combinations. Packing pads partial micro-panels with
/// zeros; the padded rows and columns of a micro-tile are computed and discarded, never stored.</para>
/// <para>Large products are split over threads by rectangles of C; every thread packs its own operands. Each element
/// of C is the same chain of fused multiply–adds over k (in KC-sized steps that depend only on k) whatever the tiling,
/// the thread count or the position of the element in a tile, so the result is bit-for-bit the same for any
/// <c>maxThreads</c>.</para>
/// </remarks>
internal static class Gemm
{
    /// <summary>Rows of C per micro-tile (Vector512 kernel).</summary>
    internal const int MR512 = 12;

    /// <summary>Columns of C per micro-tile (Vector512 kernel): two vectors.</summary>
    internal const int NR512 = 16;

    /// <summary>Rows of C per micro-tile (Vector256 kernel).</summary>
    internal const int MR256 = 6;

    /// <summary>Columns of C per micro-tile (Vector256 kernel): two vectors.</summary>
    internal const int NR256 = 8;

    /// <summary>Depth of a packed block: k is cut into steps of at most KC (balanced, chosen from k alone).</summary>
    internal static readonly int KC = Tunable("GEMM_KC", 512);

    /// <summary>Rows of op(A) per packed block (rounded to MR).</summary>
    internal static readonly int MC = Tunable("GEMM_MC", 144);

    /// <summary>Columns of op(B) per packed panel (rounded to NR).</summary>
    internal static readonly int NC = Tunable("GEMM_NC", 2048);

    /// <summary>Products with fewer multiply–adds than this run on one thread.</summary>
    internal static readonly long ParallelThreshold = Tunable("GEMM_PAR", 1 << 21);

    /// <summary>True when the Vector512 kernel runs (AVX-512); otherwise the Vector256 kernel.</summary>
    internal static readonly bool Wide = Vector512.IsHardwareAccelerated;

    private static int Tunable(string name, int fallback)
    {
#if GEMM_TUNE
        return int.TryParse(Environment.GetEnvironmentVariable(name), out int v) ? v : fallback;
#else
        _ = name;
        return fallback;
#endif
    }

    [ThreadStatic] private static double[]? t_packA;
    [ThreadStatic] private static int t_packAStart;
    [ThreadStatic] private static double[]? t_packB;
    [ThreadStatic] private static int t_packBStart;

    /// <summary>
    /// C (m×n) = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/>; all row-major.
    /// </summary>
    /// <param name="a">A, m×k (stored k×m when <paramref name="transposeA"/>).</param>
    /// <param name="b">B, k×n (stored n×k when <paramref name="transposeB"/>).</param>
    /// <param name="c">C, m×n; must not overlap <paramref name="a"/> or <paramref name="b"/>.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="transposeA">op(A) = Aᵀ: A is stored k×m.</param>
    /// <param name="transposeB">op(B) = Bᵀ: B is stored n×k.</param>
    /// <param name="accumulate">Add the product to C instead of overwriting it (C's old values are then read).</param>
    /// <param name="maxThreads">At most this many threads; 0 = one per processor. Small products use one.</param>
    /// <exception cref="ArgumentException">A length does not match the shapes, or C overlaps A or B.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension or <paramref name="maxThreads"/> is negative.</exception>
    internal static void Multiply(
        ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int n, int k,
        bool transposeA = false, bool transposeB = false, bool accumulate = false, int maxThreads = 0) =>
        Multiply(a, b, c, m, n, k, transposeA, transposeB, accumulate, maxThreads, Wide);

    /// <summary>As the public form, with the micro-kernel chosen by the caller (tests run both on AVX-512 machines).</summary>
    internal static void Multiply(
        ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int n, int k,
        bool transposeA, bool transposeB, bool accumulate, int maxThreads, bool wide)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(maxThreads);
        if (a.Length != (long)m * k || b.Length != (long)k * n || c.Length != (long)m * n)
        {
            string opA = transposeA ? $"Aᵀ with A {k}×{m}" : $"A {m}×{k}";
            string opB = transposeB ? $"Bᵀ with B {n}×{k}" : $"B {k}×{n}";
            throw new ArgumentException(
                $"Gemm: C ({m}×{n}) = op(A) ({m}×{k}) · op(B) ({k}×{n}), {opA}, {opB}, needs lengths A {(long)m * k}, B {(long)k * n}, " +
                $"C {(long)m * n}; got A {a.Length}, B {b.Length}, C {c.Length}.");
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        if (c.Overlaps(a) || c.Overlaps(b))
        {
            throw new ArgumentException($"Gemm: C ({m}×{n}) overlaps an operand; the product cannot be written in place.", nameof(c));
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                c.Clear();
            }

            return;
        }

        int lda = transposeA ? m : k, ldb = transposeB ? k : n;
        int mr = wide ? MR512 : MR256, nr = wide ? NR512 : NR256;
        int threads = maxThreads == 0 ? Environment.ProcessorCount : Math.Min(maxThreads, Environment.ProcessorCount);
        if (threads <= 1 || (long)m * n * k < ParallelThreshold)
        {
            Sequential(ref MemoryMarshal.GetReference(a), lda, transposeA, ref MemoryMarshal.GetReference(b), ldb, transposeB,
                ref MemoryMarshal.GetReference(c), n, m, n, k, accumulate, wide);
            return;
        }

        // Grid of rectangles of C: tm × tn ≤ threads, whole micro-tiles each, the one whose largest rectangle is smallest.
        int mTiles = (m + mr - 1) / mr, nTiles = (n + nr - 1) / nr;
        int bestTm = 1, bestTn = 1;
        long bestWork = long.MaxValue;
        for (int tm = 1; tm <= threads; tm++)
        {
            int tn = threads / tm;
            int tmEff = Math.Min(tm, mTiles), tnEff = Math.Min(tn, nTiles);
            long work = (long)((mTiles + tmEff - 1) / tmEff) * mr * ((nTiles + tnEff - 1) / tnEff) * nr;
            if (work < bestWork)
            {
                (bestWork, bestTm, bestTn) = (work, tmEff, tnEff);
            }
        }

        if (bestTm * bestTn <= 1)
        {
            Sequential(ref MemoryMarshal.GetReference(a), lda, transposeA, ref MemoryMarshal.GetReference(b), ldb, transposeB,
                ref MemoryMarshal.GetReference(c), n, m, n, k, accumulate, wide);
            return;
        }

        // Worker threads reach the operands through this struct on the caller's stack, which does not move while the caller
        // waits in Parallel.For. The spans inside it are ordinary GC-tracked references (the GC updates them, and the
        // copies the workers take, if it compacts), so no object needs pinning and no address of the heap is ever held
        // as a number: only the stack address of this local is.
        var operands = new Operands(a, b, c);
        nint operandsAddress = Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref Unsafe.As<Operands, byte>(ref operands));
        var job = new Job(operandsAddress, m, n, k, lda, ldb, transposeA, transposeB, accumulate, wide,
            bestTn, (mTiles + bestTm - 1) / bestTm * mr, (nTiles + bestTn - 1) / bestTn * nr);
        Parallel.For(0, bestTm * bestTn, new ParallelOptions { MaxDegreeOfParallelism = threads }, job.Run);
        GC.KeepAlive(job);
        _ = operands.C.Length; // keeps the local alive (and reported) until every worker has finished
    }

    /// <summary>The caller's operands, read by the workers through the caller's stack.</summary>
    private readonly ref struct Operands(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        public readonly ReadOnlySpan<double> A = a;
        public readonly ReadOnlySpan<double> B = b;
        public readonly Span<double> C = c;
    }

    /// <summary>One rectangle of C per task: rows i0 … i0+rowsPerTask−1, columns j0 … j0+columnsPerTask−1.</summary>
    private sealed class Job(
        nint operands, int m, int n, int k, int lda, int ldb, bool transposeA, bool transposeB, bool accumulate, bool wide,
        int tn, int rowsPerTask, int columnsPerTask)
    {
        public void Run(int task)
        {
            int i0 = task / tn * rowsPerTask, j0 = task % tn * columnsPerTask;
            int rows = Math.Min(rowsPerTask, m - i0), columns = Math.Min(columnsPerTask, n - j0);
            if (rows <= 0 || columns <= 0)
            {
                return;
            }

            ref Operands ops = ref Unsafe.As<byte, Operands>(ref Unsafe.AddByteOffset(ref Unsafe.NullRef<byte>(), operands));
            ref double a = ref MemoryMarshal.GetReference(ops.A);
            ref double b = ref MemoryMarshal.GetReference(ops.B);
            ref double c = ref MemoryMarshal.GetReference(ops.C);
            ref double a0 = ref Unsafe.Add(ref a, transposeA ? i0 : (nint)i0 * lda);
            ref double b0 = ref Unsafe.Add(ref b, transposeB ? (nint)j0 * ldb : j0);
            ref double c0 = ref Unsafe.Add(ref c, (nint)i0 * n + j0);
            Sequential(ref a0, lda, transposeA, ref b0, ldb, transposeB, ref c0, n, rows, columns, k, accumulate, wide);
        }
    }

    /// <summary>The single-threaded GotoBLAS loop nest over a (sub)matrix of C with leading dimensions.</summary>
    private static void Sequential(
        ref double a, int lda, bool transposeA, ref double b, int ldb, bool transposeB, ref double c, int ldc,
        int m, int n, int k, bool accumulate, bool wide)
    {
        int mr = wide ? MR512 : MR256, nr = wide ? NR512 : NR256;
        int kBlocks = (k + KC - 1) / KC, kcMax = (k + kBlocks - 1) / kBlocks;
        int mBlocks = (m + MC - 1) / MC, mcMax = RoundUp((m + mBlocks - 1) / mBlocks, mr);
        int nBlocks = (n + NC - 1) / NC, ncMax = RoundUp((n + nBlocks - 1) / nBlocks, nr);
        ref double packA = ref Buffer(ref t_packA, ref t_packAStart, Math.Min(mcMax, RoundUp(m, mr)) * kcMax);
        ref double packB = ref Buffer(ref t_packB, ref t_packBStart, Math.Min(ncMax, RoundUp(n, nr)) * kcMax);
        Span<double> edge = stackalloc double[MR512 * NR512];
        ref double edgeRef = ref MemoryMarshal.GetReference(edge);

        for (int jc = 0; jc < n; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                bool add = accumulate || pc > 0;
                PackB(ref b, ldb, transposeB, pc, jc, kc, nc, nr, ref packB);
                for (int ic = 0; ic < m; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, m - ic);
                    PackA(ref a, lda, transposeA, ic, pc, mc, kc, mr, ref packA);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int nrEff = Math.Min(nr, nc - jr);
                        ref double bPanel = ref Unsafe.Add(ref packB, (nint)jr * kc);
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int mrEff = Math.Min(mr, mc - ir);
                            ref double aPanel = ref Unsafe.Add(ref packA, (nint)ir * kc);
                            ref double cTile = ref Unsafe.Add(ref c, (nint)(ic + ir) * ldc + jc + jr);
                            if (mrEff == mr && nrEff == nr)
                            {
                                if (wide)
                                {
                                    Kernel512(kc, ref aPanel, ref bPanel, ref cTile, ldc, add);
                                }
                                else
                                {
                                    Kernel256(kc, ref aPanel, ref bPanel, ref cTile, ldc, add);
                                }
                            }
                            else
                            {
                                // Partial tile: the kernel writes the whole tile into a scratch block, the valid part is
                                // then stored or added exactly as the kernel would have (one rounding per add).
                                if (wide)
                                {
                                    Kernel512(kc, ref aPanel, ref bPanel, ref edgeRef, nr, add: false);
                                }
                                else
                                {
                                    Kernel256(kc, ref aPanel, ref bPanel, ref edgeRef, nr, add: false);
                                }

                                for (int i = 0; i < mrEff; i++)
                                {
                                    ref double cRow = ref Unsafe.Add(ref cTile, (nint)i * ldc);
                                    ref double eRow = ref Unsafe.Add(ref edgeRef, i * nr);
                                    for (int j = 0; j < nrEff; j++)
                                    {
                                        Unsafe.Add(ref cRow, j) = add ? Unsafe.Add(ref cRow, j) + Unsafe.Add(ref eRow, j) : Unsafe.Add(ref eRow, j);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>A thread-local packing buffer of at least <paramref name="length"/> doubles, starting on a 64-byte boundary.</summary>
    private static ref double Buffer(ref double[]? array, ref int start, int length)
    {
        if (array is null || array.Length - start < length)
        {
            // On the pinned object heap, so the alignment computed once stays true.
            array = GC.AllocateUninitializedArray<double>(length + 8, pinned: true);
            nint address = Unsafe.ByteOffset(ref Unsafe.NullRef<double>(), ref MemoryMarshal.GetArrayDataReference(array));
            start = (int)((64 - (address & 63)) & 63) / sizeof(double);
        }

        return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), start);
    }

    /// <summary>
    /// Packs rows ic … ic+mc−1, columns pc … pc+kc−1 of op(A) as MR-row micro-panels: panel r holds, for each p, the MR
    /// values op(A)[ic + r·MR + i, pc + p] at [r·MR·kc + p·MR + i]; rows past mc are zero.
    /// </summary>
    /// <remarks>
    /// B's NR-column micro-panels are the same packing of op(B)ᵀ: its rows jc … jc+nc−1 are op(B)'s columns, and
    /// op(B)ᵀ is B read with the other transposition (<see cref="PackB"/>).
    /// </remarks>
    private static void PackA(ref double a, int lda, bool transposeA, int ic, int pc, int mc, int kc, int mr, ref double dst)
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            ref double panel = ref Unsafe.Add(ref dst, (nint)ir * kc);
            if (transposeA)
            {
                // op(A)[i, p] = A[p, i]: each p is a contiguous run of rows.
                ref double src = ref Unsafe.Add(ref a, (nint)pc * lda + ic + ir);
                for (int p = 0; p < kc; p++)
                {
                    ref double s = ref Unsafe.Add(ref src, (nint)p * lda);
                    ref double d = ref Unsafe.Add(ref panel, p * mr);
                    if (rows == mr)
                    {
                        CopyRun(ref s, ref d, mr);
                    }
                    else
                    {
                        for (int i = 0; i < rows; i++)
                        {
                            Unsafe.Add(ref d, i) = Unsafe.Add(ref s, i);
                        }

                        for (int i = rows; i < mr; i++)
                        {
                            Unsafe.Add(ref d, i) = 0;
                        }
                    }
                }
            }
            else if (rows == mr && mr % 4 == 0 && Avx.IsSupported)
            {
                PackRowsInBlocksOfFour(ref Unsafe.Add(ref a, (nint)(ic + ir) * lda + pc), lda, kc, mr, ref panel);
            }
            else
            {
                for (int i = 0; i < rows; i++)
                {
                    ref double s = ref Unsafe.Add(ref a, (nint)(ic + ir + i) * lda + pc);
                    ref double d = ref Unsafe.Add(ref panel, i);
                    for (int p = 0; p < kc; p++)
                    {
                        Unsafe.Add(ref d, p * mr) = Unsafe.Add(ref s, p);
                    }
                }

                for (int i = rows; i < mr; i++)
                {
                    ref double d = ref Unsafe.Add(ref panel, i);
                    for (int p = 0; p < kc; p++)
                    {
                        Unsafe.Add(ref d, p * mr) = 0;
                    }
                }
            }
        }
    }

    /// <summary>
    /// One whole micro-panel of <paramref name="mr"/> rows (a multiple of 4) of a row-major op(A), columns 0 … kc−1 of
    /// <paramref name="src"/>, packed as panel[p·mr + i] = src[i·lda + p]: the transposition of 4 × 4 blocks in registers,
    /// each stored as four runs of four, where element by element every value was a load and a store of its own (perf
    /// put 20–25% of W3's GEMM time in packing that way; its weights are read transposed). Probe on the Intel Xeon: one
    /// thread's 256×784×256 from 59–68 to 65–70 GFLOP/s, and with B transposed from 55–65 to 66–70.
    /// </summary>
    private static void PackRowsInBlocksOfFour(ref double src, int lda, int kc, int mr, ref double panel)
    {
        int p = 0;
        for (; p <= kc - 4; p += 4)
        {
            for (int i = 0; i < mr; i += 4)
            {
                ref double s = ref Unsafe.Add(ref src, (nint)i * lda + p);
                var r0 = Vector256.LoadUnsafe(ref s);
                var r1 = Vector256.LoadUnsafe(ref s, (nuint)lda);
                var r2 = Vector256.LoadUnsafe(ref s, (nuint)(2 * lda));
                var r3 = Vector256.LoadUnsafe(ref s, (nuint)(3 * lda));

                // Pairs of rows interleaved within 128-bit lanes, then the lanes exchanged: column j of the block.
                var low01 = Avx.UnpackLow(r0, r1);   // r0[0] r1[0] r0[2] r1[2]
                var high01 = Avx.UnpackHigh(r0, r1); // r0[1] r1[1] r0[3] r1[3]
                var low23 = Avx.UnpackLow(r2, r3);
                var high23 = Avx.UnpackHigh(r2, r3);
                ref double d = ref Unsafe.Add(ref panel, p * mr + i);
                Avx.Permute2x128(low01, low23, 0x20).StoreUnsafe(ref d);
                Avx.Permute2x128(high01, high23, 0x20).StoreUnsafe(ref d, (nuint)mr);
                Avx.Permute2x128(low01, low23, 0x31).StoreUnsafe(ref d, (nuint)(2 * mr));
                Avx.Permute2x128(high01, high23, 0x31).StoreUnsafe(ref d, (nuint)(3 * mr));
            }
        }

        for (; p < kc; p++)
        {
            for (int i = 0; i < mr; i++)
            {
                Unsafe.Add(ref panel, p * mr + i) = Unsafe.Add(ref src, (nint)i * lda + p);
            }
        }
    }

    /// <summary>
    /// Packs rows pc … pc+kc−1, columns jc … jc+nc−1 of op(B) as NR-column micro-panels: panel r holds, for each p, the NR
    /// values op(B)[pc + p, jc + r·NR + j] at [r·NR·kc + p·NR + j]; columns past nc are zero.
    /// </summary>
    private static void PackB(ref double b, int ldb, bool transposeB, int pc, int jc, int kc, int nc, int nr, ref double dst) =>
        PackA(ref b, ldb, !transposeB, jc, pc, nc, kc, nr, ref dst);

    /// <summary>Copies a run of 6, 8, 12 or 16 doubles (a micro-panel row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(ref double s, ref double d, int count)
    {
        if (count == 16)
        {
            Vector512.LoadUnsafe(ref s).StoreUnsafe(ref d);
            Vector512.LoadUnsafe(ref s, 8).StoreUnsafe(ref d, 8);
        }
        else
        {
            MemoryMarshal.CreateReadOnlySpan(ref s, count).CopyTo(MemoryMarshal.CreateSpan(ref d, count));
        }
    }

    /// <summary>The Vector512 micro-kernel: a 12×16 tile of C in 24 registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(int kc, ref double a, ref double b, ref double c, nint ldc, bool add)
    {
        Vector512<double> c0_0 = default; Vector512<double> c0_1 = default;
        Vector512<double> c1_0 = default; Vector512<double> c1_1 = default;
        Vector512<double> c2_0 = default; Vector512<double> c2_1 = default;
        Vector512<double> c3_0 = default; Vector512<double> c3_1 = default;
        Vector512<double> c4_0 = default; Vector512<double> c4_1 = default;
        Vector512<double> c5_0 = default; Vector512<double> c5_1 = default;
        Vector512<double> c6_0 = default; Vector512<double> c6_1 = default;
        Vector512<double> c7_0 = default; Vector512<double> c7_1 = default;
        Vector512<double> c8_0 = default; Vector512<double> c8_1 = default;
        Vector512<double> c9_0 = default; Vector512<double> c9_1 = default;
        Vector512<double> c10_0 = default; Vector512<double> c10_1 = default;
        Vector512<double> c11_0 = default; Vector512<double> c11_1 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.LoadUnsafe(ref b, 0);
            var b1 = Vector512.LoadUnsafe(ref b, 8);
            var a0 = Vector512.Create(Unsafe.Add(ref a, 0));
            c0_0 = Vector512.FusedMultiplyAdd(a0, b0, c0_0);
            c0_1 = Vector512.FusedMultiplyAdd(a0, b1, c0_1);
            var a1 = Vector512.Create(Unsafe.Add(ref a, 1));
            c1_0 = Vector512.FusedMultiplyAdd(a1, b0, c1_0);
            c1_1 = Vector512.FusedMultiplyAdd(a1, b1, c1_1);
            var a2 = Vector512.Create(Unsafe.Add(ref a, 2));
            c2_0 = Vector512.FusedMultiplyAdd(a2, b0, c2_0);
            c2_1 = Vector512.FusedMultiplyAdd(a2, b1, c2_1);
            var a3 = Vector512.Create(Unsafe.Add(ref a, 3));
            c3_0 = Vector512.FusedMultiplyAdd(a3, b0, c3_0);
            c3_1 = Vector512.FusedMultiplyAdd(a3, b1, c3_1);
            var a4 = Vector512.Create(Unsafe.Add(ref a, 4));
            c4_0 = Vector512.FusedMultiplyAdd(a4, b0, c4_0);
            c4_1 = Vector512.FusedMultiplyAdd(a4, b1, c4_1);
            var a5 = Vector512.Create(Unsafe.Add(ref a, 5));
            c5_0 = Vector512.FusedMultiplyAdd(a5, b0, c5_0);
            c5_1 = Vector512.FusedMultiplyAdd(a5, b1, c5_1);
            var a6 = Vector512.Create(Unsafe.Add(ref a, 6));
            c6_0 = Vector512.FusedMultiplyAdd(a6, b0, c6_0);
            c6_1 = Vector512.FusedMultiplyAdd(a6, b1, c6_1);
            var a7 = Vector512.Create(Unsafe.Add(ref a, 7));
            c7_0 = Vector512.FusedMultiplyAdd(a7, b0, c7_0);
            c7_1 = Vector512.FusedMultiplyAdd(a7, b1, c7_1);
            var a8 = Vector512.Create(Unsafe.Add(ref a, 8));
            c8_0 = Vector512.FusedMultiplyAdd(a8, b0, c8_0);
            c8_1 = Vector512.FusedMultiplyAdd(a8, b1, c8_1);
            var a9 = Vector512.Create(Unsafe.Add(ref a, 9));
            c9_0 = Vector512.FusedMultiplyAdd(a9, b0, c9_0);
            c9_1 = Vector512.FusedMultiplyAdd(a9, b1, c9_1);
            var a10 = Vector512.Create(Unsafe.Add(ref a, 10));
            c10_0 = Vector512.FusedMultiplyAdd(a10, b0, c10_0);
            c10_1 = Vector512.FusedMultiplyAdd(a10, b1, c10_1);
            var a11 = Vector512.Create(Unsafe.Add(ref a, 11));
            c11_0 = Vector512.FusedMultiplyAdd(a11, b0, c11_0);
            c11_1 = Vector512.FusedMultiplyAdd(a11, b1, c11_1);
            a = ref Unsafe.Add(ref a, 12);
            b = ref Unsafe.Add(ref b, 16);
        }

        if (add)
        {
            AddKernel512(c0_0, c0_1, ref Unsafe.Add(ref c, 0 * ldc));
            AddKernel512(c1_0, c1_1, ref Unsafe.Add(ref c, 1 * ldc));
            AddKernel512(c2_0, c2_1, ref Unsafe.Add(ref c, 2 * ldc));
            AddKernel512(c3_0, c3_1, ref Unsafe.Add(ref c, 3 * ldc));
            AddKernel512(c4_0, c4_1, ref Unsafe.Add(ref c, 4 * ldc));
            AddKernel512(c5_0, c5_1, ref Unsafe.Add(ref c, 5 * ldc));
            AddKernel512(c6_0, c6_1, ref Unsafe.Add(ref c, 6 * ldc));
            AddKernel512(c7_0, c7_1, ref Unsafe.Add(ref c, 7 * ldc));
            AddKernel512(c8_0, c8_1, ref Unsafe.Add(ref c, 8 * ldc));
            AddKernel512(c9_0, c9_1, ref Unsafe.Add(ref c, 9 * ldc));
            AddKernel512(c10_0, c10_1, ref Unsafe.Add(ref c, 10 * ldc));
            AddKernel512(c11_0, c11_1, ref Unsafe.Add(ref c, 11 * ldc));
        }
        else
        {
            c0_0.StoreUnsafe(ref Unsafe.Add(ref c, 0 * ldc), 0);
            c0_1.StoreUnsafe(ref Unsafe.Add(ref c, 0 * ldc), 8);
            c1_0.StoreUnsafe(ref Unsafe.Add(ref c, 1 * ldc), 0);
            c1_1.StoreUnsafe(ref Unsafe.Add(ref c, 1 * ldc), 8);
            c2_0.StoreUnsafe(ref Unsafe.Add(ref c, 2 * ldc), 0);
            c2_1.StoreUnsafe(ref Unsafe.Add(ref c, 2 * ldc), 8);
            c3_0.StoreUnsafe(ref Unsafe.Add(ref c, 3 * ldc), 0);
            c3_1.StoreUnsafe(ref Unsafe.Add(ref c, 3 * ldc), 8);
            c4_0.StoreUnsafe(ref Unsafe.Add(ref c, 4 * ldc), 0);
            c4_1.StoreUnsafe(ref Unsafe.Add(ref c, 4 * ldc), 8);
            c5_0.StoreUnsafe(ref Unsafe.Add(ref c, 5 * ldc), 0);
            c5_1.StoreUnsafe(ref Unsafe.Add(ref c, 5 * ldc), 8);
            c6_0.StoreUnsafe(ref Unsafe.Add(ref c, 6 * ldc), 0);
            c6_1.StoreUnsafe(ref Unsafe.Add(ref c, 6 * ldc), 8);
            c7_0.StoreUnsafe(ref Unsafe.Add(ref c, 7 * ldc), 0);
            c7_1.StoreUnsafe(ref Unsafe.Add(ref c, 7 * ldc), 8);
            c8_0.StoreUnsafe(ref Unsafe.Add(ref c, 8 * ldc), 0);
            c8_1.StoreUnsafe(ref Unsafe.Add(ref c, 8 * ldc), 8);
            c9_0.StoreUnsafe(ref Unsafe.Add(ref c, 9 * ldc), 0);
            c9_1.StoreUnsafe(ref Unsafe.Add(ref c, 9 * ldc), 8);
            c10_0.StoreUnsafe(ref Unsafe.Add(ref c, 10 * ldc), 0);
            c10_1.StoreUnsafe(ref Unsafe.Add(ref c, 10 * ldc), 8);
            c11_0.StoreUnsafe(ref Unsafe.Add(ref c, 11 * ldc), 0);
            c11_1.StoreUnsafe(ref Unsafe.Add(ref c, 11 * ldc), 8);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddKernel512(Vector512<double> v0, Vector512<double> v1, ref double row)
    {
        (Vector512.LoadUnsafe(ref row, 0) + v0).StoreUnsafe(ref row, 0);
        (Vector512.LoadUnsafe(ref row, 8) + v1).StoreUnsafe(ref row, 8);
    }

    /// <summary>The Vector256 micro-kernel: a 6×8 tile of C in 12 registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256(int kc, ref double a, ref double b, ref double c, nint ldc, bool add)
    {
        Vector256<double> c0_0 = default; Vector256<double> c0_1 = default;
        Vector256<double> c1_0 = default; Vector256<double> c1_1 = default;
        Vector256<double> c2_0 = default; Vector256<double> c2_1 = default;
        Vector256<double> c3_0 = default; Vector256<double> c3_1 = default;
        Vector256<double> c4_0 = default; Vector256<double> c4_1 = default;
        Vector256<double> c5_0 = default; Vector256<double> c5_1 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.LoadUnsafe(ref b, 0);
            var b1 = Vector256.LoadUnsafe(ref b, 4);
            var a0 = Vector256.Create(Unsafe.Add(ref a, 0));
            c0_0 = Vector256.FusedMultiplyAdd(a0, b0, c0_0);
            c0_1 = Vector256.FusedMultiplyAdd(a0, b1, c0_1);
            var a1 = Vector256.Create(Unsafe.Add(ref a, 1));
            c1_0 = Vector256.FusedMultiplyAdd(a1, b0, c1_0);
            c1_1 = Vector256.FusedMultiplyAdd(a1, b1, c1_1);
            var a2 = Vector256.Create(Unsafe.Add(ref a, 2));
            c2_0 = Vector256.FusedMultiplyAdd(a2, b0, c2_0);
            c2_1 = Vector256.FusedMultiplyAdd(a2, b1, c2_1);
            var a3 = Vector256.Create(Unsafe.Add(ref a, 3));
            c3_0 = Vector256.FusedMultiplyAdd(a3, b0, c3_0);
            c3_1 = Vector256.FusedMultiplyAdd(a3, b1, c3_1);
            var a4 = Vector256.Create(Unsafe.Add(ref a, 4));
            c4_0 = Vector256.FusedMultiplyAdd(a4, b0, c4_0);
            c4_1 = Vector256.FusedMultiplyAdd(a4, b1, c4_1);
            var a5 = Vector256.Create(Unsafe.Add(ref a, 5));
            c5_0 = Vector256.FusedMultiplyAdd(a5, b0, c5_0);
            c5_1 = Vector256.FusedMultiplyAdd(a5, b1, c5_1);
            a = ref Unsafe.Add(ref a, 6);
            b = ref Unsafe.Add(ref b, 8);
        }

        if (add)
        {
            AddKernel256(c0_0, c0_1, ref Unsafe.Add(ref c, 0 * ldc));
            AddKernel256(c1_0, c1_1, ref Unsafe.Add(ref c, 1 * ldc));
            AddKernel256(c2_0, c2_1, ref Unsafe.Add(ref c, 2 * ldc));
            AddKernel256(c3_0, c3_1, ref Unsafe.Add(ref c, 3 * ldc));
            AddKernel256(c4_0, c4_1, ref Unsafe.Add(ref c, 4 * ldc));
            AddKernel256(c5_0, c5_1, ref Unsafe.Add(ref c, 5 * ldc));
        }
        else
        {
            c0_0.StoreUnsafe(ref Unsafe.Add(ref c, 0 * ldc), 0);
            c0_1.StoreUnsafe(ref Unsafe.Add(ref c, 0 * ldc), 4);
            c1_0.StoreUnsafe(ref Unsafe.Add(ref c, 1 * ldc), 0);
            c1_1.StoreUnsafe(ref Unsafe.Add(ref c, 1 * ldc), 4);
            c2_0.StoreUnsafe(ref Unsafe.Add(ref c, 2 * ldc), 0);
            c2_1.StoreUnsafe(ref Unsafe.Add(ref c, 2 * ldc), 4);
            c3_0.StoreUnsafe(ref Unsafe.Add(ref c, 3 * ldc), 0);
            c3_1.StoreUnsafe(ref Unsafe.Add(ref c, 3 * ldc), 4);
            c4_0.StoreUnsafe(ref Unsafe.Add(ref c, 4 * ldc), 0);
            c4_1.StoreUnsafe(ref Unsafe.Add(ref c, 4 * ldc), 4);
            c5_0.StoreUnsafe(ref Unsafe.Add(ref c, 5 * ldc), 0);
            c5_1.StoreUnsafe(ref Unsafe.Add(ref c, 5 * ldc), 4);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddKernel256(Vector256<double> v0, Vector256<double> v1, ref double row)
    {
        (Vector256.LoadUnsafe(ref row, 0) + v0).StoreUnsafe(ref row, 0);
        (Vector256.LoadUnsafe(ref row, 4) + v1).StoreUnsafe(ref row, 4);
    }
}
