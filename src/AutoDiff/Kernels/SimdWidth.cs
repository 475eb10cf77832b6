using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoDiff.Kernels;

/// <summary>
/// The vector operations a kernel written once for both widths needs, on <typeparamref name="TVector"/> (Vector512 or
/// Vector256 of double): the kernel takes the width as a struct type argument (<see cref="Simd512"/>,
/// <see cref="Simd256"/>), so the JIT compiles it once per width with these calls inlined, as if written twice.
/// </summary>
/// <typeparam name="TVector">The vector type.</typeparam>
internal interface ISimdWidth<TVector>
    where TVector : struct
{
    /// <summary>Doubles per vector.</summary>
    static abstract int Count { get; }

    /// <summary>The vector at <paramref name="source"/> + <paramref name="offset"/> elements.</summary>
    static abstract TVector Load(ref double source, nuint offset);

    /// <summary>Writes <paramref name="value"/> at <paramref name="destination"/> + <paramref name="offset"/> elements.</summary>
    static abstract void Store(TVector value, ref double destination, nuint offset);

    /// <summary><paramref name="value"/> in every lane.</summary>
    static abstract TVector Broadcast(double value);

    /// <summary>a·b + c in every lane, rounded once.</summary>
    static abstract TVector FusedMultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>a + b in every lane.</summary>
    static abstract TVector Add(TVector a, TVector b);

    /// <summary>a·b in every lane.</summary>
    static abstract TVector Multiply(TVector a, TVector b);

    /// <summary>The sum of the lanes, added as the width's own <c>Sum</c> adds them.</summary>
    static abstract double Sum(TVector x);

    /// <summary>|x| in every lane.</summary>
    static abstract TVector Abs(TVector x);

    /// <summary>−x in every lane.</summary>
    static abstract TVector Negate(TVector x);

    /// <summary>Whether every lane of <paramref name="x"/> is ±0.</summary>
    static abstract bool IsAllZero(TVector x);

    /// <summary>All bits set in the lanes where <paramref name="x"/> is ±0, none elsewhere.</summary>
    static abstract TVector ZeroMask(TVector x);

    /// <summary>Lane by lane, <paramref name="whereSet"/> where <paramref name="mask"/> has its bits set, else <paramref name="otherwise"/>.</summary>
    static abstract TVector Select(TVector mask, TVector whereSet, TVector otherwise);

    /// <summary>In every lane, <paramref name="whereZero"/> where <paramref name="x"/> is ±0, else <paramref name="otherwise"/>.</summary>
    static abstract TVector SelectWhereZero(TVector x, TVector whereZero, TVector otherwise);

    /// <summary>a − b in every lane.</summary>
    static abstract TVector Subtract(TVector a, TVector b);

    /// <summary>a / b in every lane.</summary>
    static abstract TVector Divide(TVector a, TVector b);

    /// <summary>
    /// x clamped to [<paramref name="lowest"/>, <paramref name="highest"/>] in every lane, NaN where x is NaN (IEEE
    /// 754-2019 maximum, then minimum).
    /// </summary>
    /// <remarks>
    /// The bounds are doubles, not vectors, so that a constant bound reaches the width's Max and Min as a constant: the
    /// JIT then emits one vmaxpd and one vminpd, where a bound it cannot see costs a vrangepd and two vfixupimmpd each
    /// (an inlined <see cref="Broadcast"/> passed on as a vector is not seen: Exp ran 40% slower).
    /// </remarks>
    static abstract TVector Clamp(TVector x, double lowest, double highest);

    /// <summary>⌊x⌋ in every lane.</summary>
    static abstract TVector Floor(TVector x);

    /// <summary>All bits set in the lanes where a = b, none elsewhere.</summary>
    static abstract TVector CompareEqual(TVector a, TVector b);

    /// <summary>All bits set in the lanes where a &lt; b, none elsewhere.</summary>
    static abstract TVector CompareLessThan(TVector a, TVector b);

    /// <summary>All bits set in the lanes where a &gt; b, none elsewhere.</summary>
    static abstract TVector CompareGreaterThan(TVector a, TVector b);

    /// <summary>Whether every bit of <paramref name="mask"/> is set: a comparison that holds in every lane.</summary>
    static abstract bool IsAllBitsSet(TVector mask);

    /// <summary>a AND b, bit by bit, as floating-point instructions (for masks and the doubles they pick).</summary>
    static abstract TVector And(TVector a, TVector b);

    /// <summary>
    /// The bits of a and b as 64-bit integers, ANDed lane by lane: integer instructions, for bits that integer adds and
    /// shifts produce or take, so that the values do not cross between the floating-point and integer units.
    /// </summary>
    static abstract TVector AndBits(TVector a, TVector b);

    /// <summary>The bits of a and b as 64-bit integers, ORed lane by lane (integer instructions, as <see cref="AndBits"/>).</summary>
    static abstract TVector OrBits(TVector a, TVector b);

    /// <summary>The double whose bits are <paramref name="bits"/>, in every lane.</summary>
    static abstract TVector BroadcastBits(ulong bits);

    /// <summary>The bits of a and b as 64-bit integers, added (wrapping) lane by lane.</summary>
    static abstract TVector AddBits(TVector a, TVector b);

    /// <summary>The bits of every lane shifted left by <paramref name="count"/>, zeros shifted in.</summary>
    static abstract TVector ShiftLeftBits(TVector x, int count);

    /// <summary>The bits of every lane shifted right by <paramref name="count"/>, zeros shifted in.</summary>
    static abstract TVector ShiftRightLogicalBits(TVector x, int count);
}

/// <summary>The 512-bit width: eight doubles.</summary>
internal readonly partial struct Simd512 : ISimdWidth<Vector512<double>>
{
    public static int Count => Vector512<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(ref double source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<double> value, ref double destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Broadcast(double value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> FusedMultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Multiply(Vector512<double> a, Vector512<double> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector512<double> x) => Vector512.Sum(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Abs(Vector512<double> x) => Vector512.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Negate(Vector512<double> x) => -x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsAllZero(Vector512<double> x) => Vector512.EqualsAll(x, Vector512<double>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ZeroMask(Vector512<double> x) => Vector512.Equals(x, Vector512<double>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Select(Vector512<double> mask, Vector512<double> whereSet, Vector512<double> otherwise) =>
        Vector512.ConditionalSelect(mask, whereSet, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> SelectWhereZero(Vector512<double> x, Vector512<double> whereZero, Vector512<double> otherwise) =>
        Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<double>.Zero), whereZero, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Subtract(Vector512<double> a, Vector512<double> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Divide(Vector512<double> a, Vector512<double> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Clamp(Vector512<double> x, double lowest, double highest) =>
        Vector512.Min(Vector512.Max(x, Vector512.Create(lowest)), Vector512.Create(highest));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Floor(Vector512<double> x) => Vector512.Floor(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> CompareEqual(Vector512<double> a, Vector512<double> b) => Vector512.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> CompareLessThan(Vector512<double> a, Vector512<double> b) => Vector512.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> CompareGreaterThan(Vector512<double> a, Vector512<double> b) => Vector512.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsAllBitsSet(Vector512<double> mask) => Vector512.EqualsAll(mask.AsUInt64(), Vector512<ulong>.AllBitsSet);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> And(Vector512<double> a, Vector512<double> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> AndBits(Vector512<double> a, Vector512<double> b) => (a.AsUInt64() & b.AsUInt64()).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> OrBits(Vector512<double> a, Vector512<double> b) => (a.AsUInt64() | b.AsUInt64()).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> BroadcastBits(ulong bits) => Vector512.Create(bits).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> AddBits(Vector512<double> a, Vector512<double> b) => (a.AsUInt64() + b.AsUInt64()).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ShiftLeftBits(Vector512<double> x, int count) => Vector512.ShiftLeft(x.AsUInt64(), count).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ShiftRightLogicalBits(Vector512<double> x, int count) => Vector512.ShiftRightLogical(x.AsUInt64(), count).AsDouble();
}

/// <summary>The 256-bit width: four doubles.</summary>
internal readonly partial struct Simd256 : ISimdWidth<Vector256<double>>
{
    public static int Count => Vector256<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(ref double source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<double> value, ref double destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Broadcast(double value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> FusedMultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Multiply(Vector256<double> a, Vector256<double> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector256<double> x) => Vector256.Sum(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Abs(Vector256<double> x) => Vector256.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Negate(Vector256<double> x) => -x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsAllZero(Vector256<double> x) => Vector256.EqualsAll(x, Vector256<double>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ZeroMask(Vector256<double> x) => Vector256.Equals(x, Vector256<double>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Select(Vector256<double> mask, Vector256<double> whereSet, Vector256<double> otherwise) =>
        Vector256.ConditionalSelect(mask, whereSet, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> SelectWhereZero(Vector256<double> x, Vector256<double> whereZero, Vector256<double> otherwise) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<double>.Zero), whereZero, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Subtract(Vector256<double> a, Vector256<double> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Divide(Vector256<double> a, Vector256<double> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Clamp(Vector256<double> x, double lowest, double highest) =>
        Vector256.Min(Vector256.Max(x, Vector256.Create(lowest)), Vector256.Create(highest));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Floor(Vector256<double> x) => Vector256.Floor(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> CompareEqual(Vector256<double> a, Vector256<double> b) => Vector256.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> CompareLessThan(Vector256<double> a, Vector256<double> b) => Vector256.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> CompareGreaterThan(Vector256<double> a, Vector256<double> b) => Vector256.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsAllBitsSet(Vector256<double> mask) => Vector256.EqualsAll(mask.AsUInt64(), Vector256<ulong>.AllBitsSet);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> And(Vector256<double> a, Vector256<double> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> AndBits(Vector256<double> a, Vector256<double> b) => (a.AsUInt64() & b.AsUInt64()).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> OrBits(Vector256<double> a, Vector256<double> b) => (a.AsUInt64() | b.AsUInt64()).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> BroadcastBits(ulong bits) => Vector256.Create(bits).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> AddBits(Vector256<double> a, Vector256<double> b) => (a.AsUInt64() + b.AsUInt64()).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ShiftLeftBits(Vector256<double> x, int count) => Vector256.ShiftLeft(x.AsUInt64(), count).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ShiftRightLogicalBits(Vector256<double> x, int count) => Vector256.ShiftRightLogical(x.AsUInt64(), count).AsDouble();
}
