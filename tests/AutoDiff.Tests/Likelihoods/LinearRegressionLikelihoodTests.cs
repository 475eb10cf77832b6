using System;
using System.Linq;
using AutoDiff.Likelihoods;
using Xunit;

namespace AutoDiff.Tests.Likelihoods;

public class LinearRegressionLikelihoodTests
{
    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5];

    private static (double[][] X, double[] Y) RandomData(Random random, int n, int d)
    {
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(j => j == 0 ? 1.0 : random.NextDouble() * 2 - 1).ToArray()).ToArray();
        var w = Enumerable.Range(0, d).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var y = x.Select(row => row.Zip(w, (a, b) => a * b).Sum() + 0.5 * (random.NextDouble() - 0.5)).ToArray();
        return (x, y);
    }

    private static Func<Var[], Var> LogLikelihood(double[][] x, double[] y) =>
        p => LinearRegressionLikelihood.LogLikelihood(p.AsSpan(0, p.Length - 1), p[^1], x, y);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void AD_gradient_in_w_and_sigma_equals_the_closed_form(int seed)
    {
        var random = new Random(seed);
        var (x, y) = RandomData(random, 40 + random.Next(100), 2 + random.Next(6));
        int d = x[0].Length;
        var w = Enumerable.Range(0, d).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double sigma = 0.2 + random.NextDouble();

        var gradient = AD.Grad(LogLikelihood(x, y), [.. w, sigma]);
        var (dw, dSigma) = LinearRegressionLikelihood.Gradient(w, sigma, x, y);

        Assert.True(TestData.MaxRelativeError(gradient, [.. dw, dSigma]) < 1e-10);
    }

    [Fact]
    public void Gradient_vanishes_at_the_normal_equations_solution_and_sigma_squared_equal_to_RSS_over_N()
    {
        var (x, y) = RandomData(new Random(7), 300, 5);
        var (w, sigma) = LinearRegressionLikelihood.Mle(x, y);
        var gradient = AD.Grad(LogLikelihood(x, y), [.. w, sigma]);

        // Each partial is a sum of N terms of size about |x|·|r|/σ² ≤ 1/σ²; at the MLE they cancel to rounding.
        double scale = y.Length / (sigma * sigma);
        Assert.All(gradient, g => Assert.True(Math.Abs(g) < 1e-10 * scale, $"{g}"));
    }

    [Fact]
    public void Diabetes_MLE_and_log_likelihood_agree_with_the_statsmodels_reference()
    {
        var (x, y) = TestData.DiabetesOls();
        var reference = TestData.Reference.GetProperty("diabetes_ols");
        var (w, sigma) = LinearRegressionLikelihood.Mle(x, y);

        Assert.True(TestData.MaxRelativeError(w, reference.GetProperty("w").Doubles()) < 1e-6);
        double sigma2 = reference.GetProperty("sigma2_mle").GetDouble();
        Assert.Equal(sigma2, sigma * sigma, 1e-8 * sigma2);

        var (ll, gradient) = AD.ValueAndGrad(LogLikelihood(x, y), [.. w, sigma]);
        double expected = reference.GetProperty("loglik").GetDouble();
        Assert.Equal(expected, ll, 1e-9 * Math.Abs(expected));
        Assert.True(Math.Abs(gradient[^1]) < 1e-8 * y.Length / sigma);
    }

    [Fact]
    public void Mismatched_shapes_are_named()
    {
        var x = new[] { new[] { 1.0, 2.0 }, new[] { 1.0 } };
        var error = Assert.Throws<ArgumentException>(() => LinearRegressionLikelihood.Mle(x, [1.0, 2.0]));
        Assert.Contains("row 1 of x has 1 columns but w has 2", error.Message);
        error = Assert.Throws<ArgumentException>(() => LinearRegressionLikelihood.Gradient([1.0], 1.0, [[1.0]], [1.0, 2.0]));
        Assert.Contains("x has 1 rows but y has 2", error.Message);
    }

    [Fact]
    public void Collinear_columns_are_reported_not_solved()
    {
        var x = Enumerable.Range(0, 10).Select(i => new[] { 1.0, i, 2.0 * i }).ToArray();
        var error = Assert.Throws<ArgumentException>(() => LinearRegressionLikelihood.Mle(x, Enumerable.Range(0, 10).Select(i => (double)i).ToArray()));
        Assert.Contains("column 2", error.Message);
    }

    [Fact]
    public void A_negative_sigma_gives_nan_as_for_the_gaussian_and_bad_data_is_named()
    {
        // −½ log(2πσ²) hid σ's sign: LL was finite (−9.76) at σ = −1, so a fit without the Positive transform could end
        // at σ̂ < 0. Now −log σ − ½ log 2π, NaN there, which a line search backs off from.
        double[][] x = [[1.0, 0.5], [1.0, -1.0], [1.0, 2.0]];
        double[] y = [1.0, 0.0, 3.0];
        Assert.True(double.IsNaN(LinearRegressionLikelihood.LogLikelihood([(Var)0.1, (Var)0.2], -1.0, x, y).Value));
        double atOne = LinearRegressionLikelihood.LogLikelihood([(Var)0.1, (Var)0.2], 1.0, x, y).Value;
        double rss = y.Select((v, n) => Math.Pow(v - (0.1 * x[n][0] + 0.2 * x[n][1]), 2)).Sum();
        Assert.Equal(-1.5 * Math.Log(2 * Math.PI) - 0.5 * rss, atOne, 13);

        Assert.Contains("row 1 of x is null", Assert.Throws<ArgumentException>(() => LinearRegressionLikelihood.Mle([[1.0, 2.0], null!], [1.0, 2.0])).Message);
        Assert.Contains("row 0 of x is null", Assert.Throws<ArgumentException>(() => LinearRegressionLikelihood.Mle([null!, [1.0, 2.0]], [1.0, 2.0])).Message);
        Assert.Contains("x[1][1] is NaN", Assert.Throws<ArgumentException>(() => LinearRegressionLikelihood.Mle([[1.0, 2.0], [1.0, double.NaN], [1.0, 3.0]], [1.0, 2.0, 3.0])).Message);
    }
}
