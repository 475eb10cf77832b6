using System;
using System.Linq;
using AutoDiff.Benchmarks.Workloads;
using AutoDiff.Likelihoods;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>The notes' models written the way a statistician writes them, as tensor expressions.</summary>
public class VectorLikelihoodTests
{
    private static Tensor Matrix(double[][] rows) => Tensor.FromArray(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length);

    // LL(θ) = Σ y log σ(Xθ) + (1 − y) log(1 − σ(Xθ)).
    private static Tensor LogisticLogLikelihood(Tensor x, Tensor y, Tensor theta)
    {
        var z = x.MatMul(theta);
        return Sum(y * LogSigmoid(z) + (1.0 - y) * LogSigmoid(-z));
    }

    [Fact]
    public void Logistic_log_likelihood_as_a_tensor_expression_equals_WORKLOADS_md_and_the_closed_form()
    {
        var w2 = new W2Logistic(10_000, 20);
        var x = Matrix(w2.X);
        var y = Tensor.Vector(w2.Y);

        var (value, g) = AD.ValueAndGrad(t => LogisticLogLikelihood(x, y, t[0]), Tensor.Vector(w2.Theta));
        var gradient = g[0].ToArray();

        Assert.Equal(-12247.249038215781, value, 1e-9 * 12247.25);
        Assert.Equal(-3307.299860822886, gradient[0], 1e-9 * 3307.3);
        Assert.Equal(-1961.9645006590115, gradient[19], 1e-9 * 1962.0);
        Assert.True(TestData.MaxRelativeError(gradient, LogisticRegressionLikelihood.Gradient(w2.Theta, w2.X, w2.Y)) < 1e-10);
    }

    [Fact]
    public void Gaussian_and_linear_regression_as_tensor_expressions_equal_their_closed_forms()
    {
        var w1 = new W1Gaussian(1000);
        var data = Tensor.Vector(w1.Y);
        double halfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

        // LL(μ, σ) = Σ −log σ − ½ log 2π − (y − μ)²/(2σ²), μ and σ scalars broadcast over y.
        var (ll, g) = AD.ValueAndGrad(
            p => Sum(-Log(p[1]) - halfLogTwoPi - Square(data - p[0]) / (2.0 * Square(p[1]))),
            Tensor.Scalar(1.0), Tensor.Scalar(1.5));
        var (dMu, dSigma) = GaussianLikelihood.Gradient(1.0, 1.5, w1.Y);
        Assert.Equal(GaussianLikelihood.LogLikelihood(1.0, 1.5, w1.Y), ll, 1e-10 * Math.Abs(ll));
        Assert.Equal(dMu, g[0].Item(), 1e-10 * Math.Abs(dMu));
        Assert.Equal(dSigma, g[1].Item(), 1e-10 * Math.Abs(dSigma));

        // Linear regression (eq. 17): −(N/2) log(2πσ²) − (Xw − y)ᵀ(Xw − y)/(2σ²) on the diabetes data.
        var (xs, ys) = TestData.DiabetesOls();
        var x = Matrix(xs);
        var y = Tensor.Vector(ys);
        var w = Enumerable.Repeat(0.1, xs[0].Length).ToArray();
        var (_, lg) = AD.ValueAndGrad(
            p => -0.5 * ys.Length * Log(2.0 * Math.PI * Square(p[1])) - Sum(Square(x.MatMul(p[0]) - y)) / (2.0 * Square(p[1])),
            Tensor.Vector(w), Tensor.Scalar(60.0));
        var (dw, ds) = LinearRegressionLikelihood.Gradient(w, 60.0, xs, ys);
        Assert.True(TestData.MaxRelativeError(lg[0].ToArray(), dw) < 1e-10);
        Assert.Equal(ds, lg[1].Item(), 1e-10 * Math.Abs(ds));
    }
}
