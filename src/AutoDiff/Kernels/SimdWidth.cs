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
}
