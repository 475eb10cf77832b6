using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoDiff;

/// <summary>
/// The loops of the elementwise drivers, one shape per arity and direction: whole vectors (512 or 256 bits) while the
/// kernel has vector bodies, then the scalar bodies for the tail. The width is a parameter so tests can run the scalar
/// fallback (width 0) and both vector widths on one machine.
/// </summary>
/// <remarks>
/// The backward loops keep the scalar rule's semantics: an element whose incoming adjoint is exactly 0 contributes
/// nothing, even when its derivative is NaN or infinite (the vector form masks it with <c>ConditionalSelect</c>), and a
/// block whose adjoints are all 0 is skipped without evaluating the derivative.
/// </remarks>
internal static class ElementwiseLoops
{
    /// <summary>
    /// The width the drivers use, in bits: 256 where Vector256 is accelerated, else 512 where Vector512 is, else 0 (scalar).
    /// </summary>
    /// <remarks>
    /// 256 bits even on AVX-512 hardware, as <c>Vector&lt;T&gt;</c> does by default: measured on an AVX-512 machine
    /// (10⁶ elements), the arithmetic kernels are memory-bound and equal at both widths, while the Exp-based ones ran
    /// 1.1–1.3× faster at 512 bits in the best runs but 2–4× slower in others; 256 bits was steady. The 512-bit loops
    /// are kept and tested, so this is a one-line choice.
    /// </remarks>
    public static readonly int PreferredWidth =
        Vector256.IsHardwareAccelerated ? 256 : Vector512.IsHardwareAccelerated ? 512 : 0;

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
            i = width == 512 ? UnaryValue512<TKernel>(ref xr, ref yr, n) : width == 256 ? UnaryValue256<TKernel>(ref xr, ref yr, n) : 0;
        }

        for (; i < n; i++)
        {
            y[i] = TKernel.Value(x[i]);
        }
    }

    /// <summary>dx[i] += dy[i] · f′(x[i]) where dy[i] ≠ 0, given y = f(x).</summary>
    public static void UnaryBackward<TKernel>(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx, int width)
        where TKernel : struct, IUnaryKernel
    {
        int n = dx.Length, i = 0;
        x = x[..n];
        y = y[..n];
        dy = dy[..n];
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        ref double gr = ref MemoryMarshal.GetReference(dy);
        ref double dr = ref MemoryMarshal.GetReference(dx);
        if (TKernel.IsDerivativeVectorized)
        {
            i = width == 512
                ? UnaryBackward512<TKernel>(ref xr, ref yr, ref gr, ref dr, n)
                : width == 256 ? UnaryBackward256<TKernel>(ref xr, ref yr, ref gr, ref dr, n) : 0;
        }

        for (; i < n; i++)
        {
            // As in the scalar sweep: an element y does not depend on contributes nothing, even with a NaN derivative.
            if (dy[i] != 0.0)
            {
                dx[i] += dy[i] * TKernel.Derivative(x[i], y[i]);
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
                ? BinaryValue512<TKernel>(ref ar, stepA, ref br, stepB, ref yr, n)
                : width == 256 ? BinaryValue256<TKernel>(ref ar, stepA, ref br, stepB, ref yr, n) : 0;
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
    /// summed lane-wise, so it may differ from the scalar order by rounding.
    /// </summary>
    public static void BinaryBackward<TKernel>(
        ReadOnlySpan<double> a, int stepA, ReadOnlySpan<double> b, int stepB, ReadOnlySpan<double> y, ReadOnlySpan<double> dy,
        Span<double> da, Span<double> db, int width)
        where TKernel : struct, IBinaryKernel
    {
        int n = y.Length, i = 0;
        if (n == 0)
        {
            return;
        }

        bool hasA = !da.IsEmpty, hasB = !db.IsEmpty;
        a = a[..(stepA == 0 ? 1 : n)];
        b = b[..(stepB == 0 ? 1 : n)];
        dy = dy[..n];
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
        if (TKernel.IsDerivativeVectorized && width is 512 or 256)
        {
            double sumA, sumB;
            i = width == 512
                ? BinaryBackward512<TKernel>(ref ar, stepA, ref br, stepB, ref yr, ref gr, ref hasA ? ref dar : ref Unsafe.NullRef<double>(), ref hasB ? ref dbr : ref Unsafe.NullRef<double>(), n, out sumA, out sumB)
                : BinaryBackward256<TKernel>(ref ar, stepA, ref br, stepB, ref yr, ref gr, ref hasA ? ref dar : ref Unsafe.NullRef<double>(), ref hasB ? ref dbr : ref Unsafe.NullRef<double>(), n, out sumA, out sumB);
            AddSums(i, stepA, hasA, sumA, da, stepB, hasB, sumB, db);
        }

        for (; i < n; i++)
        {
            double g = dy[i];
            if (g == 0.0)
            {
                continue;
            }

            double ai = a[i * stepA], bi = b[i * stepB], yi = y[i];
            if (hasA)
            {
                da[i * stepA] += g * TKernel.DerivativeA(ai, bi, yi);
            }

            if (hasB)
            {
                db[i * stepB] += g * TKernel.DerivativeB(ai, bi, yi);
            }
        }
    }

    // Each width's loop is its own method, so the JIT inlines the kernel's (possibly large) vector body into each with a
    // full inlining budget, which two loops in one method would share.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int UnaryValue512<TKernel>(ref double x, ref double y, int n)
        where TKernel : struct, IUnaryKernel
    {
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            TKernel.Value(Vector512.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int UnaryBackward512<TKernel>(ref double x, ref double y, ref double dy, ref double dx, int n)
        where TKernel : struct, IUnaryKernel
    {
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            var g = Vector512.LoadUnsafe(ref dy, (nuint)i);
            if (Vector512.EqualsAll(g, Vector512<double>.Zero))
            {
                continue;
            }

            var d = TKernel.Derivative(Vector512.LoadUnsafe(ref x, (nuint)i), Vector512.LoadUnsafe(ref y, (nuint)i));
            var acc = Vector512.LoadUnsafe(ref dx, (nuint)i);
            Vector512.ConditionalSelect(Vector512.Equals(g, Vector512<double>.Zero), acc, acc + g * d).StoreUnsafe(ref dx, (nuint)i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int BinaryValue512<TKernel>(ref double a, int stepA, ref double b, int stepB, ref double y, int n)
        where TKernel : struct, IBinaryKernel
    {
        int i = 0;
        var a0 = Vector512.Create(a);
        var b0 = Vector512.Create(b);
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            var va = stepA == 0 ? a0 : Vector512.LoadUnsafe(ref a, (nuint)i);
            var vb = stepB == 0 ? b0 : Vector512.LoadUnsafe(ref b, (nuint)i);
            TKernel.Value(va, vb).StoreUnsafe(ref y, (nuint)i);
        }

        return i;
    }

    // da or db is a null reference for a constant input. An input with step 0 is summed into sumA or sumB instead.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int BinaryBackward512<TKernel>(
        ref double a, int stepA, ref double b, int stepB, ref double y, ref double dy, ref double da, ref double db, int n,
        out double sumA, out double sumB)
        where TKernel : struct, IBinaryKernel
    {
        bool hasA = !Unsafe.IsNullRef(ref da), hasB = !Unsafe.IsNullRef(ref db);
        int i = 0;
        var a0 = Vector512.Create(a);
        var b0 = Vector512.Create(b);
        Vector512<double> totalA = default, totalB = default;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            var g = Vector512.LoadUnsafe(ref dy, (nuint)i);
            if (Vector512.EqualsAll(g, Vector512<double>.Zero))
            {
                continue;
            }

            var dead = Vector512.Equals(g, Vector512<double>.Zero);
            var va = stepA == 0 ? a0 : Vector512.LoadUnsafe(ref a, (nuint)i);
            var vb = stepB == 0 ? b0 : Vector512.LoadUnsafe(ref b, (nuint)i);
            var vy = Vector512.LoadUnsafe(ref y, (nuint)i);
            if (hasA)
            {
                var contribution = g * TKernel.DerivativeA(va, vb, vy);
                if (stepA == 0)
                {
                    totalA += Vector512.ConditionalSelect(dead, Vector512<double>.Zero, contribution);
                }
                else
                {
                    var acc = Vector512.LoadUnsafe(ref da, (nuint)i);
                    Vector512.ConditionalSelect(dead, acc, acc + contribution).StoreUnsafe(ref da, (nuint)i);
                }
            }

            if (hasB)
            {
                var contribution = g * TKernel.DerivativeB(va, vb, vy);
                if (stepB == 0)
                {
                    totalB += Vector512.ConditionalSelect(dead, Vector512<double>.Zero, contribution);
                }
                else
                {
                    var acc = Vector512.LoadUnsafe(ref db, (nuint)i);
                    Vector512.ConditionalSelect(dead, acc, acc + contribution).StoreUnsafe(ref db, (nuint)i);
                }
            }
        }

        sumA = Vector512.Sum(totalA);
        sumB = Vector512.Sum(totalB);
        return i;
    }
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int UnaryValue256<TKernel>(ref double x, ref double y, int n)
        where TKernel : struct, IUnaryKernel
    {
        int i = 0;
        for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            TKernel.Value(Vector256.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int UnaryBackward256<TKernel>(ref double x, ref double y, ref double dy, ref double dx, int n)
        where TKernel : struct, IUnaryKernel
    {
        int i = 0;
        for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var g = Vector256.LoadUnsafe(ref dy, (nuint)i);
            if (Vector256.EqualsAll(g, Vector256<double>.Zero))
            {
                continue;
            }

            var d = TKernel.Derivative(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref y, (nuint)i));
            var acc = Vector256.LoadUnsafe(ref dx, (nuint)i);
            Vector256.ConditionalSelect(Vector256.Equals(g, Vector256<double>.Zero), acc, acc + g * d).StoreUnsafe(ref dx, (nuint)i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int BinaryValue256<TKernel>(ref double a, int stepA, ref double b, int stepB, ref double y, int n)
        where TKernel : struct, IBinaryKernel
    {
        int i = 0;
        var a0 = Vector256.Create(a);
        var b0 = Vector256.Create(b);
        for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var va = stepA == 0 ? a0 : Vector256.LoadUnsafe(ref a, (nuint)i);
            var vb = stepB == 0 ? b0 : Vector256.LoadUnsafe(ref b, (nuint)i);
            TKernel.Value(va, vb).StoreUnsafe(ref y, (nuint)i);
        }

        return i;
    }

    // da or db is a null reference for a constant input. An input with step 0 is summed into sumA or sumB instead.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int BinaryBackward256<TKernel>(
        ref double a, int stepA, ref double b, int stepB, ref double y, ref double dy, ref double da, ref double db, int n,
        out double sumA, out double sumB)
        where TKernel : struct, IBinaryKernel
    {
        bool hasA = !Unsafe.IsNullRef(ref da), hasB = !Unsafe.IsNullRef(ref db);
        int i = 0;
        var a0 = Vector256.Create(a);
        var b0 = Vector256.Create(b);
        Vector256<double> totalA = default, totalB = default;
        for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var g = Vector256.LoadUnsafe(ref dy, (nuint)i);
            if (Vector256.EqualsAll(g, Vector256<double>.Zero))
            {
                continue;
            }

            var dead = Vector256.Equals(g, Vector256<double>.Zero);
            var va = stepA == 0 ? a0 : Vector256.LoadUnsafe(ref a, (nuint)i);
            var vb = stepB == 0 ? b0 : Vector256.LoadUnsafe(ref b, (nuint)i);
            var vy = Vector256.LoadUnsafe(ref y, (nuint)i);
            if (hasA)
            {
                var contribution = g * TKernel.DerivativeA(va, vb, vy);
                if (stepA == 0)
                {
                    totalA += Vector256.ConditionalSelect(dead, Vector256<double>.Zero, contribution);
                }
                else
                {
                    var acc = Vector256.LoadUnsafe(ref da, (nuint)i);
                    Vector256.ConditionalSelect(dead, acc, acc + contribution).StoreUnsafe(ref da, (nuint)i);
                }
            }

            if (hasB)
            {
                var contribution = g * TKernel.DerivativeB(va, vb, vy);
                if (stepB == 0)
                {
                    totalB += Vector256.ConditionalSelect(dead, Vector256<double>.Zero, contribution);
                }
                else
                {
                    var acc = Vector256.LoadUnsafe(ref db, (nuint)i);
                    Vector256.ConditionalSelect(dead, acc, acc + contribution).StoreUnsafe(ref db, (nuint)i);
                }
            }
        }

        sumA = Vector256.Sum(totalA);
        sumB = Vector256.Sum(totalB);
        return i;
    }

    /// <summary>
    /// One row of the fused pass of a three- or four-input kernel: y[i] = f(x₀[i·step₀], …) and, for each input k whose
    /// partial span is not empty (the variable inputs), pₖ[i] = ∂f/∂xₖ at the same point, computed from the same loaded
    /// values and the fresh y. An input with step 0 is the single value at its span's start; x₃ is ignored (and may be
    /// empty) for a three-input kernel.
    /// </summary>
    public static void NaryValueAndPartials<TKernel>(
        ReadOnlySpan<double> x0, int step0, ReadOnlySpan<double> x1, int step1, ReadOnlySpan<double> x2, int step2, ReadOnlySpan<double> x3, int step3,
        Span<double> y, Span<double> p0, Span<double> p1, Span<double> p2, Span<double> p3, int width)
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
        bool has0 = !p0.IsEmpty, has1 = !p1.IsEmpty, has2 = !p2.IsEmpty, has3 = four && !p3.IsEmpty;
        p0 = has0 ? p0[..n] : default;
        p1 = has1 ? p1[..n] : default;
        p2 = has2 ? p2[..n] : default;
        p3 = has3 ? p3[..n] : default;

        int i = 0;
        if (TKernel.IsValueVectorized && width is 512 or 256)
        {
            var row = new NaryRow(
                ref MemoryMarshal.GetReference(x0), step0, ref MemoryMarshal.GetReference(x1), step1,
                ref MemoryMarshal.GetReference(x2), step2, ref MemoryMarshal.GetReference(x3), step3, ref MemoryMarshal.GetReference(y),
                ref MemoryMarshal.GetReference(p0), ref MemoryMarshal.GetReference(p1), ref MemoryMarshal.GetReference(p2), ref MemoryMarshal.GetReference(p3),
                has0, has1, has2, has3);
            i = width == 512 ? NaryValue512<TKernel>(ref row, n) : NaryValue256<TKernel>(ref row, n);
        }

        // The scalar part: every element the vector loop did not reach, and the partials of those it did when the rules
        // have no vector form (then the vector loop wrote values only, and the partials read them back).
        for (int j = TKernel.IsDerivativeVectorized ? i : 0; j < n; j++)
        {
            double a0 = x0[j * step0], a1 = x1[j * step1], a2 = x2[j * step2], a3 = four ? x3[j * step3] : 0.0;
            double r = j < i ? y[j] : y[j] = TKernel.Value(a0, a1, a2, a3);
            if (has0)
            {
                p0[j] = TKernel.Derivative(0, a0, a1, a2, a3, r);
            }

            if (has1)
            {
                p1[j] = TKernel.Derivative(1, a0, a1, a2, a3, r);
            }

            if (has2)
            {
                p2[j] = TKernel.Derivative(2, a0, a1, a2, a3, r);
            }

            if (has3)
            {
                p3[j] = TKernel.Derivative(3, a0, a1, a2, a3, r);
            }
        }
    }

    /// <summary>
    /// The whole backward of a fused op for one input along one row, whatever the kernel: dx[i·step] += dy[i]·p[i] where
    /// dy[i] ≠ 0 (a NaN or infinite partial of an element the result does not depend on contributes nothing, as in the
    /// scalar sweep). With step 0 the row's sum goes to dx[0], the backward of broadcasting; its vector part is summed
    /// lane-wise, so it may differ from the scalar order by rounding.
    /// </summary>
    public static void AccumulateProducts(ReadOnlySpan<double> dy, ReadOnlySpan<double> p, Span<double> dx, int step, int width)
    {
        int n = dy.Length, i = 0;
        if (n == 0)
        {
            return;
        }

        p = p[..n];
        dx = dx[..(step == 0 ? 1 : n)];
        ref double gr = ref MemoryMarshal.GetReference(dy);
        ref double pr = ref MemoryMarshal.GetReference(p);
        ref double dr = ref MemoryMarshal.GetReference(dx);
        if (width is 512 or 256)
        {
            double sum;
            i = width == 512 ? AccumulateProducts512(ref gr, ref pr, ref dr, step, n, out sum) : AccumulateProducts256(ref gr, ref pr, ref dr, step, n, out sum);
            if (step == 0 && i > 0)
            {
                dx[0] += sum;
            }
        }

        for (; i < n; i++)
        {
            if (dy[i] != 0.0)
            {
                dx[i * step] += dy[i] * p[i];
            }
        }
    }

    /// <summary>The references of one row of a fused N-input pass; a partial's reference is unused when its flag is off.</summary>
    private readonly ref struct NaryRow(
        ref double x0, int step0, ref double x1, int step1, ref double x2, int step2, ref double x3, int step3, ref double y,
        ref double p0, ref double p1, ref double p2, ref double p3, bool has0, bool has1, bool has2, bool has3)
    {
        public readonly ref double X0 = ref x0, X1 = ref x1, X2 = ref x2, X3 = ref x3, Y = ref y;
        public readonly ref double P0 = ref p0, P1 = ref p1, P2 = ref p2, P3 = ref p3;
        public readonly int Step0 = step0, Step1 = step1, Step2 = step2, Step3 = step3;
        public readonly bool Has0 = has0, Has1 = has1, Has2 = has2, Has3 = has3;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int NaryValue512<TKernel>(ref NaryRow row, int n)
        where TKernel : struct, INaryKernel
    {
        bool four = TKernel.Arity == 4;
        var c0 = Vector512.Create(row.X0);
        var c1 = Vector512.Create(row.X1);
        var c2 = Vector512.Create(row.X2);
        var c3 = four ? Vector512.Create(row.X3) : Vector512<double>.Zero;
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            var v0 = row.Step0 == 0 ? c0 : Vector512.LoadUnsafe(ref row.X0, (nuint)i);
            var v1 = row.Step1 == 0 ? c1 : Vector512.LoadUnsafe(ref row.X1, (nuint)i);
            var v2 = row.Step2 == 0 ? c2 : Vector512.LoadUnsafe(ref row.X2, (nuint)i);
            var v3 = !four || row.Step3 == 0 ? c3 : Vector512.LoadUnsafe(ref row.X3, (nuint)i);
            var r = TKernel.Value(v0, v1, v2, v3);
            r.StoreUnsafe(ref row.Y, (nuint)i);
            if (TKernel.IsDerivativeVectorized)
            {
                if (row.Has0)
                {
                    TKernel.Derivative(0, v0, v1, v2, v3, r).StoreUnsafe(ref row.P0, (nuint)i);
                }

                if (row.Has1)
                {
                    TKernel.Derivative(1, v0, v1, v2, v3, r).StoreUnsafe(ref row.P1, (nuint)i);
                }

                if (row.Has2)
                {
                    TKernel.Derivative(2, v0, v1, v2, v3, r).StoreUnsafe(ref row.P2, (nuint)i);
                }

                if (four && row.Has3)
                {
                    TKernel.Derivative(3, v0, v1, v2, v3, r).StoreUnsafe(ref row.P3, (nuint)i);
                }
            }
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int NaryValue256<TKernel>(ref NaryRow row, int n)
        where TKernel : struct, INaryKernel
    {
        bool four = TKernel.Arity == 4;
        var c0 = Vector256.Create(row.X0);
        var c1 = Vector256.Create(row.X1);
        var c2 = Vector256.Create(row.X2);
        var c3 = four ? Vector256.Create(row.X3) : Vector256<double>.Zero;
        int i = 0;
        for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var v0 = row.Step0 == 0 ? c0 : Vector256.LoadUnsafe(ref row.X0, (nuint)i);
            var v1 = row.Step1 == 0 ? c1 : Vector256.LoadUnsafe(ref row.X1, (nuint)i);
            var v2 = row.Step2 == 0 ? c2 : Vector256.LoadUnsafe(ref row.X2, (nuint)i);
            var v3 = !four || row.Step3 == 0 ? c3 : Vector256.LoadUnsafe(ref row.X3, (nuint)i);
            var r = TKernel.Value(v0, v1, v2, v3);
            r.StoreUnsafe(ref row.Y, (nuint)i);
            if (TKernel.IsDerivativeVectorized)
            {
                if (row.Has0)
                {
                    TKernel.Derivative(0, v0, v1, v2, v3, r).StoreUnsafe(ref row.P0, (nuint)i);
                }

                if (row.Has1)
                {
                    TKernel.Derivative(1, v0, v1, v2, v3, r).StoreUnsafe(ref row.P1, (nuint)i);
                }

                if (row.Has2)
                {
                    TKernel.Derivative(2, v0, v1, v2, v3, r).StoreUnsafe(ref row.P2, (nuint)i);
                }

                if (four && row.Has3)
                {
                    TKernel.Derivative(3, v0, v1, v2, v3, r).StoreUnsafe(ref row.P3, (nuint)i);
                }
            }
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int AccumulateProducts512(ref double dy, ref double p, ref double dx, int step, int n, out double sum)
    {
        var total = Vector512<double>.Zero;
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            var g = Vector512.LoadUnsafe(ref dy, (nuint)i);
            if (Vector512.EqualsAll(g, Vector512<double>.Zero))
            {
                continue;
            }

            var dead = Vector512.Equals(g, Vector512<double>.Zero);
            var contribution = g * Vector512.LoadUnsafe(ref p, (nuint)i);
            if (step == 0)
            {
                total += Vector512.ConditionalSelect(dead, Vector512<double>.Zero, contribution);
            }
            else
            {
                var acc = Vector512.LoadUnsafe(ref dx, (nuint)i);
                Vector512.ConditionalSelect(dead, acc, acc + contribution).StoreUnsafe(ref dx, (nuint)i);
            }
        }

        sum = Vector512.Sum(total);
        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int AccumulateProducts256(ref double dy, ref double p, ref double dx, int step, int n, out double sum)
    {
        var total = Vector256<double>.Zero;
        int i = 0;
        for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var g = Vector256.LoadUnsafe(ref dy, (nuint)i);
            if (Vector256.EqualsAll(g, Vector256<double>.Zero))
            {
                continue;
            }

            var dead = Vector256.Equals(g, Vector256<double>.Zero);
            var contribution = g * Vector256.LoadUnsafe(ref p, (nuint)i);
            if (step == 0)
            {
                total += Vector256.ConditionalSelect(dead, Vector256<double>.Zero, contribution);
            }
            else
            {
                var acc = Vector256.LoadUnsafe(ref dx, (nuint)i);
                Vector256.ConditionalSelect(dead, acc, acc + contribution).StoreUnsafe(ref dx, (nuint)i);
            }
        }

        sum = Vector256.Sum(total);
        return i;
    }

    // The vector part's sums for broadcast inputs. Nothing is added when no vector block ran, so a row short enough for
    // the scalar loop alone gives exactly the scalar result.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddSums(int done, int stepA, bool hasA, double sumA, Span<double> da, int stepB, bool hasB, double sumB, Span<double> db)
    {
        if (done == 0)
        {
            return;
        }

        if (hasA && stepA == 0)
        {
            da[0] += sumA;
        }

        if (hasB && stepB == 0)
        {
            db[0] += sumB;
        }
    }
}
