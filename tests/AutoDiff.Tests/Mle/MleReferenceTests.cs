using System;
using System.Linq;
using AutoDiff.Likelihoods;
using Xunit;

namespace AutoDiff.Tests.MaximumLikelihood;

/// <summary>Section 4 of issue 5: the fits agree with statsmodels (reference.json) to 1e-6 relative, and with the closed-form MLEs.</summary>
public class MleReferenceTests
{
    private const double Tolerance = 1e-6;

    public static TheoryData<string> Routes => [Fits.ByAd, Fits.ByClosedForm];

    [Theory]
    [MemberData(nameof(Routes))]
    public void Gaussian_of_the_diabetes_target_agrees_with_statsmodels(string route)
    {
        var y = TestData.Diabetes.Column("progression");
        var reference = TestData.Reference.GetProperty("diabetes_target_gaussian");

        var fit = Fits.Gaussian(route, y);

        Assert.True(fit.Converged, fit.Message);
        Assert.True(TestData.MaxRelativeError(fit.Estimates, [reference.GetProperty("mu").GetDouble(), reference.GetProperty("sigma").GetDouble()]) < Tolerance);
        Assert.True(TestData.MaxRelativeError(fit.StandardErrors, [reference.GetProperty("se_mu").GetDouble(), reference.GetProperty("se_sigma").GetDouble()]) < Tolerance,
            string.Join(", ", fit.StandardErrors));
        Assert.True(TestData.MaxRelativeError([fit.LogLikelihood], [reference.GetProperty("loglik").GetDouble()]) < Tolerance);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public void Linear_regression_of_diabetes_progression_agrees_with_statsmodels(string route)
    {
        var (x, y) = TestData.DiabetesOls();
        var reference = TestData.Reference.GetProperty("diabetes_ols");

        var fit = Fits.LinearRegression(route, x, y, Fits.DiabetesColumns);

        Assert.True(fit.Converged, fit.Message);
        var estimates = fit.Estimates;
        Assert.True(TestData.MaxRelativeError(estimates[..^1], reference.GetProperty("w").Doubles()) < Tolerance, string.Join(", ", estimates));
        Assert.True(TestData.MaxRelativeError([estimates[^1] * estimates[^1]], [reference.GetProperty("sigma2_mle").GetDouble()]) < Tolerance);
        Assert.True(TestData.MaxRelativeError(fit.StandardErrors[..^1], reference.GetProperty("se_mle").Doubles()) < Tolerance,
            string.Join(", ", fit.StandardErrors));
        Assert.True(TestData.MaxRelativeError([fit.LogLikelihood], [reference.GetProperty("loglik").GetDouble()]) < Tolerance);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public void Logistic_regression_of_breast_cancer_diagnosis_agrees_with_statsmodels(string route)
    {
        var (x, y) = TestData.BreastCancerLogit();
        var reference = TestData.Reference.GetProperty("breast_cancer_logit_5std");

        var fit = Fits.Logistic(route, x, y);

        Assert.True(fit.Converged, fit.Message);
        Assert.True(TestData.MaxRelativeError(fit.Estimates, reference.GetProperty("theta").Doubles()) < Tolerance);
        Assert.True(TestData.MaxRelativeError(fit.StandardErrors, reference.GetProperty("se").Doubles()) < Tolerance);
        Assert.True(TestData.MaxRelativeError([fit.LogLikelihood], [reference.GetProperty("loglik").GetDouble()]) < Tolerance);
        Assert.True(fit.Iterations <= 10, $"IRLS takes a handful of Newton steps, not {fit.Iterations}");
    }

    [Theory]
    [InlineData(MleMethod.Lbfgs)]
    [InlineData(MleMethod.GradientAscent)]
    public void The_other_methods_reach_the_same_logistic_fit(MleMethod method)
    {
        var (x, y) = TestData.BreastCancerLogit();
        var reference = TestData.Reference.GetProperty("breast_cancer_logit_5std");

        var fit = Fits.Logistic(Fits.ByAd, x, y,
            new MleOptions { Method = method, GradientTolerance = 1e-11, MaxIterations = 100_000, LearningRate = 2e-3 });

        Assert.True(fit.Converged, fit.Message);
        Assert.True(TestData.MaxRelativeError(fit.Estimates, reference.GetProperty("theta").Doubles()) < Tolerance);
        Assert.True(TestData.MaxRelativeError(fit.StandardErrors, reference.GetProperty("se").Doubles()) < Tolerance);
    }

    [Fact]
    public void Gaussian_fit_equals_the_closed_form_mean_and_root_mean_square_deviation()
    {
        var y = TestData.Diabetes.Column("progression");
        var fit = Fits.Gaussian(Fits.ByAd, y);

        double mean = y.Average();
        double rssOverN = y.Sum(v => (v - mean) * (v - mean)) / y.Length;
        Assert.True(TestData.MaxRelativeError(fit.Estimates, [mean, Math.Sqrt(rssOverN)]) < 1e-10, $"{TestData.MaxRelativeError(fit.Estimates, [mean, Math.Sqrt(rssOverN)])}");
        // Observed information at the MLE: se(μ̂) = σ̂/√N, se(σ̂) = σ̂/√(2N).
        double sigma = Math.Sqrt(rssOverN);
        Assert.True(TestData.MaxRelativeError(fit.StandardErrors, [sigma / Math.Sqrt(y.Length), sigma / Math.Sqrt(2.0 * y.Length)]) < 1e-10, $"{TestData.MaxRelativeError(fit.StandardErrors, [sigma / Math.Sqrt(y.Length), sigma / Math.Sqrt(2.0 * y.Length)])}");
    }

    [Fact]
    public void Linear_regression_fit_equals_the_normal_equations_and_RSS_over_N()
    {
        var (x, y) = TestData.DiabetesOls();
        var fit = Fits.LinearRegression(Fits.ByAd, x, y, Fits.DiabetesColumns);

        var (w, sigma) = LinearRegressionLikelihood.Mle(x, y);
        Assert.True(TestData.MaxRelativeError(fit.Estimates, [.. w, sigma]) < 1e-9, string.Join(", ", fit.Estimates));
    }

    [Fact]
    public void Delta_method_covariance_equals_the_inverse_information_in_the_natural_parameters()
    {
        // Through σ = exp(u) the covariance is J Cov(û) J; fitting σ itself gives (−∇²_θ LL)⁻¹ directly. At the
        // maximum the two agree, because the term ∂LL/∂σ · d²σ/du² of the chain rule vanishes there.
        var y = TestData.Diabetes.Column("progression");
        var viaTransform = Fits.Gaussian(Fits.ByAd, y);
        var direct = Mle.Fit(p => GaussianLikelihood.LogLikelihood(p[0], p[1], y), [100.0, 50.0],
            new MleOptions { ParameterNames = ["mu", "sigma"] });

        var hessian = AD.Hessian(p => GaussianLikelihood.LogLikelihood(p[0], p[1], y), viaTransform.Estimates);
        double det = hessian[0, 0] * hessian[1, 1] - hessian[0, 1] * hessian[1, 0];
        double[] inverseInformation = [-hessian[1, 1] / det, hessian[0, 1] / det, hessian[1, 0] / det, -hessian[0, 0] / det];

        Assert.True(direct.Converged, direct.Message);
        Assert.True(TestData.MaxRelativeError(Flatten(viaTransform.Covariance), inverseInformation, floor: 1.0) < 1e-8, string.Join(", ", Flatten(viaTransform.Covariance)) + " vs " + string.Join(", ", inverseInformation));
        Assert.True(TestData.MaxRelativeError(Flatten(direct.Covariance), inverseInformation, floor: 1.0) < 1e-8, string.Join(", ", Flatten(direct.Covariance)));
    }

    private static double[] Flatten(double[,] m) => m.Cast<double>().ToArray();
}
