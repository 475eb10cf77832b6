using System;
using System.Linq;
using AutoDiff.Likelihoods;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.SecondOrder;

/// <summary>
/// AD.Hessian over a function of one tensor: the notes' closed forms in vector form, and every tensor operation against
/// finite differences of the AD gradient.
/// </summary>
public class TensorHessianTests
{
    private static Tensor Matrix(double[][] rows) => Tensor.FromArray(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length);

    // Column j: the Richardson central difference of the AD gradient along eⱼ.
    private static double[,] FiniteDifferenceHessian(Func<Tensor, Tensor> f, double[] x, int[] shape)
    {
        int n = x.Length;
        var h = new double[n, n];
        double[] Gradient(double[] at) => AD.Grad(t => f(t[0]), Tensor.FromArray(at, shape))[0].ToArray();
        for (int j = 0; j < n; j++)
        {
            double step = 1e-3 * Math.Max(1.0, Math.Abs(x[j]));
            double[] D(double s)
            {
                var up = (double[])x.Clone();
                var down = (double[])x.Clone();
                up[j] += s;
                down[j] -= s;
                var gu = Gradient(up);
                var gd = Gradient(down);
                return gu.Select((g, i) => (g - gd[i]) / (up[j] - down[j])).ToArray();
            }

            var coarse = D(step);
            var fine = D(step / 2);
            for (int i = 0; i < n; i++)
            {
                h[i, j] = (4 * fine[i] - coarse[i]) / 3;
            }
        }

        return h;
    }

    private static void AssertClose(double[,] expected, double[] actual, double relative, string what)
    {
        int n = expected.GetLength(0);
        Assert.Equal(n * n, actual.Length);
        double scale = Math.Max(1e-12, expected.Cast<double>().Max(Math.Abs));
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double error = Math.Abs(expected[i, j] - actual[i * n + j]);
                Assert.True(error <= relative * scale, $"{what}: H[{i},{j}] expected {expected[i, j]:R}, got {actual[i * n + j]:R} (scale {scale:E2})");
            }
        }
    }

    private static void AssertMatchesFiniteDifferences(string what, Func<Tensor, Tensor> f, double[] x, params int[] shape)
    {
        var hessian = AD.Hessian(f, Tensor.FromArray(x, shape));
        Assert.Equal(new[] { x.Length, x.Length }, hessian.Shape);
        AssertClose(FiniteDifferenceHessian(f, x, shape), hessian.ToArray(), 1e-6, what);
    }

    [Fact]
    public void Logistic_log_likelihood_in_vector_form_has_Hessian_minus_Xt_diag_p_times_1_minus_p_X()
    {
        var (xs, ys) = TestData.BreastCancerLogit();
        var x = Matrix(xs);
        var y = Tensor.Vector(ys);
        var theta = Enumerable.Range(0, xs[0].Length).Select(j => 0.2 - 0.1 * j).ToArray();
        var p = xs.Select(row => 1.0 / (1.0 + Math.Exp(-row.Zip(theta, (a, b) => a * b).Sum()))).ToArray();
        int d = theta.Length;
        var expected = new double[d, d];
        for (int n = 0; n < xs.Length; n++)
        {
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    expected[i, j] -= p[n] * (1 - p[n]) * xs[n][i] * xs[n][j];
                }
            }
        }

        var (value, gradient, hessian) = AD.ValueGradHessian(
            t =>
            {
                var z = x.MatMul(t);
                return Sum(y * LogSigmoid(z) + (1.0 - y) * LogSigmoid(-z));
            },
            Tensor.Vector(theta));

        AssertClose(expected, hessian.ToArray(), 1e-11, "logistic");
        Assert.True(TestData.MaxRelativeError(gradient.ToArray(), LogisticRegressionLikelihood.Gradient(theta, xs, ys)) < 1e-10);
        Assert.Equal(AD.ValueAndGrad(th => LogisticRegressionLikelihood.LogLikelihood(th, xs, ys), theta).Value, value, 1e-9 * Math.Abs(value));
    }

    [Fact]
    public void Gaussian_in_vector_form_has_d2_dmu2_equal_to_minus_N_over_sigma_squared()
    {
        var ys = TestData.Diabetes.Column("progression");
        var y = Tensor.Vector(ys);
        double halfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);
        double mu = 140.0, sigma = 70.0;
        int n = ys.Length;
        double s1 = ys.Sum(v => v - mu), s2 = ys.Sum(v => (v - mu) * (v - mu));

        var hessian = AD.Hessian(
            p => Sum(-Log(p.Rows(1)) - halfLogTwoPi - Square(y - p.Rows(0)) / (2.0 * Square(p.Rows(1)))),
            Tensor.Vector([mu, sigma])).ToArray();

        AssertClose(
            new[,]
            {
                { -n / (sigma * sigma), -2 * s1 / Math.Pow(sigma, 3) },
                { -2 * s1 / Math.Pow(sigma, 3), n / (sigma * sigma) - 3 * s2 / Math.Pow(sigma, 4) },
            },
            hessian,
            1e-12,
            "Gaussian");
    }

    [Fact]
    public void Linear_regression_in_vector_form_has_Hessian_minus_XtX_over_sigma_squared()
    {
        var (xs, ys) = TestData.DiabetesOls();
        var x = Matrix(xs);
        var y = Tensor.Vector(ys);
        double sigma = 55.0;
        int d = xs[0].Length;
        var expected = new double[d, d];
        foreach (var row in xs)
        {
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    expected[i, j] -= row[i] * row[j] / (sigma * sigma);
                }
            }
        }

        var hessian = AD.Hessian(w => -Sum(Square(x.MatMul(w) - y)) / (2.0 * sigma * sigma), Tensor.Vector(new double[d]));

        AssertClose(expected, hessian.ToArray(), 1e-12, "linear regression");
    }

    private static readonly double[] Six = [0.3, -0.8, 1.1, 0.45, -0.2, 0.7];

    [Fact]
    public void Unary_and_broadcast_binary_elementwise_ops_match_finite_differences()
    {
        AssertMatchesFiniteDifferences("unary", t => Sum(Exp(t) * Tanh(t) + Sigmoid(t) * Softplus(t) + LogSigmoid(t) + Square(Sin(t)) + Cos(t) * t), Six, 6);
        AssertMatchesFiniteDifferences("sqrt/log", t => Sum(Sqrt(Exp(t) + 1.0) * Log(Square(t) + 0.5) + Log1p(Exp(t)) + Expm1(t) / (2.0 + t)), Six, 6);
        AssertMatchesFiniteDifferences(
            "broadcast",
            t =>
            {
                var m = t.Reshape(2, 3);
                var column = m.Rows(0).Reshape(3);
                return Sum(m * column / (Exp(m) + 1.0) + Pow(Exp(m), column) - m / (Square(column) + 1.0));
            },
            Six, 6);
    }

    [Fact]
    public void MatMul_in_all_three_shapes_with_both_factors_variable_matches_finite_differences()
    {
        AssertMatchesFiniteDifferences("2×2", t => Sum(Tanh(t.Reshape(2, 3).MatMul(t.Reshape(3, 2)))), Six, 6);
        AssertMatchesFiniteDifferences("2×1", t => Sum(Exp(t.Reshape(2, 3).MatMul(Tanh(t.Rows(0, 1, 2))))), Six, 6);
        AssertMatchesFiniteDifferences("1×2", t => Sum(Sigmoid(Sin(t.Rows(3, 4)).MatMul(t.Reshape(2, 3)))), Six, 6);
        AssertMatchesFiniteDifferences("T", t => Sum(Square(t.Reshape(2, 3).T.MatMul(t.Reshape(2, 3)))), Six, 6);
    }

    [Fact]
    public void Linear_with_bias_matches_finite_differences()
    {
        double[] x = [.. Six, 0.25, -0.6, 0.9, 1.2];
        AssertMatchesFiniteDifferences(
            "linear",
            t =>
            {
                var input = t.Rows(0, 1, 2, 3, 4, 5).Reshape(2, 3);
                var weight = Tanh(t.Rows(4, 5, 6, 7, 8, 9)).Reshape(2, 3);
                var bias = t.Rows(8, 9);
                return Sum(Square(Linear(input, weight, bias)));
            },
            x, 10);
    }

    [Fact]
    public void Reductions_softmax_family_and_cross_entropy_match_finite_differences()
    {
        AssertMatchesFiniteDifferences("sum/mean axis", t => Sum(Square(Sum(Exp(t.Reshape(2, 3)), 1))) + Sum(Square(Mean(t.Reshape(2, 3), 0))) + Square(Mean(Tanh(t))), Six, 6);
        AssertMatchesFiniteDifferences("logsumexp", t => Square(LogSumExp(t)) + Sum(Square(LogSumExp(t.Reshape(2, 3), 1))) + Sum(Exp(LogSumExp(t.Reshape(2, 3), 0, keepDims: true))), Six, 6);
        AssertMatchesFiniteDifferences("softmax", t => Sum(Square(Softmax(t.Reshape(2, 3))) * t.Reshape(2, 3)) + Sum(Softmax(t.Reshape(2, 3), 0) * Sin(t.Reshape(2, 3))), Six, 6);
        AssertMatchesFiniteDifferences("logsoftmax", t => Sum(Square(LogSoftmax(t.Reshape(3, 2)))), Six, 6);
        AssertMatchesFiniteDifferences("cross-entropy", t => CrossEntropy(t.Reshape(2, 3) * t.Reshape(2, 3), [2, 0]) + Square(CrossEntropy(t.Reshape(3, 2), [1, 0, 1], Reduction.Mean)), Six, 6);
        AssertMatchesFiniteDifferences("max along", t => Sum(Square(MaxAlong(t.Reshape(2, 3), 1) * Exp(t.Rows(0, 1)))), Six, 6);
    }

    [Fact]
    public void Shape_ops_and_Vars_in_tensor_code_match_finite_differences()
    {
        AssertMatchesFiniteDifferences(
            "concat/stack/rows",
            t =>
            {
                var a = Exp(t.Rows(0, 1, 2));
                var b = Square(t.Rows(3, 4, 5));
                var stacked = Stack(0, a, b);
                return Sum(Tanh(Concat(0, a, b)) * Concat(0, b, a)) + Sum(Square(Stack(1, a, b))) + Sum(Square(stacked.Rows(1, 0, 1)));
            },
            Six, 6);
        AssertMatchesFiniteDifferences(
            "Var in tensor code",
            t =>
            {
                Var s = Sum(Square(t));
                return Sum(Exp(t * s)) * Log(s);
            },
            Six, 6);
    }

    [Fact]
    public void The_notes_network_Hessian_matches_finite_differences()
    {
        // A one-hidden-layer ReLU network's loss in its output weights: smooth there (ReLU does not act on them).
        var random = new Random(3);
        var input = Tensor.FromArray(Enumerable.Range(0, 8).Select(_ => random.NextDouble()).ToArray(), 4, 2);
        var hidden = Relu(Linear(input, Tensor.FromArray([0.5, -0.3, 0.8, 0.2, -0.4, 0.9], 3, 2)));
        var start = Enumerable.Range(0, 6).Select(_ => random.NextDouble() - 0.5).ToArray();
        AssertMatchesFiniteDifferences("network", u => CrossEntropy(Linear(hidden, u.Reshape(2, 3)), [0, 1, 1, 0]), start, 6);
    }

    [Fact]
    public void Hessian_vector_product_equals_the_Hessian_times_the_direction_and_checks_its_shape()
    {
        Func<Tensor, Tensor> f = t => Sum(Exp(t.Reshape(2, 3).MatMul(t.Reshape(3, 2)))) + LogSumExp(t);
        var x = Tensor.FromArray(Six, 6);
        double[] v = [1.0, -0.5, 0.25, 2.0, 0.0, -1.0];

        var product = AD.HessianVectorProduct(f, x, Tensor.FromArray(v, 6)).ToArray();

        var h = AD.Hessian(f, x).ToArray();
        for (int i = 0; i < 6; i++)
        {
            double expected = Enumerable.Range(0, 6).Sum(j => h[i * 6 + j] * v[j]);
            Assert.Equal(expected, product[i], 1e-12 * Math.Max(1, Math.Abs(expected)));
        }

        var error = Assert.Throws<ArgumentException>(() => AD.HessianVectorProduct(f, x, Tensor.FromArray(v, 2, 3)));
        Assert.Contains("[2, 3]", error.Message);
        Assert.Contains("[6]", error.Message);
    }

    // It was a NullReferenceException from inside RecordTensor (y.Size), where AD.Jacobian already named the mistake.
    [Fact]
    public void A_function_returning_null_is_refused_by_name_and_the_tape_stays_usable()
    {
        var x = Tensor.FromArray(Six, 2, 3);
        foreach (var call in new Action[]
        {
            () => AD.Hessian(_ => null!, x),
            () => AD.ValueGradHessian(_ => null!, x),
            () => AD.HessianVectorProduct(_ => null!, x, x),
        })
        {
            var error = Assert.Throws<InvalidOperationException>(call);
            Assert.Contains("AD.Hessian: f returned null", error.Message, StringComparison.Ordinal);
            Assert.Contains("[2, 3]", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(2.0, AD.Hessian(t => Sum(Square(t)), x).ToArray()[0]);
    }

    [Fact]
    public void A_function_with_more_than_one_output_value_is_refused_naming_its_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => AD.Hessian(t => Exp(t), Tensor.FromArray(Six, 6)));
        Assert.Contains("[6]", error.Message);
    }

    // The fused three- and four-input kernels: their records' JVP (ẏ = Σ pᵢ ẋᵢ from the saved partials) and correction
    // (ȧᵢ += ā·ṗᵢ from the generated second-order rule), with variable inputs broadcast from rank 0 and from rows.
    [Fact]
    public void Hessians_pass_through_fused_three_and_four_input_declared_functions()
    {
        var y = Tensor.FromArray([1.3, -0.2, 0.9, 2.5, -1.1, 0.4], 2, 3);
        AssertMatchesFiniteDifferences(
            "LogNormal, explicit rules, μ a row and σ broadcast from rank 0",
            t => Sum(AutoDiff.Benchmarks.Workloads.DeclaredDensities.LogNormal(y, t.Rows(0, 1, 2), 1.0 + 0.1 * Sum(Square(t)))), Six, 6);
        AssertMatchesFiniteDifferences(
            "LogNormal, derived rules (scalar kernel), every input variable",
            t => Sum(DeclaredDensities.LogNormal(t.Rows(0, 1, 2), t.Rows(3, 4, 5), 1.0 + Square(t.Rows(5, 4, 3)))), Six, 6);
        AssertMatchesFiniteDifferences(
            "Blend with a rank-0 weight",
            t => Sum(Square(Tensors.FusedFunctions.Blend(Sin(t), Sigmoid(Sum(t)), Square(t)))), Six, 6);
        AssertMatchesFiniteDifferences(
            "Piecewise4, four inputs",
            t => Sum(Tensors.FusedFunctions.Piecewise4(t, Exp(t.Rows(5, 4, 3, 2, 1, 0)), 0.3, Tanh(t))), Six, 6);
    }
}
