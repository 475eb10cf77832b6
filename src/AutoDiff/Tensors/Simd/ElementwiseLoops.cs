using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AutoDiff.Kernels;

namespace AutoDiff;

/// <summary>
/// The loops of the elementwise drivers, one shape per arity and direction: whole vectors (512 or 256 bits) while the
/// kernel has vector bodies — at 512 bits, then one 256-bit vector when four or more elements are left — then the scalar
/// bodies for the tail. The width is a parameter so tests can run the scalar
/// fallback (width 0) and both vector widths on one machine.
/// </summary>
/// <remarks>
/// The backward loops keep the scalar rule's semantics: an element whose incoming adjoint is exactly 0 contributes
/// nothing, even when its derivative is NaN or infinite (the vector form masks it with <c>ConditionalSelect</c>), and a
/// block whose adjoints are all 0 is skipped without evaluating the derivative.
/// </remarks>
internal static partial class ElementwiseLoops
{
    /// <summary>
    /// The width the drivers use, in bits: 512 where Vector512 is accelerated, else 256 where Vector256 is, else 0 (scalar).
    /// </summary>
    /// <remarks>
    /// <see cref="Vector512.IsHardwareAccelerated"/> is the runtime's own judgement: .NET reports it false on CPUs whose
    /// 512-bit instructions lower the clock (its <c>PreferredVectorBitWidth</c> is 256 there), so those machines take
    /// the 256-bit loops. Measured on AVX-512 hardware without that penalty (AMD Zen 4, docs/benchmarks.md), alternating
    /// runs of both widths: 512 bits made the transcendental kernels 1.2–1.5× faster (W2 at 10⁴ × 20: 241–288 µs against
    /// 315–317 µs; the declared logistic term at 10⁶: 10.3–10.7 ms against 13.3–14.4 ms) and the memory-bound ones no
    /// slower. An earlier measurement had seen the Exp-based kernels 2–4× slower at 512 bits in some runs; the alternating
    /// runs did not reproduce it. Both loops are kept and tested, so this is a one-line choice.
    /// </remarks>
    public static readonly int PreferredWidth =
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 0;

    /// <summary>y[i] = f(x[i]).</summary>
    public static void UnaryValue<TKernel>(ReadOnlySpan<double> x, Span<double> y, int width)
        where TKernel : struct, IUnaryKernel
    {
        int n = y.Length, i = 0;
        x = x[..n];
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        if (TKernel.IsValueVectorized)
        {
            i = width == 512
                ? UnaryValueLoop<TKernel, Simd512, Vector512<double>, CallCache512>(ref xr, ref yr, n)
                : width == 256 ? UnaryValueLoop<TKernel, Simd256, Vector256<double>, CallCache256>(ref xr, ref yr, n) : 0;
            if (HasHalfVectorLeft(width, n - i))
            {
                i += UnaryValueLoop<TKernel, Simd256, Vector256<double>, CallCache256>(ref Unsafe.Add(ref xr, i), ref Unsafe.Add(ref yr, i), n - i);
            }
        }

        for (; i < n; i++)
        {
            y[i] = TKernel.Value(x[i]);
        }
    }

    /// <summary>y[i] = f(x[i]) and partial[i] = f′(x[i]) in one pass (<see cref="IUnaryKernel.SavesPartial"/>).</summary>
    public static void UnaryValueAndPartial<TKernel>(ReadOnlySpan<double> x, Span<double> y, Span<double> partial, int width)
        where TKernel : struct, IUnaryKernel
    {
        int n = y.Length, i = 0;
        x = x[..n];
        partial = partial[..n];
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        ref double pr = ref MemoryMarshal.GetReference(partial);
        if (TKernel.IsValueVectorized && TKernel.IsDerivativeVectorized)
        {
            i = width == 512
                ? UnaryValueAndPartialLoop<TKernel, Simd512, Vector512<double>, CallCache512>(ref xr, ref yr, ref pr, n)
                : width == 256 ? UnaryValueAndPartialLoop<TKernel, Simd256, Vector256<double>, CallCache256>(ref xr, ref yr, ref pr, n) : 0;
            if (HasHalfVectorLeft(width, n - i))
            {
                i += UnaryValueAndPartialLoop<TKernel, Simd256, Vector256<double>, CallCache256>(ref Unsafe.Add(ref xr, i), ref Unsafe.Add(ref yr, i), ref Unsafe.Add(ref pr, i), n - i);
            }
        }

        for (; i < n; i++)
        {
            y[i] = TKernel.Value(x[i]);
            partial[i] = TKernel.Derivative(x[i], y[i]);
        }
    }

    /// <summary>
    /// dx[i] += dy[i] · f′(x[i]) where dy[i] ≠ 0, given y = f(x). With <paramref name="assign"/>, dx holds no contribution
    /// yet (stale values): each element is then set to 0 + its contribution, the same bits as adding into a cleared dx.
    /// A <paramref name="dy"/> of one element for a longer dx is the same adjoint for every element (a uniform adjoint).
    /// </summary>
    public static void UnaryBackward<TKernel>(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx, int width, bool assign = false)
        where TKernel : struct, IUnaryKernel
    {
        int n = dx.Length, i = 0, stepG = GradientStep(dy, n);
        if (n == 0)
        {
            return;
        }

        x = x[..n];
        y = y[..n];
        dy = dy[..(stepG == 0 ? 1 : n)];
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        ref double gr = ref MemoryMarshal.GetReference(dy);
        ref double dr = ref MemoryMarshal.GetReference(dx);
        if (TKernel.IsDerivativeVectorized)
        {
            i = width == 512
                ? UnaryBackwardLoop<TKernel, Simd512, Vector512<double>, CallCache512>(ref xr, ref yr, ref gr, stepG, ref dr, n, assign)
                : width == 256 ? UnaryBackwardLoop<TKernel, Simd256, Vector256<double>, CallCache256>(ref xr, ref yr, ref gr, stepG, ref dr, n, assign) : 0;
            if (HasHalfVectorLeft(width, n - i))
            {
                i += UnaryBackwardLoop<TKernel, Simd256, Vector256<double>, CallCache256>(
                    ref Unsafe.Add(ref xr, i), ref Unsafe.Add(ref yr, i), ref Unsafe.Add(ref gr, i * stepG), stepG, ref Unsafe.Add(ref dr, i), n - i, assign);
            }
        }

        for (; i < n; i++)
        {
            // As in the scalar sweep: an element y does not depend on contributes nothing, even with a NaN derivative.
            double g = dy[i * stepG];
            if (g != 0.0)
            {
                dx[i] = (assign ? 0.0 : dx[i]) + g * TKernel.Derivative(x[i], y[i]);
            }
            else if (assign)
            {
                dx[i] = 0.0;
            }
        }
    }

    /// <summary>
    /// One row of y = f(a, b): an input with step 0 is the single value at its span's start, broadcast along the row;
    /// with step 1 its span holds the row.
    /// </summary>
    public static void BinaryValue<TKernel>(ReadOnlySpan<double> a, int stepA, ReadOnlySpan<double> b, int stepB, Span<double> y, int width)
        where TKernel : struct, IBinaryKernel
    {
        int n = y.Length, i = 0;
        if (n == 0)
        {
            return;
        }

        a = a[..(stepA == 0 ? 1 : n)];
        b = b[..(stepB == 0 ? 1 : n)];
        ref double ar = ref MemoryMarshal.GetReference(a);
        ref double br = ref MemoryMarshal.GetReference(b);
        ref double yr = ref MemoryMarshal.GetReference(y);
        if (TKernel.IsValueVectorized)
        {
            i = width == 512
                ? BinaryValueLoop<TKernel, Simd512, Vector512<double>, CallCache512>(ref ar, stepA, ref br, stepB, ref yr, n)
                : width == 256 ? BinaryValueLoop<TKernel, Simd256, Vector256<double>, CallCache256>(ref ar, stepA, ref br, stepB, ref yr, n) : 0;
            if (HasHalfVectorLeft(width, n - i))
            {
                i += BinaryValueLoop<TKernel, Simd256, Vector256<double>, CallCache256>(ref Unsafe.Add(ref ar, i * stepA), stepA, ref Unsafe.Add(ref br, i * stepB), stepB, ref Unsafe.Add(ref yr, i), n - i);
            }
        }

        for (; i < n; i++)
        {
            y[i] = TKernel.Value(a[i * stepA], b[i * stepB]);
        }
    }

    /// <summary>
    /// The backward of one row of y = f(a, b): da[i·stepA] += dy[i] · ∂f/∂a and db[i·stepB] += dy[i] · ∂f/∂b where
    /// dy[i] ≠ 0, for each input whose adjoint span is not empty (a constant input has none). da and db may be the same
    /// memory (y = x·x). An input with step 0 receives the row's sum: the backward of broadcasting; its vector part is
    /// summed lane-wise, so it may differ from the scalar order by rounding. With <paramref name="assignA"/> (an input with
    /// step 1 whose adjoints hold no contribution yet), da[i] is set to 0 + its contribution instead; likewise for b. A
    /// <paramref name="dy"/> of one element for a longer row is the same adjoint for every element.
    /// </summary>
    public static void BinaryBackward<TKernel>(
        ReadOnlySpan<double> a, int stepA, ReadOnlySpan<double> b, int stepB, ReadOnlySpan<double> y, ReadOnlySpan<double> dy,
        Span<double> da, Span<double> db, int width, bool assignA = false, bool assignB = false)
        where TKernel : struct, IBinaryKernel
    {
        // Assigning (the adjoints hold no contribution yet) is for an input with a value per element; a broadcast one sums.
        Debug.Assert(!(assignA && stepA == 0) && !(assignB && stepB == 0), "A broadcast input's adjoint is added to, never assigned.");
        int n = y.Length, i = 0;
        if (n == 0)
        {
            return;
        }

        bool hasA = !da.IsEmpty, hasB = !db.IsEmpty;
        int stepG = GradientStep(dy, n);
        a = a[..(stepA == 0 ? 1 : n)];
        b = b[..(stepB == 0 ? 1 : n)];
        dy = dy[..(stepG == 0 ? 1 : n)];
        if (hasA)
        {
            da = da[..(stepA == 0 ? 1 : n)];
        }

        if (hasB)
        {
            db = db[..(stepB == 0 ? 1 : n)];
        }

        ref double ar = ref MemoryMarshal.GetReference(a);
        ref double br = ref MemoryMarshal.GetReference(b);
        ref double yr = ref MemoryMarshal.GetReference(y);
        ref double gr = ref MemoryMarshal.GetReference(dy);
        ref double dar = ref MemoryMarshal.GetReference(da);
        ref double dbr = ref MemoryMarshal.GetReference(db);
        // One variable input, broadcast along the row: its adjoint is one sum, which loads only what the partial reads.
        if (hasA != hasB && (hasA ? stepA : stepB) == 0 && TKernel.IsDerivativeVectorized && width is 512 or 256)
        {
            (hasA ? da : db)[0] += BroadcastSums.Sum<TKernel>(hasA ? 0 : 1, ref ar, stepA, ref br, stepB, ref yr, ref gr, stepG, n, width);
            return;
        }

        if (TKernel.IsDerivativeVectorized && width is 512 or 256)
        {
            double sumA, sumB;
            i = width == 512
                ? BinaryBackwardLoop<TKernel, Simd512, Vector512<double>, CallCache512>(ref ar, stepA, ref br, stepB, ref yr, ref gr, stepG, ref hasA ? ref dar : ref Unsafe.NullRef<double>(), ref hasB ? ref dbr : ref Unsafe.NullRef<double>(), n, assignA, assignB, out sumA, out sumB)
                : BinaryBackwardLoop<TKernel, Simd256, Vector256<double>, CallCache256>(ref ar, stepA, ref br, stepB, ref yr, ref gr, stepG, ref hasA ? ref dar : ref Unsafe.NullRef<double>(), ref hasB ? ref dbr : ref Unsafe.NullRef<double>(), n, assignA, assignB, out sumA, out sumB);
            // The vector part's sums for broadcast inputs; nothing when no block ran, so rows shorter than four are exactly scalar.
            if (i > 0)
            {
                AddSum(da, hasA && stepA == 0, sumA);
                AddSum(db, hasB && stepB == 0, sumB);
            }

            if (HasHalfVectorLeft(width, n - i))
            {
                i += BinaryBackwardLoop<TKernel, Simd256, Vector256<double>, CallCache256>(
                    ref Unsafe.Add(ref ar, i * stepA), stepA, ref Unsafe.Add(ref br, i * stepB), stepB, ref Unsafe.Add(ref yr, i),
                    ref Unsafe.Add(ref gr, i * stepG), stepG,
                    ref hasA ? ref Unsafe.Add(ref dar, i * stepA) : ref Unsafe.NullRef<double>(),
                    ref hasB ? ref Unsafe.Add(ref dbr, i * stepB) : ref Unsafe.NullRef<double>(),
                    n - i, assignA, assignB, out sumA, out sumB);
                AddSum(da, hasA && stepA == 0, sumA);
                AddSum(db, hasB && stepB == 0, sumB);
            }
        }

        for (; i < n; i++)
        {
            double g = dy[i * stepG];
            if (g == 0.0)
            {
                if (assignA)
                {
                    da[i] = 0.0;
                }

                if (assignB)
                {
                    db[i] = 0.0;
                }

                continue;
            }

            double ai = a[i * stepA], bi = b[i * stepB], yi = y[i];
            if (hasA)
            {
                da[i * stepA] = (assignA ? 0.0 : da[i * stepA]) + g * TKernel.DerivativeA(ai, bi, yi);
            }

            if (hasB)
            {
                db[i * stepB] = (assignB ? 0.0 : db[i * stepB]) + g * TKernel.DerivativeB(ai, bi, yi);
            }
        }
    }

    // After the 512-bit loop, up to seven elements are left: four of them go through the 256-bit body, whose lanes compute
    // what the 512-bit body's do (the same operations, lane by lane), instead of the scalar body, which for a
    // transcendental kernel costs several times a vector's worth per element (a 100-element LogSigmoid spent a sixth of
    // its time on its last four). The one- and two-input drivers all split a length this way, so a kept partial still
    // has the bits the backward pass would compute, and an element gets the same bits at either width (a broadcast
    // input's sum excepted: its lanes are added in another order); so do the three- and four-input drivers. BroadcastSums
    // still goes from the 512-bit loop to the scalar tail (its sum's order differs between the widths anyway).
    private static bool HasHalfVectorLeft(int width, int left) => width == 512 && left >= Vector256<double>.Count;

    // Each loop is written once over the width (IKernelWidth) and compiled once per width, TWidth being a struct: the JIT
    // inlines the kernel's (possibly large) vector body into each instantiation with a full inlining budget, which two
    // widths in one method would share.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int UnaryValueLoop<TKernel, TWidth, TVector, TCache>(ref double x, ref double y, int n)
        where TKernel : struct, IUnaryKernel
        where TWidth : struct, IKernelWidth<TVector, TCache>
        where TVector : struct
        where TCache : struct
    {
        int i = 0;
        for (; i <= n - TWidth.Count; i += TWidth.Count)
        {
            TWidth.Store(TWidth.Value<TKernel>(TWidth.Load(ref x, (nuint)i)), ref y, (nuint)i);
        }

        return i;
    }

    // The value and the partial of a block side by side: their dependency chains overlap, where the value's pass and a
    // later backward pass would each wait on their own.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int UnaryValueAndPartialLoop<TKernel, TWidth, TVector, TCache>(ref double x, ref double y, ref double partial, int n)
        where TKernel : struct, IUnaryKernel
        where TWidth : struct, IKernelWidth<TVector, TCache>
        where TVector : struct
        where TCache : struct
    {
        int i = 0;
        for (; i <= n - TWidth.Count; i += TWidth.Count)
        {
            var xv = TWidth.Load(ref x, (nuint)i);
            var yv = TWidth.Value<TKernel>(xv);
            TWidth.Store(yv, ref y, (nuint)i);
            TWidth.Store(TWidth.Derivative<TKernel>(xv, yv), ref partial, (nuint)i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int UnaryBackwardLoop<TKernel, TWidth, TVector, TCache>(ref double x, ref double y, ref double dy, int stepG, ref double dx, int n, bool assign)
        where TKernel : struct, IUnaryKernel
        where TWidth : struct, IKernelWidth<TVector, TCache>
        where TVector : struct
        where TCache : struct
    {
        int i = 0;
        var g0 = TWidth.Broadcast(dy);
        for (; i <= n - TWidth.Count; i += TWidth.Count)
        {
            var g = stepG == 0 ? g0 : TWidth.Load(ref dy, (nuint)i);
            if (TWidth.IsAllZero(g))
            {
                if (assign)
                {
                    TWidth.Store(default, ref dx, (nuint)i);
                }

                continue;
            }

            var d = TWidth.Derivative<TKernel>(TWidth.Load(ref x, (nuint)i), TWidth.Load(ref y, (nuint)i));
            TVector acc = default;
            if (!assign)
            {
                acc = TWidth.Load(ref dx, (nuint)i);
            }

            TWidth.Store(TWidth.Select(TWidth.ZeroMask(g), acc, TWidth.Add(acc, TWidth.Multiply(g, d))), ref dx, (nuint)i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int BinaryValueLoop<TKernel, TWidth, TVector, TCache>(ref double a, int stepA, ref double b, int stepB, ref double y, int n)
        where TKernel : struct, IBinaryKernel
        where TWidth : struct, IKernelWidth<TVector, TCache>
        where TVector : struct
        where TCache : struct
    {
        int i = 0;
        var a0 = TWidth.Broadcast(a);
        var b0 = TWidth.Broadcast(b);
        var cache = default(TCache);
        for (; i <= n - TWidth.Count; i += TWidth.Count)
        {
            var va = stepA == 0 ? a0 : TWidth.Load(ref a, (nuint)i);
            var vb = stepB == 0 ? b0 : TWidth.Load(ref b, (nuint)i);
            TWidth.Store(TWidth.Value<TKernel>(va, vb, ref cache), ref y, (nuint)i);
        }

        return i;
    }

    // da or db is a null reference for a constant input. An input with step 0 is summed into sumA or sumB instead.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int BinaryBackwardLoop<TKernel, TWidth, TVector, TCache>(
        ref double a, int stepA, ref double b, int stepB, ref double y, ref double dy, int stepG, ref double da, ref double db, int n,
        bool assignA, bool assignB, out double sumA, out double sumB)
        where TKernel : struct, IBinaryKernel
        where TWidth : struct, IKernelWidth<TVector, TCache>
        where TVector : struct
        where TCache : struct
    {
        bool hasA = !Unsafe.IsNullRef(ref da), hasB = !Unsafe.IsNullRef(ref db);
        int i = 0;
        var a0 = TWidth.Broadcast(a);
        var b0 = TWidth.Broadcast(b);
        var cache = default(TCache);
        TVector totalA = default, totalB = default;
        var (fixedA, fixedB) = RowInvariantPartials<TKernel>(stepA, stepB, hasA, hasB);
        TVector rowPartialA = default, rowPartialB = default;
        if (fixedA | fixedB)
        {
            RowPartials<TKernel, TWidth, TVector, TCache>(a0, b0, fixedA, fixedB, out rowPartialA, out rowPartialB);
        }

        var g0 = TWidth.Broadcast(dy);
        for (; i <= n - TWidth.Count; i += TWidth.Count)
        {
            var g = stepG == 0 ? g0 : TWidth.Load(ref dy, (nuint)i);
            if (TWidth.IsAllZero(g))
            {
                if (assignA)
                {
                    TWidth.Store(default, ref da, (nuint)i);
                }

                if (assignB)
                {
                    TWidth.Store(default, ref db, (nuint)i);
                }

                continue;
            }

            var dead = TWidth.ZeroMask(g);
            var va = stepA == 0 ? a0 : TWidth.Load(ref a, (nuint)i);
            var vb = stepB == 0 ? b0 : TWidth.Load(ref b, (nuint)i);
            var vy = TWidth.Load(ref y, (nuint)i);
            if (hasA)
            {
                var blockPartialA = rowPartialA;
                if (!fixedA)
                {
                    blockPartialA = TWidth.DerivativeA<TKernel>(va, vb, vy, ref cache);
                }

                totalA = Accumulate<TWidth, TVector>(ref da, stepA, assignA, totalA, dead, TWidth.Multiply(g, blockPartialA), i);
            }

            if (hasB)
            {
                var blockPartialB = rowPartialB;
                if (!fixedB)
                {
                    blockPartialB = TWidth.DerivativeB<TKernel>(va, vb, vy, ref cache);
                }

                totalB = Accumulate<TWidth, TVector>(ref db, stepB, assignB, totalB, dead, TWidth.Multiply(g, blockPartialB), i);
            }
        }

        sumA = TWidth.Sum(totalA);
        sumB = TWidth.Sum(totalB);
        return i;
    }

    /// <summary>
    /// One row of y = f(x₀[i·step₀], …) for a three- or four-input kernel: an input with step 0 is the single value at its
    /// span's start; x₃ is ignored (and may be empty) for a three-input kernel.
    /// </summary>
    public static void NaryValue<TKernel>(
        ReadOnlySpan<double> x0, int step0, ReadOnlySpan<double> x1, int step1, ReadOnlySpan<double> x2, int step2, ReadOnlySpan<double> x3, int step3,
        Span<double> y, int width)
        where TKernel : struct, INaryKernel
    {
        int n = y.Length;
        if (n == 0)
        {
            return;
        }

        bool four = TKernel.Arity == 4;
        x0 = x0[..(step0 == 0 ? 1 : n)];
        x1 = x1[..(step1 == 0 ? 1 : n)];
        x2 = x2[..(step2 == 0 ? 1 : n)];
        x3 = four ? x3[..(step3 == 0 ? 1 : n)] : default;
        int i = 0;
        if (TKernel.IsValueVectorized && width is 512 or 256)
        {
            var row = new NaryRow(
                ref MemoryMarshal.GetReference(x0), step0, ref MemoryMarshal.GetReference(x1), step1,
                ref MemoryMarshal.GetReference(x2), step2, ref MemoryMarshal.GetReference(x3), step3, ref MemoryMarshal.GetReference(y),
                ref Unsafe.NullRef<double>(), ref Unsafe.NullRef<double>(), ref Unsafe.NullRef<double>(), ref Unsafe.NullRef<double>(),
                false, false, false, false);
            i = width == 512
                ? NaryValueLoop<TKernel, Simd512, Vector512<double>, CallCache512>(ref row, n)
                : NaryValueLoop<TKernel, Simd256, Vector256<double>, CallCache256>(ref row, n);
            if (HasHalfVectorLeft(width, n - i))
            {
                var rest = row.From(i);
                i += NaryValueLoop<TKernel, Simd256, Vector256<double>, CallCache256>(ref rest, n - i);
            }
        }

        for (; i < n; i++)
        {
            y[i] = TKernel.Value(x0[i * step0], x1[i * step1], x2[i * step2], four ? x3[i * step3] : 0.0);
        }
    }

    /// <summary>
    /// The backward of one row of a three- or four-input kernel, recomputing the partials from the inputs and the saved
    /// output: dxₖ[i·stepₖ] += dy[i]·∂f/∂xₖ where dy[i] ≠ 0, for each input k whose adjoint span is not empty (a constant
    /// input has none). Adjoint spans may be the same memory (f(x, x, z)). An input with step 0 receives the row's sum,
    /// summed lane-wise in the vector part. A <paramref name="dy"/> of one element for a longer row is the same adjoint for
    /// every element.
    /// </summary>
    public static void NaryBackward<TKernel>(
        ReadOnlySpan<double> x0, int step0, ReadOnlySpan<double> x1, int step1, ReadOnlySpan<double> x2, int step2, ReadOnlySpan<double> x3, int step3,
        ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> d0, Span<double> d1, Span<double> d2, Span<double> d3, int width)
        where TKernel : struct, INaryKernel
    {
        int n = y.Length;
        if (n == 0)
        {
            return;
        }

        bool four = TKernel.Arity == 4;
        x0 = x0[..(step0 == 0 ? 1 : n)];
        x1 = x1[..(step1 == 0 ? 1 : n)];
        x2 = x2[..(step2 == 0 ? 1 : n)];
        x3 = four ? x3[..(step3 == 0 ? 1 : n)] : default;
        int stepG = GradientStep(dy, n);
        dy = dy[..(stepG == 0 ? 1 : n)];
        bool has0 = !d0.IsEmpty, has1 = !d1.IsEmpty, has2 = !d2.IsEmpty, has3 = four && !d3.IsEmpty;
        d0 = has0 ? d0[..(step0 == 0 ? 1 : n)] : default;
        d1 = has1 ? d1[..(step1 == 0 ? 1 : n)] : default;
        d2 = has2 ? d2[..(step2 == 0 ? 1 : n)] : default;
        d3 = has3 ? d3[..(step3 == 0 ? 1 : n)] : default;

        int i = 0;
        if (TKernel.IsDerivativeVectorized && width is 512 or 256)
        {
            var row = new NaryRow(
                ref MemoryMarshal.GetReference(x0), step0, ref MemoryMarshal.GetReference(x1), step1,
                ref MemoryMarshal.GetReference(x2), step2, ref MemoryMarshal.GetReference(x3), step3, ref MemoryMarshal.GetReference(y),
                ref MemoryMarshal.GetReference(d0), ref MemoryMarshal.GetReference(d1), ref MemoryMarshal.GetReference(d2), ref MemoryMarshal.GetReference(d3),
                has0, has1, has2, has3);
            Span<double> sums = stackalloc double[4];
            var quotients = QuotientPartials<TKernel>(in row);
            i = NaryBackwardBlocks<TKernel>(ref row, ref MemoryMarshal.GetReference(dy), stepG, n, width, quotients, sums);

            // The vector part's sums for broadcast inputs; nothing when no block ran, so rows shorter than four are exactly scalar.
            if (i > 0)
            {
                if (quotients != 0)
                {
                    DivideQuotientSums<TKernel>(ref row, ref MemoryMarshal.GetReference(dy), stepG, n, width, quotients, sums);
                }

                AddSums(sums, d0, d1, d2, d3, has0 && step0 == 0, has1 && step1 == 0, has2 && step2 == 0, has3 && step3 == 0);
            }
        }

        for (; i < n; i++)
        {
            double g = dy[i * stepG];
            if (g == 0.0)
            {
                continue;
            }

            double a0 = x0[i * step0], a1 = x1[i * step1], a2 = x2[i * step2], a3 = four ? x3[i * step3] : 0.0, r = y[i];
            if (has0)
            {
                d0[i * step0] += g * TKernel.Derivative(0, a0, a1, a2, a3, r);
            }

            if (has1)
            {
                d1[i * step1] += g * TKernel.Derivative(1, a0, a1, a2, a3, r);
            }

            if (has2)
            {
                d2[i * step2] += g * TKernel.Derivative(2, a0, a1, a2, a3, r);
            }

            if (has3)
            {
                d3[i * step3] += g * TKernel.Derivative(3, a0, a1, a2, a3, r);
            }
        }
    }

    // 1 when dy holds an adjoint per element of a row of n, 0 when it holds one adjoint for all of them (a uniform adjoint).
    private static int GradientStep(ReadOnlySpan<double> dy, int n)
    {
        Debug.Assert(dy.Length >= n || dy.Length == 1, "dy holds an adjoint per element, or one for all.");
        return dy.Length >= n ? 1 : 0;
    }

    // The inputs broadcast along the row (step 0), as the reads that stay the same in every element.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static PartialReads Broadcast(int step0, int step1, int step2, int step3) =>
        (step0 == 0 ? PartialReads.Input0 : PartialReads.None) | (step1 == 0 ? PartialReads.Input1 : PartialReads.None)
        | (step2 == 0 ? PartialReads.Input2 : PartialReads.None) | (step3 == 0 ? PartialReads.Input3 : PartialReads.None);

    // A partial that reads only broadcast inputs (not the output) is the same in every block of the row, so the loops
    // evaluate it once before the loop: the same bits as per block, without its divisions or calls per block.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsRowInvariant(PartialReads reads, PartialReads broadcast) => (reads & ~broadcast) == PartialReads.None;

    // A quotient rule (its divisor reads something) whose divisor is the same in every element of the row, so that the
    // row's sum can divide once (BroadcastSums, the n-ary backward).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool DividesOncePerRow(PartialReads divisorReads, PartialReads broadcast) =>
        divisorReads != PartialReads.None && IsRowInvariant(divisorReads, broadcast);

    // The row-invariant partials of BinaryBackwardLoop, taken once before its loop, in a method of their own: inlined there,
    // a second copy of each partial's vector body (those calling library kernels are long) spent the JIT's inlining
    // budget for the loop, whose own partials, and even Simd512's one-instruction helpers, were then called as functions
    // (y·LogSigmoid(z) + (1 − y)·LogSigmoid(−z) with derived rules: 4–8× slower than with a one-call rule).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RowPartials<TKernel, TWidth, TVector, TCache>(
        TVector a0, TVector b0, bool fixedA, bool fixedB, out TVector rowPartialA, out TVector rowPartialB)
        where TKernel : struct, IBinaryKernel
        where TWidth : struct, IKernelWidth<TVector, TCache>
        where TVector : struct
        where TCache : struct
    {
        rowPartialA = fixedA ? TWidth.DerivativeA<TKernel>(a0, b0, default) : default;
        rowPartialB = fixedB ? TWidth.DerivativeB<TKernel>(a0, b0, default) : default;
    }

    // NaryBackwardLoop's row-invariant partials, apart from its loop for the same reason as RowPartials.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void NaryRowPartials<TKernel, TWidth, TVector, TCache>(
        TVector c0, TVector c1, TVector c2, TVector c3, bool fixed0, bool fixed1, bool fixed2, bool fixed3,
        out TVector rowPartial0, out TVector rowPartial1, out TVector rowPartial2, out TVector rowPartial3)
        where TKernel : struct, INaryKernel
        where TWidth : struct, IKernelWidth<TVector, TCache>
        where TVector : struct
        where TCache : struct
    {
        rowPartial0 = fixed0 ? TWidth.Derivative<TKernel>(0, c0, c1, c2, c3, default) : default;
        rowPartial1 = fixed1 ? TWidth.Derivative<TKernel>(1, c0, c1, c2, c3, default) : default;
        rowPartial2 = fixed2 ? TWidth.Derivative<TKernel>(2, c0, c1, c2, c3, default) : default;
        rowPartial3 = fixed3 ? TWidth.Derivative<TKernel>(3, c0, c1, c2, c3, default) : default;
    }

    // Which of a binary row's partials to evaluate once before the loop (both loop widths ask the same).
    private static (bool A, bool B) RowInvariantPartials<TKernel>(int stepA, int stepB, bool hasA, bool hasB)
        where TKernel : struct, IBinaryKernel
    {
        var broadcast = Broadcast(stepA, stepB, 1, 1);
        return (hasA && IsRowInvariant(TKernel.DerivativeAReads, broadcast), hasB && IsRowInvariant(TKernel.DerivativeBReads, broadcast));
    }

    // The same for a three- or four-input row.
    private static (bool P0, bool P1, bool P2, bool P3) RowInvariantPartials<TKernel>(scoped in NaryRow row)
        where TKernel : struct, INaryKernel
    {
        bool four = TKernel.Arity == 4;
        var broadcast = Broadcast(row.Step0, row.Step1, row.Step2, four ? row.Step3 : 0);
        return (
            row.Has0 && IsRowInvariant(TKernel.DerivativeReads(0), broadcast),
            row.Has1 && IsRowInvariant(TKernel.DerivativeReads(1), broadcast),
            row.Has2 && IsRowInvariant(TKernel.DerivativeReads(2), broadcast),
            four && row.Has3 && IsRowInvariant(TKernel.DerivativeReads(3), broadcast));
    }

    // A broadcast input's share of a row: the vector part's lane sums, added once.
    private static void AddSum(Span<double> target, bool broadcast, double sum)
    {
        if (broadcast)
        {
            target[0] += sum;
        }
    }

    private static void AddSums(
        scoped ReadOnlySpan<double> sums, Span<double> d0, Span<double> d1, Span<double> d2, Span<double> d3,
        bool broadcast0, bool broadcast1, bool broadcast2, bool broadcast3)
    {
        AddSum(d0, broadcast0, sums[0]);
        AddSum(d1, broadcast1, sums[1]);
        AddSum(d2, broadcast2, sums[2]);
        AddSum(d3, broadcast3, sums[3]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int NaryBackwardLoop<TKernel, TWidth, TVector, TCache>(ref NaryRow row, ref double dy, int stepG, int n, int quotients, scoped Span<double> sums)
        where TKernel : struct, INaryKernel
        where TWidth : struct, IKernelWidth<TVector, TCache>
        where TVector : struct
        where TCache : struct
    {
        bool four = TKernel.Arity == 4;
        var c0 = TWidth.Broadcast(row.X0);
        var c1 = TWidth.Broadcast(row.X1);
        var c2 = TWidth.Broadcast(row.X2);
        var c3 = four ? TWidth.Broadcast(row.X3) : default;
        var cache = default(TCache);
        TVector t0 = default, t1 = default, t2 = default, t3 = default;
        var (fixed0, fixed1, fixed2, fixed3) = RowInvariantPartials<TKernel>(in row);
        TVector rowPartial0 = default, rowPartial1 = default, rowPartial2 = default, rowPartial3 = default;
        if (fixed0 | fixed1 | fixed2 | fixed3)
        {
            NaryRowPartials<TKernel, TWidth, TVector, TCache>(
                c0, c1, c2, c3, fixed0, fixed1, fixed2, fixed3, out rowPartial0, out rowPartial1, out rowPartial2, out rowPartial3);
        }

        // The output is loaded only for the rules that read it (a Gaussian's partials do not: one stream less).
        bool loadY = ReadsResult<TKernel>(0, row.Has0 && !fixed0) || ReadsResult<TKernel>(1, row.Has1 && !fixed1)
            || ReadsResult<TKernel>(2, row.Has2 && !fixed2) || ReadsResult<TKernel>(3, four && row.Has3 && !fixed3);
        int i = 0;
        var g0 = TWidth.Broadcast(dy);
        for (; i <= n - TWidth.Count; i += TWidth.Count)
        {
            var g = stepG == 0 ? g0 : TWidth.Load(ref dy, (nuint)i);
            if (TWidth.IsAllZero(g))
            {
                continue;
            }

            var dead = TWidth.ZeroMask(g);
            var v0 = row.Step0 == 0 ? c0 : TWidth.Load(ref row.X0, (nuint)i);
            var v1 = row.Step1 == 0 ? c1 : TWidth.Load(ref row.X1, (nuint)i);
            var v2 = row.Step2 == 0 ? c2 : TWidth.Load(ref row.X2, (nuint)i);
            var v3 = !four || row.Step3 == 0 ? c3 : TWidth.Load(ref row.X3, (nuint)i);
            var r = loadY ? TWidth.Load(ref row.Y, (nuint)i) : default;
            if (row.Has0)
            {
                var blockPartial0 = rowPartial0;
                if (!fixed0)
                {
                    blockPartial0 = (quotients & 1) != 0
                        ? TWidth.DerivativeNumerator<TKernel>(0, v0, v1, v2, v3, r)
                        : TWidth.Derivative<TKernel>(0, v0, v1, v2, v3, r, ref cache);
                }

                t0 = Accumulate<TWidth, TVector>(ref row.D0, row.Step0, false, t0, dead, TWidth.Multiply(g, blockPartial0), i);
            }

            if (row.Has1)
            {
                var blockPartial1 = rowPartial1;
                if (!fixed1)
                {
                    blockPartial1 = (quotients & 2) != 0
                        ? TWidth.DerivativeNumerator<TKernel>(1, v0, v1, v2, v3, r)
                        : TWidth.Derivative<TKernel>(1, v0, v1, v2, v3, r, ref cache);
                }

                t1 = Accumulate<TWidth, TVector>(ref row.D1, row.Step1, false, t1, dead, TWidth.Multiply(g, blockPartial1), i);
            }

            if (row.Has2)
            {
                var blockPartial2 = rowPartial2;
                if (!fixed2)
                {
                    blockPartial2 = (quotients & 4) != 0
                        ? TWidth.DerivativeNumerator<TKernel>(2, v0, v1, v2, v3, r)
                        : TWidth.Derivative<TKernel>(2, v0, v1, v2, v3, r, ref cache);
                }

                t2 = Accumulate<TWidth, TVector>(ref row.D2, row.Step2, false, t2, dead, TWidth.Multiply(g, blockPartial2), i);
            }

            if (four && row.Has3)
            {
                var blockPartial3 = rowPartial3;
                if (!fixed3)
                {
                    blockPartial3 = (quotients & 8) != 0
                        ? TWidth.DerivativeNumerator<TKernel>(3, v0, v1, v2, v3, r)
                        : TWidth.Derivative<TKernel>(3, v0, v1, v2, v3, r, ref cache);
                }

                t3 = Accumulate<TWidth, TVector>(ref row.D3, row.Step3, false, t3, dead, TWidth.Multiply(g, blockPartial3), i);
            }
        }

        sums[0] = TWidth.Sum(t0);
        sums[1] = TWidth.Sum(t1);
        sums[2] = TWidth.Sum(t2);
        sums[3] = TWidth.Sum(t3);
        return i;
    }

    // Whether the rule of input k, evaluated per block, reads the output.
    private static bool ReadsResult<TKernel>(int k, bool evaluated)
        where TKernel : struct, INaryKernel => evaluated && (TKernel.DerivativeReads(k) & PartialReads.Result) != 0;

    // The vector blocks of a row: at the preferred width, then one half-width block where half a vector or more is left.
    // The first loop sets sums to the broadcast inputs' lane sums, the half-width block adds its own; returns where the
    // blocks end.
    private static int NaryBackwardBlocks<TKernel>(ref NaryRow row, ref double dy, int stepG, int n, int width, int quotients, scoped Span<double> sums)
        where TKernel : struct, INaryKernel
    {
        int i = width == 512
            ? NaryBackwardLoop<TKernel, Simd512, Vector512<double>, CallCache512>(ref row, ref dy, stepG, n, quotients, sums)
            : NaryBackwardLoop<TKernel, Simd256, Vector256<double>, CallCache256>(ref row, ref dy, stepG, n, quotients, sums);
        if (HasHalfVectorLeft(width, n - i))
        {
            Span<double> rest = stackalloc double[4];
            var tail = row.From(i);
            i += NaryBackwardLoop<TKernel, Simd256, Vector256<double>, CallCache256>(ref tail, ref Unsafe.Add(ref dy, i * stepG), stepG, n - i, quotients, rest);
            for (int k = 0; k < sums.Length; k++)
            {
                sums[k] += rest[k];
            }
        }

        return i;
    }

    // Which partials of a three- or four-input row are summed as quotients (bit k for input k): those of broadcast
    // variable inputs whose rule is one quotient n/v with v reading only broadcast inputs (INaryKernel.DerivativeDivisorReads),
    // unless the whole rule is row-invariant and taken once anyway.
    private static int QuotientPartials<TKernel>(scoped in NaryRow row)
        where TKernel : struct, INaryKernel
    {
        bool four = TKernel.Arity == 4;
        var broadcast = Broadcast(row.Step0, row.Step1, row.Step2, four ? row.Step3 : 0);
        var (fixed0, fixed1, fixed2, fixed3) = RowInvariantPartials<TKernel>(in row);
        bool Quotient(int k, bool has, int step, bool rowInvariant) =>
            has && step == 0 && !rowInvariant && DividesOncePerRow(TKernel.DerivativeDivisorReads(k), broadcast);
        return (Quotient(0, row.Has0, row.Step0, fixed0) ? 1 : 0) | (Quotient(1, row.Has1, row.Step1, fixed1) ? 2 : 0)
            | (Quotient(2, row.Has2, row.Step2, fixed2) ? 4 : 0) | (four && Quotient(3, row.Has3, row.Step3, fixed3) ? 8 : 0);
    }

    // sums[k] holds Σ g·n for each quotient partial k: divided by the row's one divisor v, or where (Σ g·n)/v would not
    // round as Σ g·(n/v) does (BroadcastSums.TryDivide), the row's blocks summed again for input k alone with the rule itself.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DivideQuotientSums<TKernel>(ref NaryRow row, ref double dy, int stepG, int n, int width, int quotients, scoped Span<double> sums)
        where TKernel : struct, INaryKernel
    {
        bool four = TKernel.Arity == 4;
        Span<double> again = stackalloc double[4];
        for (int k = 0; k < 4; k++)
        {
            if ((quotients & (1 << k)) == 0)
            {
                continue;
            }

            // The divisor reads only broadcast inputs, so lane 0 of it at their values is the row's divisor.
            double v = TKernel.DerivativeDivisor(
                k, Vector256.Create(row.X0), Vector256.Create(row.X1), Vector256.Create(row.X2), four ? Vector256.Create(row.X3) : default).ToScalar();
            if (BroadcastSums.TryDivide(sums[k], v, out double quotient))
            {
                sums[k] = quotient;
                continue;
            }

            var only = row.Only(k);
            NaryBackwardBlocks<TKernel>(ref only, ref dy, stepG, n, width, quotients: 0, again);
            sums[k] = again[k];
        }
    }

    // One input's share of a block: into its adjoints (step 1; from 0 rather than their stale values with assign) or its
    // running lane sums (step 0, broadcast); lanes whose incoming adjoint is 0 add nothing, whatever their partial.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Accumulate<TWidth, TVector>(ref double d, int step, bool assign, TVector total, TVector dead, TVector contribution, int i)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
    {
        if (step == 0)
        {
            return TWidth.Add(total, TWidth.Select(dead, default, contribution));
        }

        TVector acc = default;
        if (!assign)
        {
            acc = TWidth.Load(ref d, (nuint)i);
        }

        TWidth.Store(TWidth.Select(dead, acc, TWidth.Add(acc, contribution)), ref d, (nuint)i);
        return total;
    }

    /// <summary>The references of one row of an N-input kernel: inputs, output, and (backward) the inputs' adjoints, each used only when its flag is on.</summary>
    private readonly ref struct NaryRow(
        ref double x0, int step0, ref double x1, int step1, ref double x2, int step2, ref double x3, int step3, ref double y,
        ref double d0, ref double d1, ref double d2, ref double d3, bool has0, bool has1, bool has2, bool has3)
    {
        public readonly ref double X0 = ref x0, X1 = ref x1, X2 = ref x2, X3 = ref x3, Y = ref y;
        public readonly ref double D0 = ref d0, D1 = ref d1, D2 = ref d2, D3 = ref d3;
        public readonly int Step0 = step0, Step1 = step1, Step2 = step2, Step3 = step3;
        public readonly bool Has0 = has0, Has1 = has1, Has2 = has2, Has3 = has3;

        // The same row with only input k's adjoint: the others take no part.
        public NaryRow Only(int k) => new(
            ref X0, Step0, ref X1, Step1, ref X2, Step2, ref X3, Step3, ref Y, ref D0, ref D1, ref D2, ref D3,
            Has0 && k == 0, Has1 && k == 1, Has2 && k == 2, Has3 && k == 3);

        // The row from element i on: a broadcast input (step 0) stays at its one value, an absent adjoint absent.
        public NaryRow From(int i) => new(
            ref Unsafe.Add(ref X0, i * Step0), Step0, ref Unsafe.Add(ref X1, i * Step1), Step1,
            ref Unsafe.Add(ref X2, i * Step2), Step2, ref Unsafe.IsNullRef(ref X3) ? ref X3 : ref Unsafe.Add(ref X3, i * Step3), Step3,
            ref Unsafe.IsNullRef(ref Y) ? ref Y : ref Unsafe.Add(ref Y, i),
            ref Has0 ? ref Unsafe.Add(ref D0, i * Step0) : ref D0, ref Has1 ? ref Unsafe.Add(ref D1, i * Step1) : ref D1,
            ref Has2 ? ref Unsafe.Add(ref D2, i * Step2) : ref D2, ref Has3 ? ref Unsafe.Add(ref D3, i * Step3) : ref D3,
            Has0, Has1, Has2, Has3);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int NaryValueLoop<TKernel, TWidth, TVector, TCache>(ref NaryRow row, int n)
        where TKernel : struct, INaryKernel
        where TWidth : struct, IKernelWidth<TVector, TCache>
        where TVector : struct
        where TCache : struct
    {
        bool four = TKernel.Arity == 4;
        var c0 = TWidth.Broadcast(row.X0);
        var c1 = TWidth.Broadcast(row.X1);
        var c2 = TWidth.Broadcast(row.X2);
        var c3 = four ? TWidth.Broadcast(row.X3) : default;
        var cache = default(TCache);
        int i = 0;
        for (; i <= n - TWidth.Count; i += TWidth.Count)
        {
            var v0 = row.Step0 == 0 ? c0 : TWidth.Load(ref row.X0, (nuint)i);
            var v1 = row.Step1 == 0 ? c1 : TWidth.Load(ref row.X1, (nuint)i);
            var v2 = row.Step2 == 0 ? c2 : TWidth.Load(ref row.X2, (nuint)i);
            var v3 = !four || row.Step3 == 0 ? c3 : TWidth.Load(ref row.X3, (nuint)i);
            TWidth.Store(TWidth.Value<TKernel>(v0, v1, v2, v3, ref cache), ref row.Y, (nuint)i);
        }

        return i;
    }
}
