using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Ops;

/// <summary>
/// Accuracy of the numerically stable forms against independent oracles: Taylor series summed smallest term first,
/// <see cref="Math.Log(double)"/>/<see cref="Math.Exp"/> where their argument is exact, and the asymptotic expansions
/// of the logistic family; never values printed by the code under test.
/// </summary>
public class StableFormsTests
{
    /// <summary>Goldberg (Log1p) and Kahan (Expm1) bound their forms by a few ε = 2⁻⁵³; the oracle adds ≤ 1 ulp.</summary>
    private const double FewUlps = 8 * 1.1102230246251565e-16;

    /// <summary>ln(1 + x) = Σₖ (−1)ᵏ⁺¹ xᵏ/k, summed from the smallest term, for |x| ≤ 1e−5 (20 terms: far past ε).</summary>
    private static double Log1pSeries(double x)
    {
        double sum = 0.0;
        for (int k = 20; k >= 1; k--)
        {
            sum += (k % 2 == 1 ? 1.0 : -1.0) * Math.Pow(x, k) / k;
        }

        return sum;
    }

    /// <summary>eˣ − 1 = Σₖ xᵏ/k!, summed from the smallest term, for |x| ≤ 1/2 (25 terms: 0.5²⁵/25! ≈ 2e−33).</summary>
    private static double Expm1Series(double x)
    {
        var terms = new double[26];
        double term = 1.0;
        for (int k = 1; k <= 25; k++)
        {
            term *= x / k;
            terms[k] = term;
        }

        double sum = 0.0;
        for (int k = 25; k >= 1; k--)
        {
            sum += terms[k];
        }

        return sum;
    }

    // ---------------------------------------------------------------- Log1p

    [Theory]
    [InlineData(1e-20)]
    [InlineData(1e-10)]
    [InlineData(1e-5)]
    [InlineData(-1e-5)]
    [InlineData(3e-300)]
    [InlineData(-7.5e-17)]
    public void Log1p_of_small_arguments_matches_its_Taylor_series(double x)
    {
        Tolerance.AssertRelative("Log1p", Log1pSeries(x), Log1p(x), FewUlps, x);
        Tolerance.AssertRelative("Log1p'", 1.0 / (1.0 + x), AD.Grad(v => Log1p(v[0]), [x])[0], FewUlps, x);
    }

    [Fact]
    public void Log1p_of_1e_minus_20_is_1e_minus_20_where_the_naive_form_gives_0()
    {
        Assert.Equal(0.0, Math.Log(1.0 + 1e-20)); // 1 + 1e−20 rounds to 1
        Assert.Equal(1e-20, Log1p(1e-20));
        Assert.Equal(-1e-20, Log1p(-1e-20));
        Assert.Equal(1e-20, Log1p(Var.Leaf(1e-20)).Value);
    }

    [Theory]
    [InlineData(0.5, 1.5)]
    [InlineData(-0.5, 0.5)]
    [InlineData(1e3, 1001.0)]
    [InlineData(1.0, 2.0)]
    [InlineData(-0.75, 0.25)]
    [InlineData(1e15, 1000000000000001.0)]
    public void Log1p_where_one_plus_x_is_exact_matches_Math_Log(double x, double onePlusX)
    {
        Assert.Equal(onePlusX, 1.0 + x); // the oracle's argument is exact
        Tolerance.AssertRelative("Log1p", Math.Log(onePlusX), Log1p(x), FewUlps, x);
        Tolerance.AssertRelative("Log1p'", 1.0 / onePlusX, AD.Grad(v => Log1p(v[0]), [x])[0], Tolerance.Ulp, x);
    }

    [Fact]
    public void Log1p_at_minus_one_and_beyond_follows_the_logarithm()
    {
        Assert.Equal(double.NegativeInfinity, Log1p(-1.0));
        Assert.True(double.IsNaN(Log1p(-1.5)));
        Assert.True(double.IsNaN(Log1p(double.NegativeInfinity)));
        Assert.Equal(double.PositiveInfinity, Log1p(double.PositiveInfinity));
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(1e306)]
    [InlineData(1e308)]
    [InlineData(double.MaxValue)]
    public void Log1p_of_huge_finite_arguments_is_the_finite_logarithm(double x)
    {
        // 1 + x rounds to x, and ln(1 + x) = ln x + ln(1 + 1/x) = ln x to within 1e−300 relatively: at most ~710.
        Assert.Equal(x, 1.0 + x);
        Tolerance.AssertRelative("Log1p", Math.Log(x), Log1p(x), FewUlps, x);
        Tolerance.AssertRelative("Log1p'", 1.0 / x, AD.Grad(v => Log1p(v[0]), [x])[0], Tolerance.Ulp, x);
    }

    // ---------------------------------------------------------------- Expm1

    [Theory]
    [InlineData(1e-20)]
    [InlineData(1e-10)]
    [InlineData(1e-5)]
    [InlineData(-1e-5)]
    [InlineData(0.5)]
    [InlineData(-0.5)]
    [InlineData(3e-300)]
    [InlineData(-7.5e-17)]
    public void Expm1_of_small_arguments_matches_its_Taylor_series(double x)
    {
        Tolerance.AssertRelative("Expm1", Expm1Series(x), Expm1(x), FewUlps, x);
        Tolerance.AssertRelative("Expm1'", 1.0 + Expm1Series(x), AD.Grad(v => Expm1(v[0]), [x])[0], 2 * Tolerance.Ulp, x);
    }

    [Fact]
    public void Expm1_of_1e_minus_20_is_1e_minus_20_where_the_naive_form_gives_0()
    {
        Assert.Equal(0.0, Math.Exp(1e-20) - 1.0);
        Assert.Equal(1e-20, Expm1(1e-20));
        Assert.Equal(-1e-20, Expm1(-1e-20));
        Assert.Equal(1e-20, Expm1(Var.Leaf(1e-20)).Value);
    }

    [Theory]
    [InlineData(40.0)]
    [InlineData(100.0)]
    [InlineData(700.0)]
    [InlineData(703.0)]
    public void Expm1_of_large_arguments_is_exp(double x)
    {
        // eˣ − 1 = eˣ·(1 − e⁻ˣ) and e⁻ˣ < ε/2 here.
        Tolerance.AssertRelative("Expm1", Math.Exp(x), Expm1(x), FewUlps, x);
    }

    [Theory]
    [InlineData(704.0)]
    [InlineData(705.5)]
    [InlineData(709.0)]
    [InlineData(709.78)]
    public void Expm1_stays_finite_up_to_where_exp_overflows(double x)
    {
        // eˣ is finite up to ln(MaxValue) ≈ 709.78 and eˣ − 1 rounds to eˣ there.
        Assert.True(double.IsFinite(Math.Exp(x)));
        Tolerance.AssertRelative("Expm1", Math.Exp(x), Expm1(x), FewUlps, x);
    }

    [Theory]
    [InlineData(-40.0)]
    [InlineData(-100.0)]
    [InlineData(-800.0)]
    [InlineData(-1e6)]
    public void Expm1_of_very_negative_arguments_is_minus_one(double x)
    {
        // eˣ − 1 = −1 + eˣ and eˣ < ε/4.
        Assert.Equal(-1.0, Expm1(x));
        Tolerance.AssertRelative("Expm1'", Math.Exp(x), AD.Grad(v => Expm1(v[0]), [x])[0], Tolerance.Ulp, x);
    }

    [Fact]
    public void Expm1_at_the_infinities_and_beyond_overflow()
    {
        Assert.Equal(-1.0, Expm1(double.NegativeInfinity));
        Assert.Equal(double.PositiveInfinity, Expm1(double.PositiveInfinity));
        Assert.Equal(double.PositiveInfinity, Expm1(1e3)); // e¹⁰⁰⁰ exceeds MaxValue
        Assert.Equal(-1.0, Expm1(-1e3));
    }

    // ---------------------------------------------------------------- Softplus and LogSigmoid

    [Theory]
    [InlineData(700.0)]
    [InlineData(745.0)]
    [InlineData(800.0)]
    [InlineData(1e6)]
    [InlineData(1e300)]
    public void Softplus_of_large_x_is_x_and_its_slope_is_one(double x)
    {
        // ln(1 + eˣ) = x + ln(1 + e⁻ˣ) = x + e⁻ˣ, and e⁻ˣ < ε·x; the naive form overflows from x ≈ 709.8 on.
        if (x > 710)
        {
            Assert.Equal(double.PositiveInfinity, Math.Log(1 + Math.Exp(x)));
        }

        var (value, g) = AD.ValueAndGrad(v => Softplus(v[0]), [x]);
        Assert.Equal(x, value);
        Assert.Equal(1.0, g[0]);
        Assert.Equal(x, Softplus(x));
    }

    [Theory]
    [InlineData(-40.0)]
    [InlineData(-100.0)]
    [InlineData(-700.0)]
    [InlineData(-708.0)]
    public void Softplus_of_very_negative_x_is_exp_x_to_full_relative_accuracy(double x)
    {
        // ln(1 + e) = e·(1 − e/2 + …) and σ(x) = e·(1 − e + …) with e = eˣ ≤ e⁻⁴⁰: both are e to within 1e−17.
        double e = Math.Exp(x);
        var (value, g) = AD.ValueAndGrad(v => Softplus(v[0]), [x]);
        Tolerance.AssertRelative("Softplus", e, value, 1e-15, x);
        Tolerance.AssertRelative("Softplus'", e, g[0], 1e-15, x);
        Assert.True(value > 0 && g[0] > 0);
    }

    // ln(1 + eˣ) to 25 digits by mpmath at 40 (log1p(exp(x)) of the double x's exact value): ordinary points, both
    // tails, ±1e−8, the points where the exponential's error doubles in the result's ulps (±2.0574…, −2.0357…), and a
    // subnormal result.
    public static IEnumerable<object[]> SoftplusReference() =>
    [
        [-40.0, 0.000000000000000004248354255291588986304978],
        [-20.5, 0.000000001250152865605301534921339],
        [-9.75, 0.00005829296466298979990297678],
        [-4.851914623217618, 0.007783036933037931000395351],
        [-2.057437535261373, 0.1202519719915618834311847],
        [-2.0357118725026595, 0.1227373983006113765707116],
        [-1.0, 0.3132616875182228340489955],
        [-0.3, 0.5543552444685271235392256],
        [-1e-08, 0.693147175559945321917232],
        [0.0, 0.6931471805599453094172321],
        [1e-08, 0.6931471855599453219172322],
        [0.25, 0.8259394198788435622078361],
        [0.6931471805599453, 1.098612288668109675934933],
        [1.5, 1.701413277982752409499483],
        [2.057437535261373, 2.177689507252935068311725],
        [3.3, 3.336219258870659104354255],
        [7.125, 7.125804409386124793317535],
        [15.0, 15.00000030590227371372049],
        [36.6, 36.60000000000000154838358],
        [40.0, 40.00000000000000000424835],
        [-700.0, 9.859676543759770856705373e-305],
        [700.0, 700.0],
    ];

    // The reference rounds to the nearest double (½ ulp); Softplus's own error is its exponential's, at most 2.72 ulp in
    // denser searches. LogSigmoid(−x) = −Softplus(x) exactly, so it is held to the same values.
    [Theory]
    [MemberData(nameof(SoftplusReference))]
    public void Softplus_and_LogSigmoid_are_within_3_ulp_of_a_40_digit_reference(double x, double reference)
    {
        // Twelve copies: the 512-bit body takes eight, the 256-bit one four (one vector of each where the CPU has them).
        double[] vector = Softplus(Tensor.Vector([.. Enumerable.Repeat(x, 12)])).ToArray();
        double[] logSigmoidVector = LogSigmoid(Tensor.Vector([.. Enumerable.Repeat(-x, 12)])).ToArray();
        Assert.True(Ulp.Ulps(reference, Softplus(x)) <= 3, $"Softplus({x:R}) = {Softplus(x):R}, reference {reference:R}");
        Assert.True(Ulp.Ulps(-reference, LogSigmoid(-x)) <= 3, $"LogSigmoid({-x:R}) = {LogSigmoid(-x):R}, reference {-reference:R}");
        for (int i = 0; i < vector.Length; i++)
        {
            Assert.True(Ulp.Ulps(reference, vector[i]) <= 3, $"Softplus({x:R}) as a vector = {vector[i]:R}, reference {reference:R}");
            Assert.True(Ulp.Ulps(-reference, logSigmoidVector[i]) <= 3, $"LogSigmoid({-x:R}) as a vector = {logSigmoidVector[i]:R}, reference {-reference:R}");
        }
    }

    [Fact]
    public void Softplus_series_form_agrees_with_the_general_log1p_form_as_a_scalar_and_as_a_vector()
    {
        // Softplus takes ln(1 + e) as 2·atanh(e/(2 + e)); the oracle is Goldberg's ln(u)·e/(u − 1), u = 1 + e
        // (Log1p, tested above against Taylor series and exact arguments). Each is within about 2 ulp of the true
        // value, so they agree within 4; a coefficient off by one unit in the third place (1/5 → 0.201) breaks this.
        var xs = new List<double> { 0.0, -0.0, 1e-300, -1e-300, 36.7, -36.7, 37.5, -37.5, 708.0, -708.0, 745.0, -745.0 };
        var random = new Random(20261126);
        for (int i = 0; i < 4000; i++)
        {
            xs.Add((random.NextDouble() * 2 - 1) * (i % 2 == 0 ? 4.0 : 60.0));
        }

        var vector = Softplus(Tensor.Vector(xs.ToArray())).ToArray();
        for (int i = 0; i < xs.Count; i++)
        {
            double x = xs[i];
            double expected = Math.Max(x, 0.0) + Log1p(Math.Exp(-Math.Abs(x)));
            Assert.True(Ulp.Ulps(expected, Softplus(x)) <= 4, $"Softplus({x:R}) = {Softplus(x):R}, the log1p form {expected:R}");
            Assert.True(Ulp.Ulps(expected, vector[i]) <= 4, $"Softplus({x:R}) as a vector = {vector[i]:R}, the log1p form {expected:R}");
        }
    }

    [Theory]
    [InlineData(-745.0)]
    [InlineData(-800.0)]
    [InlineData(-1e6)]
    [InlineData(double.NegativeInfinity)]
    public void Softplus_beyond_the_underflow_threshold_is_zero_or_the_smallest_subnormal(double x)
    {
        // e⁻⁷⁴⁵ ≈ 4.94e−324 is about the smallest subnormal; e⁻⁸⁰⁰ and below round to 0.
        var (value, g) = AD.ValueAndGrad(v => Softplus(v[0]), [x]);
        Assert.InRange(value, 0.0, double.Epsilon);
        Assert.InRange(g[0], 0.0, double.Epsilon);
        Assert.False(double.IsNegative(value));
    }

    [Fact]
    public void Softplus_at_the_infinities_and_at_zero()
    {
        Assert.Equal(double.PositiveInfinity, Softplus(double.PositiveInfinity));
        Assert.Equal([1.0], AD.Grad(v => Softplus(v[0]), [double.PositiveInfinity]));
        Assert.Equal([0.0], AD.Grad(v => Softplus(v[0]), [double.NegativeInfinity]));
        Tolerance.AssertRelative("Softplus(0)", Math.Log(2), Softplus(0.0), Tolerance.Ulp, 0.0);
    }

    [Theory]
    [InlineData(-700.0)]
    [InlineData(-745.0)]
    [InlineData(-800.0)]
    [InlineData(-1e6)]
    [InlineData(-1e300)]
    public void LogSigmoid_of_very_negative_x_is_x_with_slope_one(double x)
    {
        // ln σ(x) = x − ln(1 + eˣ) = x − eˣ, and eˣ < ε·|x|: the naive Log(Sigmoid(x)) is −∞ below about −745.
        var (value, g) = AD.ValueAndGrad(v => LogSigmoid(v[0]), [x]);
        Assert.Equal(x, value);
        Assert.Equal(1.0, g[0]);
        Assert.True(double.IsFinite(value) && double.IsFinite(g[0]));
    }

    [Theory]
    [InlineData(40.0)]
    [InlineData(100.0)]
    [InlineData(700.0)]
    [InlineData(708.0)]
    public void LogSigmoid_of_large_x_is_minus_exp_minus_x_with_slope_exp_minus_x(double x)
    {
        // ln σ(x) = −ln(1 + e⁻ˣ) = −e⁻ˣ·(1 − e⁻ˣ/2 + …); d/dx = σ(−x) = e⁻ˣ·(1 − e⁻ˣ + …).
        double e = Math.Exp(-x);
        var (value, g) = AD.ValueAndGrad(v => LogSigmoid(v[0]), [x]);
        Tolerance.AssertRelative("LogSigmoid", -e, value, 1e-15, x);
        Tolerance.AssertRelative("LogSigmoid'", e, g[0], 1e-15, x);
    }

    [Theory]
    [InlineData(745.0)]
    [InlineData(800.0)]
    [InlineData(1e6)]
    [InlineData(double.PositiveInfinity)]
    public void LogSigmoid_of_huge_x_is_minus_zero_or_tiny_with_a_finite_gradient(double x)
    {
        var (value, g) = AD.ValueAndGrad(v => LogSigmoid(v[0]), [x]);
        Assert.InRange(value, -double.Epsilon, 0.0);
        Assert.InRange(g[0], 0.0, double.Epsilon);
    }

    [Fact]
    public void LogSigmoid_at_minus_infinity_and_zero()
    {
        Assert.Equal(double.NegativeInfinity, LogSigmoid(double.NegativeInfinity));
        Assert.Equal([1.0], AD.Grad(v => LogSigmoid(v[0]), [double.NegativeInfinity]));
        Tolerance.AssertRelative("LogSigmoid(0)", -Math.Log(2), LogSigmoid(0.0), Tolerance.Ulp, 0.0);
    }

    [Fact]
    public void The_logistic_log_likelihood_has_a_finite_gradient_for_confident_wrong_predictions()
    {
        // y·ln σ(z) + (1 − y)·ln σ(−z) at z = −800, y = 1: value −800, d/dz = 1 − σ(z) = 1.
        var (value, g) = AD.ValueAndGrad(v => 1.0 * LogSigmoid(v[0]) + 0.0 * LogSigmoid(-v[0]), [-800.0]);
        Assert.Equal(-800.0, value);
        Assert.Equal([1.0], g);
    }

    // ---------------------------------------------------------------- Sigmoid and Tanh

    [Fact]
    public void Sigmoid_is_never_NaN_at_the_infinities()
    {
        var (up, gUp) = AD.ValueAndGrad(v => Sigmoid(v[0]), [double.PositiveInfinity]);
        var (down, gDown) = AD.ValueAndGrad(v => Sigmoid(v[0]), [double.NegativeInfinity]);
        Assert.Equal(1.0, up);
        Assert.Equal(0.0, down);
        Assert.Equal([0.0], gUp);
        Assert.Equal([0.0], gDown);
    }

    [Theory]
    [InlineData(40.0)]
    [InlineData(100.0)]
    [InlineData(700.0)]
    [InlineData(740.0)]
    [InlineData(800.0)]
    public void Sigmoid_derivative_is_exp_minus_abs_x_in_both_tails(double x)
    {
        // σ'(x) = e/(1 + e)², e = e^(−|x|) ≤ e⁻⁴⁰: e to within 2e·e; y(1 − y) would be 0 at +x.
        double e = Math.Exp(-x);
        Tolerance.AssertRelative("σ'(+x)", e, AD.Grad(v => Sigmoid(v[0]), [x])[0], 2 * Tolerance.Ulp, x);
        Tolerance.AssertRelative("σ'(−x)", e, AD.Grad(v => Sigmoid(v[0]), [-x])[0], 2 * Tolerance.Ulp, -x);
        Tolerance.AssertRelative("σ(−x)", e, Sigmoid(-x), 2 * Tolerance.Ulp, -x);
        Assert.Equal(1.0, Sigmoid(x));
    }

    [Fact]
    public void Sigmoid_is_symmetric_and_exact_at_simple_points()
    {
        Assert.Equal(0.5, Sigmoid(0.0));
        Tolerance.AssertRelative("σ(ln 3)", 0.75, Sigmoid(Math.Log(3)), 2 * Tolerance.Ulp, Math.Log(3));
        foreach (double x in new[] { 1e-8, 0.3, 2.0, 17.0, 36.0 })
        {
            Tolerance.AssertRelative("σ(x) + σ(−x)", 1.0, Sigmoid(x) + Sigmoid(-x), 4 * Tolerance.Ulp, x);
            Assert.Equal(AD.Grad(v => Sigmoid(v[0]), [x]), AD.Grad(v => Sigmoid(v[0]), [-x]));
        }
    }

    [Fact]
    public void Sigmoid_is_bit_for_bit_the_two_branch_form_as_a_scalar_and_as_a_vector()
    {
        // The declaration divides once, (x ≥ 0 ? 1 : e)/(1 + e); the textbook form divides in each branch. Same
        // operations, so the same bits, including at the special values.
        var xs = new List<double> { 0.0, -0.0, double.Epsilon, -double.Epsilon, double.PositiveInfinity, double.NegativeInfinity, double.NaN };
        for (int i = 0; i < 200; i++)
        {
            xs.Add((i - 100) * 0.37 + 1e-3 * i);
        }

        var tensor = Sigmoid(Tensor.Vector(xs.ToArray())).ToArray();
        for (int i = 0; i < xs.Count; i++)
        {
            double x = xs[i], e = Math.Exp(-Math.Abs(x));
            double expected = x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(Sigmoid(x)));
            // The vector exponential is within 1 ulp of Math.Exp, and the quotient halves its relative error at most.
            Assert.True(Ulp.Ulps(expected, tensor[i]) <= 2, $"Sigmoid({x}) as a vector: {tensor[i]}, expected {expected}");
        }
    }

    [Fact]
    public void Tanh_saturates_with_an_exact_derivative_and_no_NaN()
    {
        foreach (double x in new[] { 20.0, 100.0, 360.0 })
        {
            double e = Math.Exp(-2 * x);
            Assert.Equal(1.0, Tanh(x));
            Assert.Equal(-1.0, Tanh(-x));
            Tolerance.AssertRelative("tanh'", 4 * e, AD.Grad(v => Tanh(v[0]), [x])[0], 4 * Tolerance.Ulp, x);
            Tolerance.AssertRelative("tanh'", 4 * e, AD.Grad(v => Tanh(v[0]), [-x])[0], 4 * Tolerance.Ulp, -x);
        }

        Assert.Equal([0.0], AD.Grad(v => Tanh(v[0]), [double.PositiveInfinity]));
        Assert.Equal([0.0], AD.Grad(v => Tanh(v[0]), [double.NegativeInfinity]));
    }

    // ---------------------------------------------------------------- NaN

    [Fact]
    public void NaN_in_gives_NaN_out_for_every_unary_op()
    {
        double nan = double.NaN;
        Func<double, double>[] plain = [Negate, Exp, Log, Log1p, Expm1, Sqrt, Square, Abs, Sin, Cos, Tanh, Sigmoid, LogSigmoid, Softplus, Relu];
        Func<Var, Var>[] onVar = [Negate, Exp, Log, Log1p, Expm1, Sqrt, Square, Abs, Sin, Cos, Tanh, Sigmoid, LogSigmoid, Softplus, Relu];
        string[] names = ["Negate", "Exp", "Log", "Log1p", "Expm1", "Sqrt", "Square", "Abs", "Sin", "Cos", "Tanh", "Sigmoid", "LogSigmoid", "Softplus", "Relu"];
        for (int i = 0; i < plain.Length; i++)
        {
            Assert.True(double.IsNaN(plain[i](nan)), names[i] + "(NaN) on double");
            int k = i;
            Assert.True(double.IsNaN(AD.ValueAndGrad(v => onVar[k](v[0]), [nan]).Value), names[i] + "(NaN) on Var");
        }
    }

    [Fact]
    public void NaN_in_either_argument_gives_NaN_out_for_every_binary_op()
    {
        double nan = double.NaN;
        Func<double, double, double>[] plain = [Add, Subtract, Multiply, Divide, Max, Min, Pow];
        Func<Var, Var, Var>[] onVar = [Add, Subtract, Multiply, Divide, Max, Min, Pow];
        string[] names = ["Add", "Subtract", "Multiply", "Divide", "Max", "Min", "Pow"];
        for (int i = 0; i < plain.Length; i++)
        {
            int k = i;
            foreach (var (a, b) in new[] { (nan, 2.0), (2.0, nan), (nan, nan), (nan, 0.5), (0.5, nan) })
            {
                Assert.True(double.IsNaN(plain[i](a, b)), $"{names[i]}({a}, {b}) on double");
                Assert.True(double.IsNaN(AD.ValueAndGrad(v => onVar[k](v[0], v[1]), [a, b]).Value), $"{names[i]}({a}, {b}) on Var");
            }
        }

        // Multiply by zero does not hide a NaN.
        Assert.True(double.IsNaN(AD.ValueAndGrad(v => v[0] * 0.0, [nan]).Value));
    }

    [Fact]
    public void Pow_keeps_the_two_IEEE_exceptions_to_NaN_propagation()
    {
        // IEEE 754 pow: x⁰ = 1 for every x (NaN included) and 1ʸ = 1 for every y (NaN included).
        Assert.Equal(1.0, Pow(double.NaN, 0.0));
        Assert.Equal(1.0, Pow(1.0, double.NaN));
        Assert.Equal(1.0, Pow(Var.Leaf(double.NaN), 0.0).Value);
    }
}
