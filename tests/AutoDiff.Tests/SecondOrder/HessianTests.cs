using System;
using System.Linq;
using AutoDiff.Likelihoods;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.SecondOrder;

/// <summary>
/// AD.Hessian and AD.HessianVectorProduct against the notes' closed forms, finite differences of the AD gradient, and
/// the shapes of what they refuse.
/// </summary>
public class HessianTests
{
    private static double[,] Outer(double[][] x, Func<int, double> weight)
    {
        int d = x[0].Length;
        var m = new double[d, d];
        for (int n = 0; n < x.Length; n++)
        {
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    m[i, j] += weight(n) * x[n][i] * x[n][j];
                }
            }
        }

        return m;
    }

    private static void AssertClose(double[,] expected, double[,] actual, double relative)
    {
        Assert.Equal(expected.GetLength(0), actual.GetLength(0));
        Assert.Equal(expected.GetLength(1), actual.GetLength(1));
        double scale = expected.Cast<double>().Max(Math.Abs);
        for (int i = 0; i < expected.GetLength(0); i++)
        {
            for (int j = 0; j < expected.GetLength(1); j++)
            {
                double error = Math.Abs(expected[i, j] - actual[i, j]);
                Assert.True(error <= relative * scale, $"H[{i},{j}]: expected {expected[i, j]:R}, got {actual[i, j]:R} (|error| {error:E2}, scale {scale:E2})");
            }
        }
    }

    [Fact]
    public void Gaussian_Hessian_equals_the_closed_form_with_d2_dmu2_equal_to_minus_N_over_sigma_squared()
    {
        var y = TestData.Diabetes.Column("progression");
        double mu = 140.0, sigma = 70.0;
        int n = y.Length;
        double s1 = y.Sum(v => v - mu), s2 = y.Sum(v => (v - mu) * (v - mu));
        var expected = new double[,]
        {
            { -n / (sigma * sigma), -2 * s1 / Math.Pow(sigma, 3) },
            { -2 * s1 / Math.Pow(sigma, 3), n / (sigma * sigma) - 3 * s2 / Math.Pow(sigma, 4) },
        };

        var hessian = AD.Hessian(p => GaussianLikelihood.LogLikelihood(p[0], p[1], y), [mu, sigma]);

        AssertClose(expected, hessian, 1e-12);
        Assert.Equal(-n / (sigma * sigma), hessian[0, 0], 1e-12 * n / (sigma * sigma));
    }

    [Fact]
    public void Linear_regression_Hessian_in_w_equals_minus_XtX_over_sigma_squared()
    {
        var (x, y) = TestData.DiabetesOls();
        int d = x[0].Length;
        var w = Enumerable.Range(0, d).Select(j => 0.1 * j).ToArray();
        double sigma = 55.0;

        var hessian = AD.Hessian(p => LinearRegressionLikelihood.LogLikelihood(p.AsSpan(0, d), sigma, x, y), w);

        AssertClose(Outer(x, _ => -1.0 / (sigma * sigma)), hessian, 1e-12);
    }

    [Fact]
    public void Logistic_Hessian_equals_minus_Xt_diag_p_times_1_minus_p_X()
    {
        var (x, y) = TestData.BreastCancerLogit();
        var theta = Enumerable.Range(0, x[0].Length).Select(j => 0.2 - 0.1 * j).ToArray();
        var p = x.Select(row => 1.0 / (1.0 + Math.Exp(-row.Zip(theta, (a, b) => a * b).Sum()))).ToArray();

        var hessian = AD.Hessian(t => LogisticRegressionLikelihood.LogLikelihood(t, x, y), theta);

        AssertClose(Outer(x, n => -p[n] * (1 - p[n])), hessian, 1e-11);
    }

    // Found by a review's probes: d²/dx² x² at 0 came out 0 (the first derivative's zero branch was taken at x = 0) and
    // d²/dx² x¹ at 0 NaN (0·0⁻¹). The closed forms: x² → 2, x¹ → 0, x^p at (0, 2) → ∂²/∂x² = 2.
    [Fact]
    public void Pow_has_its_closed_form_second_derivatives_at_zero()
    {
        Assert.Equal(2.0, AD.Hessian(v => Pow(v[0], 2.0), [0.0])[0, 0]);
        Assert.Equal([2.0], AD.HessianVectorProduct(v => Pow(v[0], 2.0), [0.0], [1.0]));
        Assert.Equal(0.0, AD.Hessian(v => Pow(v[0], 1.0), [0.0])[0, 0]);
        Assert.Equal(2.0, AD.Hessian(v => Pow(v[0], v[1]), [0.0, 2.0])[0, 0]);

        // At x < 0, xᵖ has no derivative in p (NaN), but along x alone its second derivative is p(p − 1)xᵖ⁻² = −12 at
        // (−2, 3): a tangent that is 0 in p must not carry the NaN of ∂/∂p into ∂²/∂x².
        var atNegative = AD.Hessian(v => Pow(v[0], v[1]), [-2.0, 3.0]);
        Assert.Equal(-12.0, atNegative[0, 0], 1e-12);
        Assert.True(double.IsNaN(atNegative[1, 1]));
        Assert.Equal([2.0, 0, 0, 2], AD.Hessian(t => Sum(Pow(t, 2.0)), Tensor.Vector(0.0, 1.0)).ToArray());

        // A declared xᵖ whose rules the generator derives takes the same limits as Ops.Pow's written ones: ∂/∂p of 0ᵖ
        // is 0 for p ≥ 0 (not 0·ln 0), and p·xᵖ⁻¹ is 0 at p = 0.
        Assert.Equal(AD.Grad(v => Pow(v[0], v[1]), [0.0, 0.37]), AD.Grad(v => Tests.Tensors.FusedFunctions.DerivedPow(v[0], v[1]), [0.0, 0.37]));
        Assert.Equal([0.0, 0.0], AD.Grad(v => Tests.Tensors.FusedFunctions.DerivedPow(v[0], v[1]), [0.0, 0.0]));
        Assert.Equal([0.0, 0.0], AD.Grad(v => Pow(v[0], v[1]), [0.0, 0.0]));
        Assert.Equal(2.0, AD.Hessian(v => Tests.Tensors.FusedFunctions.DerivedPow(v[0], 2.0), [0.0])[0, 0]);
    }

    [Fact]
    public void Value_gradient_and_Hessian_come_together_and_match_the_separate_calls()
    {
        Func<Var[], Var> f = v => Exp(v[0] * v[1]) + Sin(v[2]) * v[0] / v[1] + Pow(v[1], v[2]);
        double[] x = [0.3, 1.7, -0.4];

        var (value, gradient, hessian) = AD.ValueGradHessian(f, x);

        var (expectedValue, expectedGradient) = AD.ValueAndGrad(f, x);
        Assert.Equal(expectedValue, value);
        Assert.Equal(expectedGradient, gradient);
        AssertClose(GradCheck.FiniteDifferenceHessian(f, x), hessian, 1e-7);
    }

    [Fact]
    public void Hessian_vector_product_equals_the_Hessian_times_the_vector_for_a_closed_form()
    {
        // f = x₀² x₁ + e^(x₁ x₂): H = [[2x₁, 2x₀, 0], [2x₀, x₂² e, (1 + x₁x₂) e], [0, (1 + x₁x₂) e, x₁² e]], e = e^(x₁x₂).
        double[] x = [1.5, -0.5, 0.8], v = [0.3, -1.1, 2.0];
        double e = Math.Exp(x[1] * x[2]);
        double[,] h =
        {
            { 2 * x[1], 2 * x[0], 0 },
            { 2 * x[0], x[2] * x[2] * e, (1 + x[1] * x[2]) * e },
            { 0, (1 + x[1] * x[2]) * e, x[1] * x[1] * e },
        };

        var product = AD.HessianVectorProduct(w => Square(w[0]) * w[1] + Exp(w[1] * w[2]), x, v);

        for (int i = 0; i < 3; i++)
        {
            double expected = h[i, 0] * v[0] + h[i, 1] * v[1] + h[i, 2] * v[2];
            Assert.Equal(expected, product[i], 1e-14 * Math.Max(1, Math.Abs(expected)));
        }
    }

    [Fact]
    public void Reductions_and_mixed_constant_overloads_have_second_order_rules()
    {
        double[] w = [0.5, -2.0, 1.5];
        Func<Var[], Var> f = v => LogSumExp(v[0], 2.0 * v[1], v[2] / 3.0) + Square(Dot(v, w)) + Sum(v) * Sum(v) + Pow(2.0, v[0]) + Pow(v[1], 3.0);
        double[] x = [0.2, -0.7, 1.1];

        var hessian = AD.Hessian(f, x);

        AssertClose(GradCheck.FiniteDifferenceHessian(f, x), hessian, 1e-7);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < i; j++)
            {
                Assert.Equal(hessian[i, j], hessian[j, i], 1e-12 * Math.Max(1, Math.Abs(hessian[i, j])));
            }
        }
    }

    [Fact]
    public void Captured_Vars_of_an_enclosing_scope_are_constants_to_the_Hessian()
    {
        using var scope = AutoDiff.Tape.Scope();
        var outer = Var.Leaf(2.0);
        var outerSquared = outer * outer;

        var hessian = AD.Hessian(v => outerSquared * v[0] * v[0], [3.0]);

        Assert.Equal(8.0, hessian[0, 0], 1e-14);
    }

    [Fact]
    public void A_function_independent_of_its_inputs_has_a_zero_Hessian()
    {
        var hessian = AD.Hessian(_ => 3.0, [1.0, 2.0]);
        Assert.All(hessian.Cast<double>(), h => Assert.Equal(0.0, h));
    }

    [Fact]
    public void An_operation_recorded_without_a_second_order_rule_is_named_in_the_exception()
    {
        Func<Var[], Var> custom = v => AutoDiff.Tape.Unary("MyCubeRoot", Math.Cbrt(v[0].Value), v[0], 1.0 / (3.0 * Math.Cbrt(v[0].Value) * Math.Cbrt(v[0].Value)));

        var error = Assert.Throws<NotSupportedException>(() => AD.Hessian(custom, [8.0]));

        Assert.Contains("MyCubeRoot", error.Message);
        Assert.Equal(new[] { 1.0 / 12.0 }, AD.Grad(custom, [8.0]));
    }

    [Fact]
    public void Tensor_operations_inside_a_Var_function_pass_second_order_too()
    {
        // f = Σ (c · x₀²) · x₁ with c = [1, 2]: ∂²f/∂x₀² = 6 x₁, ∂²f/∂x₀∂x₁ = 6 x₀, ∂²f/∂x₁² = 0.
        var hessian = AD.Hessian(v => (Var)AutoDiff.Ops.Sum(Tensor.FromArray([1.0, 2.0], 2) * Square(v[0])) * v[1], [1.5, -2.0]);

        Assert.Equal(6 * -2.0, hessian[0, 0], 1e-13);
        Assert.Equal(6 * 1.5, hessian[0, 1], 1e-13);
        Assert.Equal(6 * 1.5, hessian[1, 0], 1e-13);
        Assert.Equal(0.0, hessian[1, 1]);
    }

    [Fact]
    public void A_Hessian_inside_a_Hessian_is_refused()
    {
        var error = Assert.Throws<NotSupportedException>(() => AD.Hessian(v => AD.Hessian(w => w[0] * w[0], [v[0].Value])[0, 0] * v[0], [1.0]));
        Assert.Contains("third", error.Message);
    }

    [Fact]
    public void A_direction_of_the_wrong_length_is_an_argument_error_naming_both_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => AD.HessianVectorProduct(v => v[0] * v[1], [1.0, 2.0], [1.0]));
        Assert.Contains("length 1", error.Message);
        Assert.Contains("length 2", error.Message);
    }

    [Fact]
    public void Gradients_after_a_Hessian_are_first_order_again_and_allocate_no_tangent_work()
    {
        Func<Var[], Var> f = v => Exp(v[0]) * v[1];
        _ = AD.Hessian(f, [0.5, 2.0]);

        var gradient = AD.Grad(f, [0.5, 2.0]);

        Assert.Equal(Math.Exp(0.5) * 2.0, gradient[0], 1e-15);
        Assert.Equal(Math.Exp(0.5), gradient[1], 1e-15);
    }

    [Fact]
    public void Declared_functions_without_a_derivative_get_exact_Hessians_from_the_derived_rules()
    {
        // The Gaussian log-likelihood through a declared three-input log-density: the closed form of the first test.
        var y = TestData.Diabetes.Column("progression");
        double mu = 140.0, sigma = 70.0;
        int n = y.Length;
        double s1 = y.Sum(v => v - mu), s2 = y.Sum(v => (v - mu) * (v - mu));
        var hessian = AD.Hessian(p => Sum(y.Select(v => DeclaredDensities.LogNormal(v, p[0], p[1]))), [mu, sigma]);
        AssertClose(
            new[,]
            {
                { -n / (sigma * sigma), -2 * s1 / Math.Pow(sigma, 3) },
                { -2 * s1 / Math.Pow(sigma, 3), n / (sigma * sigma) - 3 * s2 / Math.Pow(sigma, 4) },
            },
            hessian,
            1e-12);

        Func<Var[], Var> logistic = v => DeclaredDensities.LogisticTerm(v[0], v[1]) * v[0];
        AssertClose(GradCheck.FiniteDifferenceHessian(logistic, [0.7, -1.3]), AD.Hessian(logistic, [0.7, -1.3]), 1e-7);

        foreach (double[] x in new[] { new[] { 1.7, 2.5 }, [0.4, 2.5] })
        {
            Func<Var[], Var> piecewise = v => DeclaredDensities.PowerOrLine(v[0], v[1]);
            AssertClose(GradCheck.FiniteDifferenceHessian(piecewise, x), AD.Hessian(piecewise, x), 1e-7);
        }
    }

    [Fact]
    public void More_inputs_than_one_recording_carries_are_taken_in_several_recordings()
    {
        // f = ½ xᵀAx + Σ e^(xᵢ) over 37 inputs (three recordings of up to 16 directions): H = A + diag(e^(xᵢ)).
        const int n = 37;
        var random = new Random(11);
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                a[i, j] = a[j, i] = random.NextDouble() - 0.5;
            }
        }

        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        Var F(Var[] v)
        {
            Var sum = 0.0;
            for (int i = 0; i < n; i++)
            {
                sum += Exp(v[i]);
                for (int j = 0; j < n; j++)
                {
                    sum += 0.5 * a[i, j] * v[i] * v[j];
                }
            }

            return sum;
        }

        var hessian = AD.Hessian(F, x);
        var tensorHessian = AD.Hessian(
            t => Sum(Exp(t)) + 0.5 * Sum(t * Tensor.FromArray(a.Cast<double>().ToArray(), n, n).MatMul(t)), Tensor.FromArray(x, n)).ToArray();

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double expected = a[i, j] + (i == j ? Math.Exp(x[i]) : 0.0);
                Assert.Equal(expected, hessian[i, j], 1e-12);
                Assert.Equal(expected, tensorHessian[i * n + j], 1e-12);
            }
        }
    }
}
