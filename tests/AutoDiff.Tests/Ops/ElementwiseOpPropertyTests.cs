using System;
using System.Globalization;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Xunit.Sdk;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Ops;

/// <summary>
/// Per-op properties: the AD partials of every elementwise op equal central finite differences over the op's whole
/// domain (tails and both sides of every branch included), far tails are checked against independent asymptotic
/// formulas where finite differences collapse, the subgradient conventions at kinks and ties are exact, and every
/// <see cref="Var"/> overload returns bit for bit what the plain <see cref="double"/> function returns.
/// </summary>
public class ElementwiseOpPropertyTests
{
    private const int Cases = 200;

    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(Cases);

    // ---------------------------------------------------------------- generators

    private static readonly Gen<double> Moderate = Doubles.Uniform(-10, 10);

    /// <summary>Magnitudes from 1e−8 to 1e8 of either sign, and moderate values.</summary>
    private static readonly Gen<double> Wide = Gen.OneOf(Moderate, Doubles.EitherSign(Doubles.LogUniform(1e-8, 1e8)));

    /// <summary>Where the logistic family lives: the full range [−700, 700], around 0, tiny |x|, and both sides of ±40.</summary>
    private static readonly Gen<double> Logistic = Gen.OneOf(
        Doubles.Uniform(-700, 700),
        Doubles.Uniform(-6, 6),
        Doubles.EitherSign(Doubles.LogUniform(1e-12, 1)),
        Doubles.EitherSign(Doubles.Uniform(30, 50)),
        Gen.Elements(0.0, 40.0, -40.0, 700.0, -700.0));

    private static readonly Gen<double> PositiveBase = Gen.OneOf(
        Doubles.LogUniform(1e-3, 1e3), Gen.Elements(1.0, 0.5, 2.0, 10.0));

    private static readonly Gen<double> Exponent = Gen.OneOf(
        Doubles.Uniform(-8, 8), Gen.Elements(0.0, 1.0, -1.0, 2.0, 0.5, -0.5, 3.0));

    /// <summary>Away from a kink at 0: |x| in [1e−3, 1e6], both signs.</summary>
    private static readonly Gen<double> OffKink = Doubles.EitherSign(Doubles.LogUniform(1e-3, 1e6));

    /// <summary>Pairs (a, b) with a ≠ b, b above or below a by 1e−3 to 1e3.</summary>
    private static readonly Gen<(double A, double B)> DistinctPair =
        from a in Gen.OneOf(Doubles.Uniform(-100, 100), Doubles.EitherSign(Doubles.LogUniform(1e-6, 1e4)))
        from gap in Doubles.EitherSign(Doubles.LogUniform(1e-3, 1e3))
        select (a, a + gap);

    private static readonly Gen<(double A, double B)> WidePair =
        from a in Wide
        from b in Wide
        select (a, b);

    private static void Run<T>(Gen<T> gen, Action<T> property) =>
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), property));

    // ---------------------------------------------------------------- arithmetic

    [Fact]
    public void Add_partials_match_finite_differences_and_all_overloads_agree()
    {
        Run(WidePair, p =>
        {
            double s = Math.Max(1, Math.Max(Math.Abs(p.A), Math.Abs(p.B)));
            Fd.AssertBinary("Add", Add, Add, p.A, p.B, s, s);
            Overloads.AssertBinary("Add", Add, Add, Add, Add, p.A, p.B);
            Overloads.AssertBinary("+", (a, b) => a + b, (a, b) => a + b, (a, b) => a + b, Add, p.A, p.B);
            Assert.Equal([1.0, 1.0], AD.Grad(v => v[0] + v[1], [p.A, p.B]));
        });
    }

    [Fact]
    public void Subtract_partials_match_finite_differences_and_all_overloads_agree()
    {
        Run(WidePair, p =>
        {
            double s = Math.Max(1, Math.Max(Math.Abs(p.A), Math.Abs(p.B)));
            Fd.AssertBinary("Subtract", Subtract, Subtract, p.A, p.B, s, s);
            Overloads.AssertBinary("Subtract", Subtract, Subtract, Subtract, Subtract, p.A, p.B);
            Overloads.AssertBinary("-", (a, b) => a - b, (a, b) => a - b, (a, b) => a - b, Subtract, p.A, p.B);
            Assert.Equal([1.0, -1.0], AD.Grad(v => v[0] - v[1], [p.A, p.B]));
        });
    }

    [Fact]
    public void Multiply_partials_match_finite_differences_and_all_overloads_agree()
    {
        Run(WidePair, p =>
        {
            Fd.AssertBinary("Multiply", Multiply, Multiply, p.A, p.B, Math.Max(1, Math.Abs(p.A)), Math.Max(1, Math.Abs(p.B)));
            Overloads.AssertBinary("Multiply", Multiply, Multiply, Multiply, Multiply, p.A, p.B);
            Overloads.AssertBinary("*", (a, b) => a * b, (a, b) => a * b, (a, b) => a * b, Multiply, p.A, p.B);
            Assert.Equal([p.B, p.A], AD.Grad(v => v[0] * v[1], [p.A, p.B]));
        });
    }

    [Fact]
    public void Divide_partials_match_finite_differences_and_all_overloads_agree()
    {
        Run(WidePair, p =>
        {
            // Linear in a; in b the length scale is |b| (the pole at 0), so the step is a fraction of it.
            Fd.AssertBinary("Divide", Divide, Divide, p.A, p.B, Math.Max(1, Math.Abs(p.A)), Math.Abs(p.B) / 2);
            Overloads.AssertBinary("Divide", Divide, Divide, Divide, Divide, p.A, p.B);
            Overloads.AssertBinary("/", (a, b) => a / b, (a, b) => a / b, (a, b) => a / b, Divide, p.A, p.B);
        });
    }

    [Fact]
    public void Negate_derivative_is_minus_one_and_the_operator_agrees()
    {
        Run(Wide, x =>
        {
            Fd.AssertUnary("Negate", Negate, Negate, x, Math.Max(1, Math.Abs(x)));
            Assert.Equal([-1.0], AD.Grad(v => -v[0], [x]));
            Assert.Equal(-x, (-Var.Constant(x)).Value);
        });
    }

    [Fact]
    public void Square_derivative_matches_finite_differences()
    {
        Run(Wide, x =>
        {
            Fd.AssertUnary("Square", Square, Square, x, Math.Max(1, Math.Abs(x)));
            Assert.Equal(2 * x, AD.Grad(v => Square(v[0]), [x])[0]);
        });
    }

    // ---------------------------------------------------------------- exponentials and logarithms

    [Fact]
    public void Exp_derivative_matches_finite_differences_from_minus_700_to_700()
    {
        var gen = Gen.OneOf(Doubles.Uniform(-700, 700), Doubles.Uniform(-5, 5), Doubles.EitherSign(Doubles.LogUniform(1e-18, 1)));
        Run(gen, x => Fd.AssertUnary("Exp", Exp, Exp, x, 1));
    }

    [Fact]
    public void Log_derivative_matches_finite_differences_from_1e_minus_300_to_1e300()
    {
        Run(Doubles.LogUniform(1e-300, 1e300), x => Fd.AssertUnary("Log", Log, Log, x, x / 2));
    }

    [Fact]
    public void Sqrt_derivative_matches_finite_differences_from_1e_minus_300_to_1e300()
    {
        Run(Doubles.LogUniform(1e-300, 1e300), x => Fd.AssertUnary("Sqrt", Sqrt, Sqrt, x, x / 2));
    }

    [Fact]
    public void Log1p_derivative_matches_finite_differences_from_just_above_minus_one_to_1e6()
    {
        var gen = Gen.OneOf(
            Doubles.LogUniform(1e-5, 1e6).Select(u => u - 1.0),              // 1 + x from 1e−5 to 1e6
            Doubles.EitherSign(Doubles.LogUniform(1e-18, 1e-3)),             // tiny |x|, incl. where 1 + x rounds to 1
            Doubles.EitherSign(Doubles.LogUniform(1e-300, 1e-16)),
            Gen.Elements(0.0, -0.5, 1.0, 1e6));
        Run(gen, x => Fd.AssertUnary("Log1p", Log1p, Log1p, x, (1.0 + x) / 2));
    }

    [Fact]
    public void Log1p_derivative_next_to_minus_one_is_the_reciprocal_of_the_exact_distance()
    {
        // For x in [−1, −0.5], 1 + x is exact (Sterbenz), so 1/(1 + x) is the correctly rounded derivative: an oracle
        // where finite differences are hopeless (x itself has only 16 digits near −1).
        Run(Doubles.LogUniform(1e-15, 1e-5), d =>
        {
            double x = -1.0 + d;
            double exactDistance = x + 1.0;
            double g = AD.Grad(v => Log1p(v[0]), [x])[0];
            Tolerance.AssertRelative("Log1p' near −1", 1.0 / exactDistance, g, 2 * Tolerance.Ulp, x);
        });
    }

    [Fact]
    public void Expm1_derivative_matches_finite_differences_from_minus_50_to_50_and_at_tiny_arguments()
    {
        var gen = Gen.OneOf(
            Doubles.Uniform(-50, 50),
            Doubles.EitherSign(Doubles.LogUniform(1e-18, 1e-3)),
            Doubles.EitherSign(Doubles.LogUniform(1e-300, 1e-16)),
            Gen.Elements(0.0, 1.0, -1.0));
        Run(gen, x => Fd.AssertUnary("Expm1", Expm1, Expm1, x, 1));
    }

    // ---------------------------------------------------------------- powers

    [Fact]
    public void Pow_partials_match_finite_differences_for_a_positive_base_and_exponents_of_both_signs()
    {
        var gen = from x in PositiveBase from p in Exponent select (X: x, P: p);
        Run(gen, c =>
        {
            // Length scales: x/2 in the base (x^p has its branch point at 0), 1/|ln x| in the exponent (x^p = e^(p ln x)).
            double sp = 1.0 / Math.Max(1, Math.Abs(Math.Log(c.X)));
            Fd.AssertBinary("Pow", Pow, Pow, c.X, c.P, c.X / 2, sp);
            Overloads.AssertBinary("Pow", Pow, Pow, Pow, Pow, c.X, c.P);
            if (c.P == 0.0)
            {
                Assert.Equal([0.0, Math.Log(c.X)], AD.Grad(v => Pow(v[0], v[1]), [c.X, c.P]));
            }
        });
    }

    // ---------------------------------------------------------------- kinks

    [Fact]
    public void Abs_derivative_is_the_sign_on_both_sides_of_zero()
    {
        Run(OffKink, x =>
        {
            Fd.AssertUnary("Abs", Abs, Abs, x, Math.Abs(x));
            Assert.Equal(Math.Sign(x), AD.Grad(v => Abs(v[0]), [x])[0]);
        });
    }

    [Fact]
    public void Relu_derivative_is_one_above_zero_and_zero_below()
    {
        Run(OffKink, x =>
        {
            Fd.AssertUnary("Relu", Relu, Relu, x, Math.Abs(x));
            Assert.Equal(x > 0 ? 1.0 : 0.0, AD.Grad(v => Relu(v[0]), [x])[0]);
        });
    }

    [Fact]
    public void Max_routes_the_gradient_to_the_larger_argument_on_either_side()
    {
        Run(DistinctPair, p =>
        {
            double s = Math.Abs(p.A - p.B);
            Fd.AssertBinary("Max", Max, Max, p.A, p.B, s, s);
            Overloads.AssertBinary("Max", Max, Max, Max, Max, p.A, p.B);
            Assert.Equal(p.A > p.B ? new[] { 1.0, 0.0 } : new[] { 0.0, 1.0 }, AD.Grad(v => Max(v[0], v[1]), [p.A, p.B]));
        });
    }

    [Fact]
    public void Min_routes_the_gradient_to_the_smaller_argument_on_either_side()
    {
        Run(DistinctPair, p =>
        {
            double s = Math.Abs(p.A - p.B);
            Fd.AssertBinary("Min", Min, Min, p.A, p.B, s, s);
            Overloads.AssertBinary("Min", Min, Min, Min, Min, p.A, p.B);
            Assert.Equal(p.A < p.B ? new[] { 1.0, 0.0 } : new[] { 0.0, 1.0 }, AD.Grad(v => Min(v[0], v[1]), [p.A, p.B]));
        });
    }

    // ---------------------------------------------------------------- trigonometric and hyperbolic

    [Fact]
    public void Sin_derivative_matches_finite_differences()
    {
        Run(Gen.OneOf(Doubles.Uniform(-100, 100), Doubles.Uniform(-4, 4)), x => Fd.AssertUnary("Sin", Sin, Sin, x, 1));
    }

    [Fact]
    public void Cos_derivative_matches_finite_differences()
    {
        Run(Gen.OneOf(Doubles.Uniform(-100, 100), Doubles.Uniform(-4, 4)), x => Fd.AssertUnary("Cos", Cos, Cos, x, 1));
    }

    [Fact]
    public void Tanh_derivative_matches_finite_differences_and_4_exp_minus_2_abs_x_in_the_tails()
    {
        var gen = Gen.OneOf(
            Doubles.Uniform(-30, 30), Doubles.Uniform(-3, 3), Doubles.EitherSign(Doubles.LogUniform(1e-12, 1)),
            Doubles.EitherSign(Doubles.Uniform(20, 400)));
        Run(gen, x =>
        {
            Fd.AssertUnary("Tanh", Tanh, Tanh, x, 1);
            if (Math.Abs(x) > 10)
            {
                // tanh' = 4e/(1 + e)² with e = e^(−2|x|) < 2e−9: the series 4e·(1 − 2e + 3e²) is off by O(e³) relatively.
                double e = Math.Exp(-2 * Math.Abs(x));
                double g = AD.Grad(v => Tanh(v[0]), [x])[0];
                Tolerance.AssertRelative("Tanh' tail", 4 * e * (1 - 2 * e + 3 * e * e), g, 4 * Tolerance.Ulp, x);
            }
        });
    }

    // ---------------------------------------------------------------- logistic family

    [Fact]
    public void Sigmoid_derivative_matches_finite_differences_and_exp_minus_abs_x_in_the_tails()
    {
        Run(Logistic, x =>
        {
            Fd.AssertUnary("Sigmoid", Sigmoid, Sigmoid, x, 1);
            if (Math.Abs(x) > 20)
            {
                // σ'(x) = e/(1 + e)² with e = e^(−|x|) < 2e−9: e·(1 − 2e + 3e²) to O(e³). σ(600) rounds to 1, so FD says 0 there.
                double e = Math.Exp(-Math.Abs(x));
                double g = AD.Grad(v => Sigmoid(v[0]), [x])[0];
                Tolerance.AssertRelative("Sigmoid' tail", e * (1 - 2 * e + 3 * e * e), g, 4 * Tolerance.Ulp, x);
            }
        });
    }

    [Fact]
    public void LogSigmoid_derivative_matches_finite_differences_and_its_asymptotes()
    {
        Run(Logistic, x =>
        {
            Fd.AssertUnary("LogSigmoid", LogSigmoid, LogSigmoid, x, 1);
            double g = AD.Grad(v => LogSigmoid(v[0]), [x])[0];
            double e = Math.Exp(-Math.Abs(x));
            if (x > 20)
            {
                // d/dx ln σ(x) = σ(−x) = e/(1 + e) = e·(1 − e + e²) to O(e³), e = e^(−x).
                Tolerance.AssertRelative("LogSigmoid' upper tail", e * (1 - e + e * e), g, 4 * Tolerance.Ulp, x);
                Tolerance.AssertRelative("LogSigmoid upper tail", -e * (1 - e / 2 + e * e / 3), LogSigmoid(x), 4 * Tolerance.Ulp, x);
            }
            else if (x < -20)
            {
                // σ(−x) = 1/(1 + e) = 1 − e + e², e = eˣ; ln σ(x) = x − ln(1 + e) = x − e + e²/2.
                Tolerance.AssertRelative("LogSigmoid' lower tail", 1 - e + e * e, g, 2 * Tolerance.Ulp, x);
                Tolerance.AssertRelative("LogSigmoid lower tail", x - e, LogSigmoid(x), 2 * Tolerance.Ulp, x);
            }
        });
    }

    [Fact]
    public void Softplus_derivative_matches_finite_differences_and_its_asymptotes()
    {
        Run(Logistic, x =>
        {
            Fd.AssertUnary("Softplus", Softplus, Softplus, x, 1);
            double g = AD.Grad(v => Softplus(v[0]), [x])[0];
            double e = Math.Exp(-Math.Abs(x));
            if (x < -20)
            {
                // ln(1 + e) = e·(1 − e/2 + e²/3) and σ(x) = e/(1 + e) = e·(1 − e + e²), to O(e³), e = eˣ.
                Tolerance.AssertRelative("Softplus lower tail", e * (1 - e / 2 + e * e / 3), Softplus(x), 4 * Tolerance.Ulp, x);
                Tolerance.AssertRelative("Softplus' lower tail", e * (1 - e + e * e), g, 4 * Tolerance.Ulp, x);
            }
            else if (x > 20)
            {
                // ln(1 + eˣ) = x + ln(1 + e) = x + e to within e²; σ(x) = 1 − e + e².
                Tolerance.AssertRelative("Softplus upper tail", x + e, Softplus(x), 2 * Tolerance.Ulp, x);
                Tolerance.AssertRelative("Softplus' upper tail", 1 - e + e * e, g, 2 * Tolerance.Ulp, x);
            }
        });
    }

    // ---------------------------------------------------------------- conventions at kinks, ties and special points

    [Fact]
    public void Abs_and_Relu_have_derivative_zero_at_zero_of_either_sign()
    {
        foreach (double zero in new[] { 0.0, -0.0 })
        {
            Assert.Equal([0.0], AD.Grad(v => Abs(v[0]), [zero]));
            Assert.Equal([0.0], AD.Grad(v => Relu(v[0]), [zero]));
        }

        Assert.Equal(0.0, Abs(-0.0));
        Assert.False(double.IsNegative(Abs(-0.0)));
    }

    [Fact]
    public void Max_and_Min_split_a_tie_half_and_half()
    {
        foreach (double t in new[] { 0.0, 3.0, -2.5, 1e300 })
        {
            Assert.Equal([0.5, 0.5], AD.Grad(v => Max(v[0], v[1]), [t, t]));
            Assert.Equal([0.5, 0.5], AD.Grad(v => Min(v[0], v[1]), [t, t]));

            // With a constant on one side, the variable still gets its half.
            Assert.Equal([0.5], AD.Grad(v => Max(v[0], t), [t]));
            Assert.Equal([0.5], AD.Grad(v => Max(t, v[0]), [t]));
            Assert.Equal([0.5], AD.Grad(v => Min(v[0], t), [t]));
            Assert.Equal([0.5], AD.Grad(v => Min(t, v[0]), [t]));

            // Max(x, x) = x: the two halves meet again on the same input.
            Assert.Equal([1.0], AD.Grad(v => Max(v[0], v[0]), [t]));
            Assert.Equal([1.0], AD.Grad(v => Min(v[0], v[0]), [t]));
        }
    }

    [Fact]
    public void Pow_at_a_zero_base_uses_the_limits_for_p_zero_and_for_p_nonnegative()
    {
        // d/dx x⁰ = 0 everywhere, including x = 0 (not 0·0⁻¹ = NaN); and 0⁰ = 1.
        var (value, g) = AD.ValueAndGrad(v => Pow(v[0], v[1]), [0.0, 0.0]);
        Assert.Equal(1.0, value);
        Assert.Equal([0.0, 0.0], g); // d/dp 0ᵖ = 0 for p ≥ 0, p = 0 included
        Assert.Equal([0.0], AD.Grad(v => Pow(v[0], 0.0), [0.0]));
        Assert.Equal([0.0], AD.Grad(v => Pow(v[0], 0.0), [-3.0]));

        // d/dp 0ᵖ = 0 for p > 0, while d/dx xᵖ at 0 is p·0^(p−1): 1 for p = 1, 0 for p > 1, +∞ for 0 < p < 1.
        Assert.Equal([1.0, 0.0], AD.Grad(v => Pow(v[0], v[1]), [0.0, 1.0]));
        Assert.Equal([0.0, 0.0], AD.Grad(v => Pow(v[0], v[1]), [0.0, 2.0]));
        Assert.Equal([0.0, 0.0], AD.Grad(v => Pow(v[0], v[1]), [0.0, 3.7]));
        var half = AD.Grad(v => Pow(v[0], v[1]), [0.0, 0.5]);
        Assert.True(double.IsPositiveInfinity(half[0]));
        Assert.Equal(0.0, half[1]);
        foreach (double p in new[] { 0.0, 0.5, 1.0, 2.0, 3.7 })
        {
            Assert.Equal([0.0], AD.Grad(v => Pow(0.0, v[0]), [p]));
        }
    }

    [Fact]
    public void Pow_at_exponent_zero_and_base_one_and_negative_base()
    {
        // x⁰: ∂/∂x = 0, ∂/∂p = ln x.
        Assert.Equal([0.0, Math.Log(3.0)], AD.Grad(v => Pow(v[0], v[1]), [3.0, 0.0]));

        // 1ᵖ = 1: ∂/∂p = ln 1 = 0, ∂/∂x = p.
        Assert.Equal([2.5, 0.0], AD.Grad(v => Pow(v[0], v[1]), [1.0, 2.5]));

        // (−2)³ = −8: ∂/∂x = 3·(−2)² = 12; ∂/∂p is NaN (xᵖ is not real for non-integer p near 3), as documented.
        var (value, g) = AD.ValueAndGrad(v => Pow(v[0], v[1]), [-2.0, 3.0]);
        Assert.Equal(-8.0, value);
        Assert.Equal(12.0, g[0]);
        Assert.True(double.IsNaN(g[1]));
        Assert.Equal([12.0], AD.Grad(v => Pow(v[0], 3.0), [-2.0]));
    }

    [Fact]
    public void Sqrt_derivative_is_infinite_at_zero_and_Log_derivative_is_the_reciprocal()
    {
        Assert.True(double.IsPositiveInfinity(AD.Grad(v => Sqrt(v[0]), [0.0])[0]));
        Assert.Equal([0.25], AD.Grad(v => Sqrt(v[0]), [4.0]));
        Assert.Equal([0.5], AD.Grad(v => Log(v[0]), [2.0]));
        Assert.Equal([1.0], AD.Grad(v => Log1p(v[0]), [0.0]));
        Assert.Equal([1.0], AD.Grad(v => Expm1(v[0]), [0.0]));
        Assert.Equal([0.25], AD.Grad(v => Sigmoid(v[0]), [0.0]));
        Assert.Equal([0.5], AD.Grad(v => Softplus(v[0]), [0.0]));
        Assert.Equal([0.5], AD.Grad(v => LogSigmoid(v[0]), [0.0]));
        Assert.Equal([1.0], AD.Grad(v => Tanh(v[0]), [0.0]));
    }

    // −0 is a zero: √−0 = −0 and ln −0 = −∞ as at +0, and the one-sided derivatives at 0 are +∞ for both. The rules read
    // the zero's sign no more (0.5/√−0 and 1/−0 were −∞). Second derivatives, −1/(4x^(3/2)) and −1/x², are −∞ at both.
    [Fact]
    public void Sqrt_and_Log_derivatives_are_plus_infinity_at_either_zero_as_Var_tensor_compiled_and_Hessian()
    {
        foreach (double zero in new[] { 0.0, -0.0 })
        {
            Assert.Equal([double.PositiveInfinity, double.PositiveInfinity], AD.Grad(v => Sqrt(v[0]) + Log(v[1]), [zero, zero]));
            var hessian = AD.Hessian(v => Sqrt(v[0]) + Log(v[1]), [zero, zero]);
            Assert.Equal(new[,] { { double.NegativeInfinity, 0 }, { 0, double.NegativeInfinity } }, hessian);
        }

        // Tensors of 11 elements (vector lanes and the scalar tail at 256 and 512 bits), −0 among positive values, with
        // a uniform adjoint (Sum) and a weighted one; and a compiled gradient replayed at them.
        double[] x = [-0.0, 4, 0.25, -0.0, 9, 1e-300, 2, -0.0, 0.0, 16, -0.0];
        double[] w = [.. Enumerable.Range(0, x.Length).Select(i => 1.0 + i)];
        double[] sqrtSlope = [.. x.Select(v => v == 0 ? double.PositiveInfinity : 0.5 / Math.Sqrt(v))];
        double[] logSlope = [.. x.Select(v => v == 0 ? double.PositiveInfinity : 1.0 / v)];
        Assert.Equal(sqrtSlope, AD.Grad(p => Sum(Sqrt(p[0])), Tensor.Vector(x))[0].ToArray());
        Assert.Equal(logSlope, AD.Grad(p => Sum(Log(p[0])), Tensor.Vector(x))[0].ToArray());
        Assert.Equal([.. w.Select((c, i) => c * logSlope[i])], AD.Grad(p => Sum(Tensor.Vector(w) * Log(p[0])), Tensor.Vector(x))[0].ToArray());
        var compiled = AD.Compile(p => Sum(Sqrt(p[0])) + Sum(Log(p[1])), Tensor.Vector([.. x.Select(_ => 1.0)]), Tensor.Vector([.. x.Select(_ => 1.0)]));
        var g = compiled.Grad(Tensor.Vector(x), Tensor.Vector(x));
        Assert.Equal(sqrtSlope, g[0].ToArray());
        Assert.Equal(logSlope, g[1].ToArray());
    }

    [Fact]
    public void The_finite_difference_check_rejects_a_derivative_that_is_off_by_1e_minus_5()
    {
        // The tolerances above must not be so loose that a slightly wrong rule passes: same value, partial × (1 + 1e−5).
        static Var SlightlyWrongExp(Var x) => AutoDiff.Tape.Unary("Exp", Exp(x.Value), x, Exp(x.Value) * (1 + 1e-5));
        static Var SlightlyWrongLog(Var x) => AutoDiff.Tape.Unary("Log", Log(x.Value), x, (1 + 1e-5) / x.Value);
        static Var SlightlyWrongLog1p(Var x) => AutoDiff.Tape.Unary("Log1p", Log1p(x.Value), x, (1 + 1e-5) / (1 + x.Value));

        foreach (double x in new[] { -650.0, -1.0, 0.0, 3.0, 650.0 })
        {
            Assert.Throws<XunitException>(() => Fd.AssertUnary("wrong Exp", SlightlyWrongExp, Exp, x, 1));
        }

        foreach (double x in new[] { 1e-300, 1e-3, 1.0, 1e300 })
        {
            Assert.Throws<XunitException>(() => Fd.AssertUnary("wrong Log", SlightlyWrongLog, Log, x, x / 2));
        }

        foreach (double x in new[] { -0.99999, -1e-12, 0.0, 1e6 })
        {
            Assert.Throws<XunitException>(() => Fd.AssertUnary("wrong Log1p", SlightlyWrongLog1p, Log1p, x, (1 + x) / 2));
        }
    }

    [Fact]
    public void The_tail_oracle_rejects_the_naive_sigmoid_derivative()
    {
        // σ(1 − σ) is 0 for x ≥ 37 and loses all relative accuracy before that; the tail check must notice.
        foreach (double x in new[] { 25.0, 40.0, 600.0 })
        {
            double s = Sigmoid(x);
            double e = Math.Exp(-x);
            Assert.Throws<XunitException>(
                () => Tolerance.AssertRelative("naive σ'", e * (1 - 2 * e + 3 * e * e), s * (1 - s), 4 * Tolerance.Ulp, x));
        }
    }

    [Fact]
    public void Every_op_on_constants_records_nothing_and_gives_the_double_value()
    {
        Func<double, double>[] plain = [Negate, Exp, Log, Log1p, Expm1, Sqrt, Square, Abs, Sin, Cos, Tanh, Sigmoid, LogSigmoid, Softplus, Relu];
        Func<Var, Var>[] onVar = [Negate, Exp, Log, Log1p, Expm1, Sqrt, Square, Abs, Sin, Cos, Tanh, Sigmoid, LogSigmoid, Softplus, Relu];
        using var scope = AutoDiff.Tape.Scope();
        int nodes = AutoDiff.Tape.Current.NodeCount;
        foreach (double x in new[] { 0.3, 2.0, -0.7 })
        {
            for (int i = 0; i < plain.Length; i++)
            {
                var y = onVar[i](Var.Constant(x));
                Assert.True(y.IsConstant);
                Tolerance.AssertSameBits($"op #{i} on a constant", plain[i](x), y.Value, x);
            }
        }

        Assert.Equal(nodes, AutoDiff.Tape.Current.NodeCount);
    }
}

/// <summary>Generators of doubles for FsCheck.</summary>
internal static class Doubles
{
    /// <summary>Uniform on [lo, hi], with 2³¹ levels.</summary>
    public static Gen<double> Uniform(double lo, double hi) =>
        Gen.Choose(0, int.MaxValue).Select(i => lo + (hi - lo) * (i / (double)int.MaxValue));

    /// <summary>Log-uniform on [lo, hi] (0 &lt; lo &lt; hi).</summary>
    public static Gen<double> LogUniform(double lo, double hi)
    {
        double a = Math.Log(lo), b = Math.Log(hi);
        return Uniform(a, b).Select(t => Math.Clamp(Math.Exp(t), lo, hi));
    }

    /// <summary>Each value of <paramref name="gen"/> with either sign.</summary>
    public static Gen<double> EitherSign(Gen<double> gen) =>
        from x in gen
        from negative in Gen.Elements(false, true)
        select negative ? -x : x;
}

/// <summary>Assertions with error messages that show the input.</summary>
internal static class Tolerance
{
    /// <summary>2⁻⁵², the spacing of doubles at 1.</summary>
    public const double Ulp = 2.220446049250313e-16;

    public static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>|actual − expected| ≤ rel·|expected|, plus two subnormal spacings for results that underflow.</summary>
    public static void AssertRelative(string what, double expected, double actual, double rel, double input)
    {
        double error = Math.Abs(actual - expected);
        if (expected == actual || error <= rel * Math.Abs(expected) + 2 * double.Epsilon)
        {
            return;
        }

        throw new XunitException(
            $"{what} at x = {R(input)}: expected {R(expected)}, got {R(actual)} (relative error {R(error / Math.Abs(expected))}, allowed {R(rel)})");
    }

    public static void AssertSameBits(string what, double expected, double actual, double input)
    {
        if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(actual)
            && !(double.IsNaN(expected) && double.IsNaN(actual)))
        {
            throw new XunitException($"{what} at {R(input)}: expected exactly {R(expected)}, got {R(actual)}");
        }
    }
}

/// <summary>
/// Finite differences in scaled coordinates: ∂f/∂xᵢ ≈ (1/sᵢ)·∂/∂tᵢ f(x + s∘t) at t = 0, with
/// <see cref="GradCheck.FiniteDifferenceGradient"/> taking the t-derivative. Its step in t is h ≈ 7.4e−4, so the step
/// in xᵢ is sᵢ·h: choose sᵢ at most the length scale on which f changes (|b| for a/b, x for ln x, 1 + x for ln(1 + x),
/// the distance to a kink), and the Richardson error O((sᵢh/L)⁴) stays far below the 1e−6 relative tolerance.
/// </summary>
internal static class Fd
{
    private static readonly double H = Math.Pow(Math.Pow(2, -52), 0.2);

    public static void AssertUnary(string name, Func<Var, Var> op, Func<double, double> plain, double x, double scale) =>
        Assert(name, v => op(v[0]), p => plain(p[0]), [x], [scale]);

    public static void AssertBinary(
        string name, Func<Var, Var, Var> op, Func<double, double, double> plain, double a, double b, double sa, double sb) =>
        Assert(name, v => op(v[0], v[1]), p => plain(p[0], p[1]), [a, b], [sa, sb]);

    /// <summary>
    /// The value of f on <see cref="Var"/>s equals the plain function bit for bit, and for every coordinate
    /// |AD − FD| ≤ 1e−6·max(|AD|, |FD|) + 25·(4ε·M + ε·|xᵢ|·max(|AD|, |FD|) + 4·2⁻¹⁰⁷⁴)/(sᵢ·h), where M bounds |f| on the
    /// stencil: the FD of a function computed to a few ulp loses about ε·M/h absolutely, the rounding of xᵢ + sᵢt adds
    /// ε·|xᵢ|·|f'|/h, and results in the subnormal range are only known to 2⁻¹⁰⁷⁴.
    /// </summary>
    public static void Assert(string name, Func<Var[], Var> f, Func<double[], double> plain, double[] x, double[] scale)
    {
        var (value, ad) = AD.ValueAndGrad(f, x);
        Tolerance.AssertSameBits(name + " value on Var vs the double function", plain(x), value, x[0]);

        int n = x.Length;
        var fdT = GradCheck.FiniteDifferenceGradient(
            t =>
            {
                var p = new Var[n];
                for (int i = 0; i < n; i++)
                {
                    p[i] = x[i] + scale[i] * t[i].Value;
                }

                return f(p);
            },
            new double[n]);

        for (int i = 0; i < n; i++)
        {
            double fd = fdT[i] / scale[i];
            double m = Math.Abs(value);
            foreach (double k in new[] { -1.0, -0.5, 0.5, 1.0 })
            {
                var p = (double[])x.Clone();
                p[i] = x[i] + scale[i] * k * H;
                m = Math.Max(m, Math.Abs(plain(p)));
            }

            double g = Math.Max(Math.Abs(ad[i]), Math.Abs(fd));
            double tol = 1e-6 * g + 25 * (4 * Tolerance.Ulp * m + Tolerance.Ulp * Math.Abs(x[i]) * g + 4 * double.Epsilon) / (scale[i] * H);
            double error = Math.Abs(ad[i] - fd);
            if (!(error <= tol) || !double.IsFinite(ad[i]))
            {
                string at = string.Join(", ", Array.ConvertAll(x, Tolerance.R));
                throw new XunitException(
                    $"{name}: ∂/∂x{i} at ({at}): AD {Tolerance.R(ad[i])}, FD {Tolerance.R(fd)}, |AD − FD| = {Tolerance.R(error)} > {Tolerance.R(tol)}");
            }
        }
    }
}

/// <summary>The (Var, Var), (Var, double) and (double, Var) forms of a binary op agree with each other and with the double function.</summary>
internal static class Overloads
{
    public static void AssertBinary(
        string name,
        Func<Var, Var, Var> vv,
        Func<Var, double, Var> vd,
        Func<double, Var, Var> dv,
        Func<double, double, double> plain,
        double a,
        double b)
    {
        double expected = plain(a, b);
        var (both, g) = AD.ValueAndGrad(v => vv(v[0], v[1]), [a, b]);
        var (left, ga) = AD.ValueAndGrad(v => vd(v[0], b), [a]);
        var (right, gb) = AD.ValueAndGrad(v => dv(a, v[0]), [b]);
        var constant = vv(Var.Constant(a), Var.Constant(b));

        Tolerance.AssertSameBits(name + "(Var, Var)", expected, both, a);
        Tolerance.AssertSameBits(name + "(Var, double)", expected, left, a);
        Tolerance.AssertSameBits(name + "(double, Var)", expected, right, a);
        Tolerance.AssertSameBits(name + "(constant, constant)", expected, constant.Value, a);
        Xunit.Assert.True(constant.IsConstant, name + " of two constants must be a constant");
        Tolerance.AssertSameBits(name + " ∂/∂a (Var, double) vs (Var, Var)", g[0], ga[0], a);
        Tolerance.AssertSameBits(name + " ∂/∂b (double, Var) vs (Var, Var)", g[1], gb[0], b);
    }
}
