using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Likelihoods;
using AutoDiff.Optimization;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.MaximumLikelihood;

/// <summary>What a fit reports beyond the numbers: identification, non-convergence, the summary, criteria, bad input.</summary>
public class MleBehaviourTests
{
    private static readonly double[] Y = TestData.Diabetes.Column("progression");

    [Theory]
    [InlineData(Fits.ByAd)]
    [InlineData(Fits.ByClosedForm)]
    public void A_duplicated_regression_column_is_reported_naming_both_columns(string route)
    {
        var (x, y) = TestData.DiabetesOls();
        int bmi = Array.IndexOf(Fits.DiabetesColumns, "bmi");
        var withCopy = x.Select(row => (double[])[.. row, row[bmi]]).ToArray();

        var fit = Fits.LinearRegression(route, withCopy, y, [.. Fits.DiabetesColumns, "bmi copy"]);

        Assert.False(fit.IsIdentified);
        Assert.Equal(["bmi", "bmi copy"], fit.UnidentifiedParameters);
        Assert.Contains("flat along a combination of bmi, bmi copy", fit.Identification);
        Assert.Contains("not identified", fit.Identification);
        var error = Assert.Throws<IdentificationException>(() => fit.StandardErrors);
        Assert.Equal(["bmi", "bmi copy"], error.Parameters);
        Assert.Contains("bmi, bmi copy", error.Message);
        Assert.Throws<IdentificationException>(() => fit.Covariance);
        Assert.Throws<IdentificationException>(() => fit.ConfidenceIntervals());

        // The two copies share the one identified coefficient of bmi; the fit itself is still the maximum.
        var reference = TestData.Reference.GetProperty("diabetes_ols");
        var estimates = fit.Estimates;
        Assert.Equal(reference.GetProperty("w").Doubles()[bmi], estimates[bmi] + estimates[^2], 1e-6);
        Assert.Equal(reference.GetProperty("loglik").GetDouble(), fit.LogLikelihood, 1e-6);
        string summary = fit.Summary();
        Assert.Contains("Warning: The observed information (−Hessian) is not positive definite", summary);
        Assert.DoesNotContain("NaN", summary);
    }

    [Fact]
    public void A_saddle_point_is_reported_as_not_a_maximum_naming_the_parameter()
    {
        // −a² + b² has gradient 0 at the origin, where the fit starts: a saddle, not a maximum. Newton leaves it along b,
        // in which the log-likelihood grows without bound, so the fit ends unconverged, still curving upward in b.
        var fit = Mle.Fit(v => -Square(v[0]) + Square(v[1]), [0.0, 0.0], new MleOptions { ParameterNames = ["a", "b"] });

        Assert.False(fit.Converged);
        Assert.True(Math.Abs(fit.Estimates[1]) > 1e3, fit.Message);
        Assert.False(fit.IsIdentified);
        Assert.Equal(["b"], fit.UnidentifiedParameters);
        Assert.Contains("curves upward in b", fit.Identification);
        Assert.Contains("not a maximum", fit.Identification);
    }

    // A Laplace location, −Σ|yᵢ − μ|, is linear between its kinks: the report said only that the log-likelihood "does
    // not change with" μ, which is false (helper-58). Oracle: the MLE is the median.
    [Fact]
    public void A_piecewise_linear_likelihood_is_reported_as_such()
    {
        double[] y = [1.0, 2.0, 3.5, 7.0, 10.0];
        var fit = Mle.Fit(v => -Sum(y.Select(yi => Abs(yi - v[0])).ToArray()), [3.1],
            new MleOptions { ParameterNames = ["mu"], Method = MleMethod.GradientAscent, LearningRate = 0.01 });

        Assert.Equal(3.5, fit.Estimates[0], 1e-6);
        Assert.Equal(["mu"], fit.UnidentifiedParameters);
        Assert.Contains("or only linearly there (as Σ|y − mu| does between its kinks)", fit.Identification);
    }

    [Fact]
    public void A_parameter_the_likelihood_ignores_is_not_identified()
    {
        var fit = Mle.Fit(v => -Square(v[0] - 1), [0.0, 5.0], new MleOptions { ParameterNames = ["used", "unused"] });

        Assert.Equal(["unused"], fit.UnidentifiedParameters);
        Assert.Contains("does not change with unused", fit.Identification);
    }

    // Found by a review's probes: identical observations make the Gaussian likelihood unbounded as σ → 0; with σ = e^u
    // the line search crept along in ever smaller steps until σ underflowed, and the fit reported convergence (a relative
    // change below tolerance) with a relative gradient of 1. Small steps now count only with a small gradient.
    [Theory]
    [InlineData(MleMethod.Newton)]
    [InlineData(MleMethod.Lbfgs)]
    public void An_unbounded_likelihood_is_not_reported_as_converged(MleMethod method)
    {
        double[] y = [2, 2, 2, 2, 2];
        var fit = Mle.Fit(
            p => Sum(y.Select(yi => -Log(p[1]) - 0.5 * Square((yi - p[0]) / p[1]))),
            [0.0, 1.0],
            new MleOptions { Method = method, Transforms = [ParameterTransform.Identity, ParameterTransform.Positive] });

        Assert.False(fit.Converged, $"{fit.StopReason}: {fit.Message}");
        Assert.Throws<OptimizationException>(() => fit.EnsureConverged());
    }

    [Fact]
    public void An_iteration_limit_is_reported_in_the_result_the_summary_and_EnsureConverged()
    {
        var fit = Fits.Gaussian(Fits.ByAd, Y, new MleOptions { MaxIterations = 2 });

        Assert.False(fit.Converged);
        Assert.Equal(StopReason.IterationLimit, fit.StopReason);
        Assert.Equal(2, fit.Iterations);
        Assert.Contains("Warning: the fit did not converge (IterationLimit): iteration limit 2 reached", fit.Summary());
        Assert.Contains("Converged:", fit.Summary());
        var error = Assert.Throws<OptimizationException>(() => fit.EnsureConverged());
        Assert.Contains("Newton did not converge: iteration limit 2 reached", error.Message);
        Assert.Contains("2 iterations, ‖∇f‖₂ = ", error.Message);
    }

    [Fact]
    public void Progress_reports_every_iteration_with_the_log_likelihood()
    {
        var progress = new List<OptimizationProgress>();
        var fit = Fits.Gaussian(Fits.ByAd, Y, new MleOptions { Progress = progress.Add });

        Assert.Equal(Enumerable.Range(0, fit.Iterations + 1), progress.Select(p => p.Iteration));
        Assert.Equal(fit.LogLikelihood, progress[^1].Value);
        Assert.True(progress.Zip(progress.Skip(1), (a, b) => b.Value >= a.Value).All(up => up));
    }

    [Fact]
    public void AIC_and_BIC_follow_their_definitions_and_BIC_needs_n()
    {
        var fit = Fits.Gaussian(Fits.ByAd, Y);
        Assert.Equal(2 * 2 - 2 * fit.LogLikelihood, fit.Aic, 1e-9);
        Assert.Equal(2 * Math.Log(Y.Length) - 2 * fit.LogLikelihood, fit.Bic, 1e-9);

        var withoutN = Mle.Fit(p => GaussianLikelihood.LogLikelihood(p[0], p[1], Y), [100.0, 50.0]);
        var error = Assert.Throws<InvalidOperationException>(() => withoutN.Bic);
        Assert.Contains("MleOptions.ObservationCount", error.Message);
        Assert.Equal(["θ0", "θ1"], withoutN.ParameterNames);
    }

    [Fact]
    public void Summary_is_a_statsmodels_table_of_the_diabetes_fit()
    {
        var fit = Fits.Gaussian(Fits.ByAd, Y);
        string summary = fit.Summary();
        var lines = summary.Split(Environment.NewLine);

        Assert.Contains("Maximum-likelihood fit (Newton)", lines[0]);
        Assert.Contains("Log-likelihood:", summary);
        Assert.Contains("-2547.1658", summary);
        Assert.Contains($"{fit.Aic:F4}", summary);
        Assert.Contains($"{fit.Bic:F4}", summary);
        Assert.Contains("Observations:", summary);
        Assert.Contains("442", summary);
        var header = lines.Single(l => l.Contains("coef", StringComparison.Ordinal));
        Assert.Equal(["coef", "std", "err", "z", "P>|z|", "[0.025", "0.975]"], header.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var mu = lines.Single(l => l.StartsWith("mu ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // coef, std err, z, P>|z|, CI: 152.1335 ± 1.96 · 3.6628.
        Assert.Equal(["mu", "152.1335", "3.6628", "41.535", "0.000", "144.9545", "159.3124"], mu);
        Assert.Contains(lines, l => l.StartsWith("sigma ", StringComparison.Ordinal) && l.Contains("77.0057", StringComparison.Ordinal));
        Assert.Contains("sigma: fitted through θ > 0, θ = exp(u); std err by the delta method.", summary);
        Assert.DoesNotContain("Warning", summary);
    }

    [Fact]
    public void Confidence_intervals_z_scores_and_p_values_are_Wald_statistics()
    {
        var (x, y) = TestData.BreastCancerLogit();
        var fit = Fits.Logistic(Fits.ByAd, x, y);
        var se = fit.StandardErrors;
        var (lower, upper) = fit.ConfidenceIntervals(0.9);

        for (int i = 0; i < se.Length; i++)
        {
            Assert.Equal(fit.Estimates[i] / se[i], fit.ZScores[i], 1e-12);
            Assert.Equal(StandardNormal.TwoSidedPValue(fit.ZScores[i]), fit.PValues[i], 1e-15);
            Assert.Equal(fit.Estimates[i] - 1.6448536269514722 * se[i], lower[i], 1e-12);
            Assert.Equal(fit.Estimates[i] + 1.6448536269514722 * se[i], upper[i], 1e-12);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => fit.ConfidenceIntervals(1.0));
    }

    [Fact]
    public void Bad_input_throws_naming_the_values()
    {
        Func<Var[], Var> ll = p => GaussianLikelihood.LogLikelihood(p[0], p[1], Y);
        var named = new MleOptions { ParameterNames = ["mu", "sigma"] };

        var error = Assert.Throws<ArgumentException>(() => Mle.Fit(ll, [0.0, 1.0, 2.0], named));
        Assert.Contains("ParameterNames has 2 names but the start has 3 parameters", error.Message);
        error = Assert.Throws<ArgumentException>(() => Mle.Fit(ll, [0.0], named with { ParameterNames = null, Transforms = [ParameterTransform.Identity, ParameterTransform.Positive] }));
        Assert.Contains("Transforms has 2 entries but the start has 1 parameters", error.Message);
        error = Assert.Throws<ArgumentException>(() => Mle.Fit(ll, [0.0, 1.0], named with { ParameterNames = ["a", null!] }));
        Assert.Contains("ParameterNames[1] is null; every parameter needs a name", error.Message);
        error = Assert.Throws<ArgumentException>(() => Mle.Fit(ll, [0.0, 1.0], named with { ParameterNames = [" ", "b"] }));
        Assert.Contains("ParameterNames[0] is \" \"; every parameter needs a name", error.Message);
        error = Assert.Throws<ArgumentException>(() => Mle.Fit(ll, [0.0, 1.0], named with { ParameterNames = ["a", "a"] }));
        Assert.Contains("ParameterNames[0] and [1] are both \"a\"; the names must differ", error.Message);
        error = Assert.Throws<ArgumentException>(() => Mle.Fit(ll, [double.NaN, 1.0], named));
        Assert.Contains("Coordinate 0 of the start point is NaN", error.Message);
        error = Assert.Throws<ArgumentException>(() => Mle.Fit(ll, [0.0, -1.0], named));
        Assert.Contains("at the start (mu = 0, sigma = -1) the log-likelihood is NaN", error.Message);
        error = Assert.Throws<ArgumentException>(() => Mle.Fit(ll, [0.0, -1.0], named with { Transforms = [ParameterTransform.Identity, ParameterTransform.Positive] }));
        Assert.Contains("the start value -1 of sigma is outside its transform's domain (θ > 0, θ = exp(u))", error.Message);
        error = Assert.Throws<ArgumentException>(() => Mle.Fit(ll, [0.0, 1.0], named with { ObservationCount = 0 }));
        Assert.Contains("ObservationCount is 0", error.Message);
        error = Assert.Throws<ArgumentException>(() => Mle.Fit(ll, [0.0, 1.0], named with { Method = MleMethod.GradientAscent, LearningRate = -1 }));
        Assert.Contains("LearningRate is -1", error.Message);
        error = Assert.Throws<ArgumentException>(() => Mle.Fit(ll, [0.0, 1.0], named with { GradientTolerance = double.NaN }));
        Assert.Contains("MleOptions.GradientTolerance is NaN", error.Message);
    }

    [Fact]
    public void Options_a_method_does_not_read_are_not_checked_for_it()
    {
        // The learning rate is documented as ignored by Newton and L-BFGS, and the memory by Newton and gradient ascent:
        // out-of-range values there must not stop a fit that never reads them. y = (1, 2, 4): μ̂ = 7/3, σ̂² = 14/9.
        double[] y = [1.0, 2.0, 4.0];
        Var ll(Var[] p)
        {
            Var sum = 0.0;
            foreach (double yi in y)
            {
                sum += -Log(p[1]) - 0.5 * Square((yi - p[0]) / p[1]);
            }

            return sum;
        }

        var newton = Mle.Fit(ll, [2.0, 1.0], new MleOptions { LearningRate = 0.0, Memory = 0 });
        var lbfgs = Mle.Fit(ll, [2.0, 1.0], new MleOptions { Method = MleMethod.Lbfgs, LearningRate = -1.0 });

        Assert.Equal(7.0 / 3.0, newton.Estimates[0], 1e-9);
        Assert.Equal(Math.Sqrt(14.0 / 9.0), newton.Estimates[1], 1e-9);
        Assert.Equal(7.0 / 3.0, lbfgs.Estimates[0], 1e-7);
        Assert.Equal(Math.Sqrt(14.0 / 9.0), lbfgs.Estimates[1], 1e-7);
        var error = Assert.Throws<ArgumentException>(() => Mle.Fit(ll, [2.0, 1.0], new MleOptions { Method = MleMethod.Lbfgs, Memory = 0 }));
        Assert.Contains("MleOptions.Memory is 0", error.Message);
    }
}
