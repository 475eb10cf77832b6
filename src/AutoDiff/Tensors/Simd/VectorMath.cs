using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoDiff;

/// <summary>
/// Vector forms of <see cref="System.Math"/> functions whose .NET vector forms are not accurate enough: called by the
/// vector bodies the generator translates from declared functions (<c>Math.Log(e)</c> becomes <c>VectorMath.Log(e)</c>,
/// <c>Math.Exp(e)</c> becomes <c>VectorMath.Exp(e)</c>).
/// </summary>
/// <remarks>
/// <para><c>Vector256.Log</c> and <c>Vector512.Log</c> of .NET 10 are up to 3 ulp from <see cref="System.Math.Log(double)"/>,
/// and their <c>Exp</c> up to 2 ulp from <see cref="System.Math.Exp(double)"/>: too far for kernels that must agree with
/// the scalar declaration within 4 ulp once composed (<c>Log1p(Exp(−|x|))</c>, a user's <c>Math.Log(1 + Math.Exp(z))</c>). Here
/// <see cref="Log(Vector256{double})"/> is fdlibm's <c>__ieee754_log</c> with the final sum carried in two parts (as in
/// FreeBSD's <c>e_log2.c</c>), and <see cref="Exp(Vector256{double})"/> fdlibm's <c>__ieee754_exp</c> reduction with a
/// division-free Taylor polynomial (Estrin's scheme), computed lane by lane in vector registers, without tables or gathers.
/// Both are within 1 ulp of <see cref="System.Math"/>'s over the whole double range (VectorMathTests: 10⁶ log-uniform
/// values, values near 1 and 0, subnormals, powers of two, thresholds); the logarithm differs from <c>Math.Log</c> in
/// about 0.2% of arguments, the exponential in about 10%.</para>
/// <para>Special values are those of <see cref="System.Math"/>: ln(±0) = −∞, ln(x &lt; 0) = NaN, ln(NaN) = NaN,
/// ln(+∞) = +∞, subnormal arguments as accurate as normal ones; e^(+∞) = +∞, e^(−∞) = 0, e^NaN = NaN, overflow to +∞
/// above ≈ 709.78 and subnormal results within 0.74 ulp of 2⁻¹⁰⁷⁴.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VectorMath
{
    // fdlibm e_log.c: ln2 split so that k·Ln2Hi is exact for |k| < 2048, and the minimax coefficients of
    // (ln(1 + f) − 2s)/s − s² … in s = f/(2 + f), |s| ≤ 0.1716.
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double Lg1 = 6.666666666666735130e-01;
    private const double Lg2 = 3.999999999940941908e-01;
    private const double Lg3 = 2.857142874366239149e-01;
    private const double Lg4 = 2.222219843214978396e-01;
    private const double Lg5 = 1.818357216161805012e-01;
    private const double Lg6 = 1.531383769920937332e-01;
    private const double Lg7 = 1.479819860511658591e-01;

    // fdlibm e_exp.c: 1/ln2. The polynomial after the reduction is Taylor's, e^r = 1 + r + r²·(1/2! + r/3! + … + r¹¹/13!):
    // on |r| ≤ ln2/2 its remainder is below 6e−18 relative (0.04 ulp), and it needs no division (fdlibm's rational form
    // divides).
    private const double InvLn2 = 1.44269504088896338700e+00;
    private const double InverseFactorial2 = 1.0 / 2.0;
    private const double InverseFactorial3 = 1.0 / 6.0;
    private const double InverseFactorial4 = 1.0 / 24.0;
    private const double InverseFactorial5 = 1.0 / 120.0;
    private const double InverseFactorial6 = 1.0 / 720.0;
    private const double InverseFactorial7 = 1.0 / 5040.0;
    private const double InverseFactorial8 = 1.0 / 40320.0;
    private const double InverseFactorial9 = 1.0 / 362880.0;
    private const double InverseFactorial10 = 1.0 / 3628800.0;
    private const double InverseFactorial11 = 1.0 / 39916800.0;
    private const double InverseFactorial12 = 1.0 / 479001600.0;
    private const double InverseFactorial13 = 1.0 / 6227020800.0;

    // Adding then subtracting 1.5·2⁵² rounds a double of magnitude below 2⁵¹ to the nearest integer.
    private const double RoundShifter = 6755399441055744.0;

    // e^x is +∞ above ln(MaxValue) ≈ 709.78 and 0 below ≈ −745.13: clamping to [−746, 710] keeps k in 11 bits.
    private const double ExpLowest = -746.0;
    private const double ExpHighest = 710.0;

    private const double SmallestNormal = 2.2250738585072014e-308;

    // 2⁵⁴: scales a subnormal into the normal range exactly.
    private const double Two54 = 18014398509481984.0;

    // Added to the biased exponent field: moves the mantissa of x into [√½, √2) (0x3fe6a09e… is the top of √½'s bits).
    private const ulong ReduceOffset = 0x3ff0000000000000UL - 0x3fe6a09e00000000UL;
    private const ulong SqrtHalfHigh = 0x3fe6a09e00000000UL;
    private const ulong MantissaMask = 0x000fffffffffffffUL;
    private const ulong HighWordMask = 0xffffffff00000000UL;

    // Bits of 2⁵² as a double: (2⁵² | e) − 2⁵² converts an integer 0 ≤ e < 2⁵² to double exactly.
    private const ulong Two52Bits = 0x4330000000000000UL;
    private const double Two52 = 4503599627370496.0;

    /// <summary>ln x in every lane, within 1 ulp of <see cref="System.Math.Log(double)"/>, with its special values.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>The natural logarithms.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log(Vector256<double> x)
    {
        // Subnormals: scale by 2⁵⁴ and take 54 off the exponent.
        Vector256<double> subnormal = Vector256.LessThan(x, Vector256.Create(SmallestNormal));
        Vector256<double> scaled = Vector256.ConditionalSelect(subnormal, x * Vector256.Create(Two54), x);

        // x = 2^k · m with m in [√½, √2): shifting the exponent field by ReduceOffset carries into it exactly when the
        // mantissa is at least √2's, and the mantissa is then given √½'s exponent bits back.
        Vector256<ulong> bits = scaled.AsUInt64() + Vector256.Create(ReduceOffset);
        Vector256<double> exponent = (Vector256.ShiftRightLogical(bits, 52) | Vector256.Create(Two52Bits)).AsDouble();
        Vector256<double> k = exponent - Vector256.Create(Two52 + 1023.0)
            - (subnormal & Vector256.Create(54.0));
        Vector256<double> m = ((bits & Vector256.Create(MantissaMask)) + Vector256.Create(SqrtHalfHigh)).AsDouble();

        Vector256<double> f = m - Vector256<double>.One;
        Vector256<double> hfsq = Vector256.Create(0.5) * f * f;
        Vector256<double> s = f / (Vector256.Create(2.0) + f);
        Vector256<double> z = s * s;
        Vector256<double> w = z * z;
        Vector256<double> t1 = w * (Vector256.Create(Lg2) + w * (Vector256.Create(Lg4) + w * Vector256.Create(Lg6)));
        Vector256<double> t2 = z * (Vector256.Create(Lg1) + w * (Vector256.Create(Lg3) + w * (Vector256.Create(Lg5) + w * Vector256.Create(Lg7))));
        Vector256<double> r = t2 + t1;

        // ln x = k·ln2 + f − hfsq + s·(hfsq + R), summed as in FreeBSD's e_log2.c: hi (f − hfsq cut to 21 bits) and
        // k·Ln2Hi are exact and their sum's rounding error is carried into the low part, so the result is rounded
        // once at the end (nearly always the correctly rounded logarithm).
        Vector256<double> hi = ((f - hfsq).AsUInt64() & Vector256.Create(HighWordMask)).AsDouble();
        Vector256<double> lo = (f - hi) - hfsq + s * (hfsq + r);
        Vector256<double> y = k * Vector256.Create(Ln2Hi);
        Vector256<double> sum = y + hi;
        lo += (y - sum) + hi + k * Vector256.Create(Ln2Lo);
        Vector256<double> result = sum + lo;

        // 0 < x < ∞ took the path above; ±0 → −∞, +∞ → +∞, x < 0 and NaN → NaN.
        Vector256<double> finitePositive = Vector256.GreaterThan(x, Vector256<double>.Zero)
            & Vector256.LessThan(x, Vector256.Create(double.PositiveInfinity));
        if (Vector256.EqualsAll(finitePositive.AsUInt64(), Vector256<ulong>.AllBitsSet))
        {
            return result;
        }

        Vector256<double> special = Vector256.ConditionalSelect(
            Vector256.Equals(x, Vector256<double>.Zero),
            Vector256.Create(double.NegativeInfinity),
            Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(double.PositiveInfinity)), x, Vector256.Create(double.NaN)));
        return Vector256.ConditionalSelect(finitePositive, result, special);
    }

    /// <summary>ln x in every lane, within 1 ulp of <see cref="System.Math.Log(double)"/>, with its special values.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>The natural logarithms.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Log(Vector512<double> x)
    {
        Vector512<double> subnormal = Vector512.LessThan(x, Vector512.Create(SmallestNormal));
        Vector512<double> scaled = Vector512.ConditionalSelect(subnormal, x * Vector512.Create(Two54), x);

        Vector512<ulong> bits = scaled.AsUInt64() + Vector512.Create(ReduceOffset);
        Vector512<double> exponent = (Vector512.ShiftRightLogical(bits, 52) | Vector512.Create(Two52Bits)).AsDouble();
        Vector512<double> k = exponent - Vector512.Create(Two52 + 1023.0)
            - (subnormal & Vector512.Create(54.0));
        Vector512<double> m = ((bits & Vector512.Create(MantissaMask)) + Vector512.Create(SqrtHalfHigh)).AsDouble();

        Vector512<double> f = m - Vector512<double>.One;
        Vector512<double> hfsq = Vector512.Create(0.5) * f * f;
        Vector512<double> s = f / (Vector512.Create(2.0) + f);
        Vector512<double> z = s * s;
        Vector512<double> w = z * z;
        Vector512<double> t1 = w * (Vector512.Create(Lg2) + w * (Vector512.Create(Lg4) + w * Vector512.Create(Lg6)));
        Vector512<double> t2 = z * (Vector512.Create(Lg1) + w * (Vector512.Create(Lg3) + w * (Vector512.Create(Lg5) + w * Vector512.Create(Lg7))));
        Vector512<double> r = t2 + t1;

        // ln x = k·ln2 + f − hfsq + s·(hfsq + R), summed as in FreeBSD's e_log2.c: hi (f − hfsq cut to 21 bits) and
        // k·Ln2Hi are exact and their sum's rounding error is carried into the low part, so the result is rounded
        // once at the end (nearly always the correctly rounded logarithm).
        Vector512<double> hi = ((f - hfsq).AsUInt64() & Vector512.Create(HighWordMask)).AsDouble();
        Vector512<double> lo = (f - hi) - hfsq + s * (hfsq + r);
        Vector512<double> y = k * Vector512.Create(Ln2Hi);
        Vector512<double> sum = y + hi;
        lo += (y - sum) + hi + k * Vector512.Create(Ln2Lo);
        Vector512<double> result = sum + lo;

        Vector512<double> finitePositive = Vector512.GreaterThan(x, Vector512<double>.Zero)
            & Vector512.LessThan(x, Vector512.Create(double.PositiveInfinity));
        if (Vector512.EqualsAll(finitePositive.AsUInt64(), Vector512<ulong>.AllBitsSet))
        {
            return result;
        }

        Vector512<double> special = Vector512.ConditionalSelect(
            Vector512.Equals(x, Vector512<double>.Zero),
            Vector512.Create(double.NegativeInfinity),
            Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(double.PositiveInfinity)), x, Vector512.Create(double.NaN)));
        return Vector512.ConditionalSelect(finitePositive, result, special);
    }

    /// <summary>eˣ in every lane, within 1 ulp of <see cref="System.Math.Exp(double)"/>, with its special values.</summary>
    /// <param name="x">The exponents.</param>
    /// <returns>The exponentials.</returns>
    /// <remarks>
    /// fdlibm's <c>__ieee754_exp</c> reduction, x = k·ln2 + r with |r| ≤ ln2/2, then e^r = 1 + r + r²·p(r) with p the
    /// Taylor polynomial to r¹¹/13! by Estrin's scheme: no division, and a dependency chain about half as long as
    /// fdlibm's rational form, which divides (the exponential sits inside <c>Softplus</c>, <c>LogSigmoid</c> and
    /// <c>Sigmoid</c>, whose vector loops wait on that chain). Against a 110-bit reference over 5 million arguments (the
    /// whole range, subnormal results, the overflow edge, and r near ±ln2/2, where it is worst) it is within 0.91 ulp of
    /// the exact value (fdlibm's form: 0.90; mean 0.26 for both) and within 1 ulp of <see cref="System.Math.Exp(double)"/>,
    /// from which it differs in about 10% of arguments, as fdlibm's form did; <c>Vector256.Exp</c> of .NET 10 is up to
    /// 2 ulp from <see cref="System.Math.Exp(double)"/>, which a log1p of it can amplify past 4 ulp. Subnormal results are
    /// within 0.74 ulp of 2⁻¹⁰⁷⁴; e^(+∞) = +∞, e^(−∞) = 0, e^NaN = NaN.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x)
    {
        Vector256<double> c = Vector256.Min(Vector256.Max(x, Vector256.Create(ExpLowest)), Vector256.Create(ExpHighest));

        // x = k·ln2 + r, |r| ≤ ln2/2, with r = hi − lo carried in two parts (k·Ln2Hi is exact).
        Vector256<double> k = (c * Vector256.Create(InvLn2) + Vector256.Create(RoundShifter)) - Vector256.Create(RoundShifter);
        Vector256<double> hi = Vector256.FusedMultiplyAdd(k, Vector256.Create(-Ln2Hi), c);
        Vector256<double> lo = k * Vector256.Create(Ln2Lo);
        Vector256<double> r = hi - lo;

        // p = 1/2! + r/3! + … + r¹¹/13! by Estrin's scheme: pairs joined by r², r⁴ and r⁸, four operations deep after r.
        Vector256<double> r2 = r * r;
        Vector256<double> r4 = r2 * r2;
        Vector256<double> r8 = r4 * r4;
        Vector256<double> from2 = Vector256.FusedMultiplyAdd(r, Vector256.Create(InverseFactorial3), Vector256.Create(InverseFactorial2));
        Vector256<double> from4 = Vector256.FusedMultiplyAdd(r, Vector256.Create(InverseFactorial5), Vector256.Create(InverseFactorial4));
        Vector256<double> from6 = Vector256.FusedMultiplyAdd(r, Vector256.Create(InverseFactorial7), Vector256.Create(InverseFactorial6));
        Vector256<double> from8 = Vector256.FusedMultiplyAdd(r, Vector256.Create(InverseFactorial9), Vector256.Create(InverseFactorial8));
        Vector256<double> from10 = Vector256.FusedMultiplyAdd(r, Vector256.Create(InverseFactorial11), Vector256.Create(InverseFactorial10));
        Vector256<double> from12 = Vector256.FusedMultiplyAdd(r, Vector256.Create(InverseFactorial13), Vector256.Create(InverseFactorial12));
        Vector256<double> from2To5 = Vector256.FusedMultiplyAdd(r2, from4, from2);
        Vector256<double> from6To9 = Vector256.FusedMultiplyAdd(r2, from8, from6);
        Vector256<double> from10To13 = Vector256.FusedMultiplyAdd(r2, from12, from10);
        Vector256<double> from2To9 = Vector256.FusedMultiplyAdd(r4, from6To9, from2To5);
        Vector256<double> p = Vector256.FusedMultiplyAdd(r8, from10To13, from2To9);

        // 1 + (hi − lo) + r²·p, adding the small parts first so that the one rounding that matters is the last.
        Vector256<double> y = Vector256<double>.One + (hi + Vector256.FusedMultiplyAdd(r2, p, -lo));

        // y·2^k as (y·2^k1)·2^k2 with k1 = ⌊k/2⌋: both powers are normal doubles and the first product is exact, so a
        // subnormal or overflowing result is rounded once, by the second.
        Vector256<double> k1 = Vector256.Floor(k * Vector256.Create(0.5));
        Vector256<double> k2 = k - k1;
        Vector256<double> scale1 = Vector256.ShiftLeft((k1 + Vector256.Create(Two52 + 1023.0)).AsUInt64(), 52).AsDouble();
        Vector256<double> scale2 = Vector256.ShiftLeft((k2 + Vector256.Create(Two52 + 1023.0)).AsUInt64(), 52).AsDouble();
        Vector256<double> result = y * scale1 * scale2;

        // ±∞ came out as +∞ and 0 through the clamp, and NaN as NaN: Max and Min propagate it (IEEE 754-2019 maximum
        // and minimum, .NET 9 on), and so does the arithmetic after them. No select of x here: a select is a new value
        // in every call, so the JIT could not see two exponentials of the same argument as one (a function's value and
        // its kept partial, or both halves of a reflection: IUnaryKernel.HasReflection) and computed all that follows
        // from the second again.
        return result;
    }

    /// <summary>eˣ in every lane, within 1 ulp of <see cref="System.Math.Exp(double)"/>, with its special values.</summary>
    /// <param name="x">The exponents.</param>
    /// <returns>The exponentials.</returns>
    /// <remarks>
    /// fdlibm's <c>__ieee754_exp</c> reduction, x = k·ln2 + r with |r| ≤ ln2/2, then e^r = 1 + r + r²·p(r) with p the
    /// Taylor polynomial to r¹¹/13! by Estrin's scheme: no division, and a dependency chain about half as long as
    /// fdlibm's rational form, which divides (the exponential sits inside <c>Softplus</c>, <c>LogSigmoid</c> and
    /// <c>Sigmoid</c>, whose vector loops wait on that chain). Against a 110-bit reference over 5 million arguments (the
    /// whole range, subnormal results, the overflow edge, and r near ±ln2/2, where it is worst) it is within 0.91 ulp of
    /// the exact value (fdlibm's form: 0.90; mean 0.26 for both) and within 1 ulp of <see cref="System.Math.Exp(double)"/>,
    /// from which it differs in about 10% of arguments, as fdlibm's form did; <c>Vector512.Exp</c> of .NET 10 is up to
    /// 2 ulp from <see cref="System.Math.Exp(double)"/>, which a log1p of it can amplify past 4 ulp. Subnormal results are
    /// within 0.74 ulp of 2⁻¹⁰⁷⁴; e^(+∞) = +∞, e^(−∞) = 0, e^NaN = NaN.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        Vector512<double> c = Vector512.Min(Vector512.Max(x, Vector512.Create(ExpLowest)), Vector512.Create(ExpHighest));

        // x = k·ln2 + r, |r| ≤ ln2/2, with r = hi − lo carried in two parts (k·Ln2Hi is exact).
        Vector512<double> k = (c * Vector512.Create(InvLn2) + Vector512.Create(RoundShifter)) - Vector512.Create(RoundShifter);
        Vector512<double> hi = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Hi), c);
        Vector512<double> lo = k * Vector512.Create(Ln2Lo);
        Vector512<double> r = hi - lo;

        // p = 1/2! + r/3! + … + r¹¹/13! by Estrin's scheme: pairs joined by r², r⁴ and r⁸, four operations deep after r.
        Vector512<double> r2 = r * r;
        Vector512<double> r4 = r2 * r2;
        Vector512<double> r8 = r4 * r4;
        Vector512<double> from2 = Vector512.FusedMultiplyAdd(r, Vector512.Create(InverseFactorial3), Vector512.Create(InverseFactorial2));
        Vector512<double> from4 = Vector512.FusedMultiplyAdd(r, Vector512.Create(InverseFactorial5), Vector512.Create(InverseFactorial4));
        Vector512<double> from6 = Vector512.FusedMultiplyAdd(r, Vector512.Create(InverseFactorial7), Vector512.Create(InverseFactorial6));
        Vector512<double> from8 = Vector512.FusedMultiplyAdd(r, Vector512.Create(InverseFactorial9), Vector512.Create(InverseFactorial8));
        Vector512<double> from10 = Vector512.FusedMultiplyAdd(r, Vector512.Create(InverseFactorial11), Vector512.Create(InverseFactorial10));
        Vector512<double> from12 = Vector512.FusedMultiplyAdd(r, Vector512.Create(InverseFactorial13), Vector512.Create(InverseFactorial12));
        Vector512<double> from2To5 = Vector512.FusedMultiplyAdd(r2, from4, from2);
        Vector512<double> from6To9 = Vector512.FusedMultiplyAdd(r2, from8, from6);
        Vector512<double> from10To13 = Vector512.FusedMultiplyAdd(r2, from12, from10);
        Vector512<double> from2To9 = Vector512.FusedMultiplyAdd(r4, from6To9, from2To5);
        Vector512<double> p = Vector512.FusedMultiplyAdd(r8, from10To13, from2To9);

        // 1 + (hi − lo) + r²·p, adding the small parts first so that the one rounding that matters is the last.
        Vector512<double> y = Vector512<double>.One + (hi + Vector512.FusedMultiplyAdd(r2, p, -lo));

        // y·2^k as (y·2^k1)·2^k2 with k1 = ⌊k/2⌋: both powers are normal doubles and the first product is exact, so a
        // subnormal or overflowing result is rounded once, by the second.
        Vector512<double> k1 = Vector512.Floor(k * Vector512.Create(0.5));
        Vector512<double> k2 = k - k1;
        Vector512<double> scale1 = Vector512.ShiftLeft((k1 + Vector512.Create(Two52 + 1023.0)).AsUInt64(), 52).AsDouble();
        Vector512<double> scale2 = Vector512.ShiftLeft((k2 + Vector512.Create(Two52 + 1023.0)).AsUInt64(), 52).AsDouble();
        Vector512<double> result = y * scale1 * scale2;

        // ±∞ came out as +∞ and 0 through the clamp, and NaN as NaN: Max and Min propagate it (IEEE 754-2019 maximum
        // and minimum, .NET 9 on), and so does the arithmetic after them. No select of x here: a select is a new value
        // in every call, so the JIT could not see two exponentials of the same argument as one (a function's value and
        // its kept partial, or both halves of a reflection: IUnaryKernel.HasReflection) and computed all that follows
        // from the second again.
        return result;
    }
}
