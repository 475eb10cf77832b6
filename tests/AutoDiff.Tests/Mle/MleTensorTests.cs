using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.MaximumLikelihood;

/// <summary>Mle.Fit over a Tensor of parameters (AD.Hessian over tensors) against statsmodels' reference.json.</summary>
public class MleTensorTests
{
    private const double Tolerance = 1e-6;

    private static Tensor Matrix(double[][] rows) => Tensor.FromArray(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length);

    [Fact]
    public void Logistic_regression_in_vector_form_agrees_with_statsmodels()
    {
        var (rows, labels) = TestData.BreastCancerLogit();
        var x = Matrix(rows);
        var y = Tensor.Vector(labels);
        var reference = TestData.Reference.GetProperty("breast_cancer_logit_5std");

        var fit = Mle.Fit(theta =>
        {
            var z = x.MatMul(theta);
            return Sum(y * LogSigmoid(z) + (1 - y) * LogSigmoid(-z));
        }, Tensor.Zeros(rows[0].Length), new MleOptions { ParameterNames = Fits.LogitNames, ObservationCount = labels.Length });

        Assert.True(fit.Converged, fit.Message);
        Assert.True(TestData.MaxRelativeError(fit.Estimates, reference.GetProperty("theta").Doubles()) < Tolerance);
        Assert.True(TestData.MaxRelativeError(fit.StandardErrors, reference.GetProperty("se").Doubles()) < Tolerance);
        Assert.True(TestData.MaxRelativeError([fit.LogLikelihood], [reference.GetProperty("loglik").GetDouble()]) < Tolerance);
    }

    [Fact]
    public void Linear_regression_with_sigma_through_the_positive_transform_agrees_with_statsmodels()
    {
        var (rows, targets) = TestData.DiabetesOls();
        int d = rows[0].Length;
        var x = Matrix(rows);
        var y = Tensor.Vector(targets);
        var reference = TestData.Reference.GetProperty("diabetes_ols");
        int[] weights = Enumerable.Range(0, d).ToArray();

        var fit = Mle.Fit(p =>
        {
            var sigma = Rows(p, d);
            var residual = y - x.MatMul(Rows(p, weights));
            return -0.5 * targets.Length * Log(2 * Math.PI * Square(sigma)) - Sum(Square(residual)) / (2 * Square(sigma));
        }, Tensor.Vector([.. new double[d], 1.0]), new MleOptions
        {
            ParameterNames = [.. Fits.DiabetesColumns, "sigma"],
            Transforms = [.. Enumerable.Repeat(ParameterTransform.Identity, d), ParameterTransform.Positive],
            ObservationCount = targets.Length,
        });

        Assert.True(fit.Converged, fit.Message);
        Assert.True(TestData.MaxRelativeError(fit.Estimates[..^1], reference.GetProperty("w").Doubles()) < Tolerance);
        Assert.True(TestData.MaxRelativeError(fit.StandardErrors[..^1], reference.GetProperty("se_mle").Doubles()) < Tolerance);
        Assert.True(TestData.MaxRelativeError([fit.Estimates[^1] * fit.Estimates[^1]], [reference.GetProperty("sigma2_mle").GetDouble()]) < Tolerance);
        Assert.True(TestData.MaxRelativeError([fit.LogLikelihood], [reference.GetProperty("loglik").GetDouble()]) < Tolerance);
    }

    [Fact]
    public void Gaussian_in_tensor_form_with_mixed_transforms_agrees_with_the_Var_form()
    {
        var values = TestData.Diabetes.Column("progression");
        var y = Tensor.Vector(values);
        var options = new MleOptions
        {
            ParameterNames = ["mu", "sigma"],
            Transforms = [ParameterTransform.Identity, ParameterTransform.Positive],
            ObservationCount = values.Length,
        };

        var fit = Mle.Fit(p => Sum(-Log(Rows(p, 1)) - 0.5 * Math.Log(2 * Math.PI) - Square(y - Rows(p, 0)) / (2 * Square(Rows(p, 1)))),
            Tensor.Vector(0.0, 1.0), options);
        var byVar = Fits.Gaussian(Fits.ByAd, values);

        Assert.True(fit.Converged, fit.Message);
        Assert.True(TestData.MaxRelativeError(fit.Estimates, byVar.Estimates) < 1e-10);
        Assert.True(TestData.MaxRelativeError(fit.StandardErrors, byVar.StandardErrors) < 1e-8);
        var reference = TestData.Reference.GetProperty("diabetes_target_gaussian");
        Assert.True(TestData.MaxRelativeError(fit.StandardErrors, [reference.GetProperty("se_mu").GetDouble(), reference.GetProperty("se_sigma").GetDouble()]) < Tolerance);
    }

    [Theory]
    [InlineData(MleMethod.Newton)]
    [InlineData(MleMethod.Lbfgs)]
    [InlineData(MleMethod.GradientAscent)]
    public void A_log_likelihood_with_more_than_one_value_is_refused_naming_Mle_Fit_and_the_shape(MleMethod method)
    {
        // Before, the message named the AD call the fit made (AD.Hessian or AD.ValueAndGrad) and its parameter f.
        var error = Assert.Throws<ArgumentException>(
            () => Mle.Fit(p => p * 2.0, Tensor.Vector(1.0, 2.0), new MleOptions { Method = method }));
        Assert.Equal("logLikelihood", error.ParamName);
        Assert.StartsWith(
            "Mle.Fit: the log-likelihood returned a tensor of shape [2]; it must return one value: sum the per-observation terms (Ops.Sum).",
            error.Message, StringComparison.Ordinal);
    }
}
