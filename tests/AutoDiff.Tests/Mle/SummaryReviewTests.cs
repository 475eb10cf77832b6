using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using AutoDiff.Optimization;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.MaximumLikelihood;

/// <summary>What helper-43's review of the fit's report found; each case failed before its fix.</summary>
public class SummaryReviewTests
{
    [Fact]
    public void Summary_columns_stay_apart_for_huge_coefficients_and_z_values()
    {
        // μ̂ = 123456 with se 1e−4 (z = 1.2e9): the row read "1.000E-41234560000.000", columns run together.
        var fit = Mle.Fit(p => -0.5 * Square((p[0] - 123456.0) / 1e-4) - 0.5 * Square(p[1] - 2.0), [123000.0, 0.0],
            new MleOptions { ParameterNames = ["big_z", "b"] });
        var row = fit.Summary().Split(Environment.NewLine).Single(l => l.StartsWith("big_z", StringComparison.Ordinal));
        var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(7, cells.Length);
        Assert.Equal(123456.0, double.Parse(cells[1], CultureInfo.InvariantCulture), 1e-3);
        Assert.Equal(1e-4, double.Parse(cells[2], CultureInfo.InvariantCulture), 1e-7);
        Assert.Equal(1.235e9, double.Parse(cells[3], CultureInfo.InvariantCulture), 1e6);
        Assert.Equal(123455.9998, double.Parse(cells[5], CultureInfo.InvariantCulture), 1e-3);
    }

    [Theory]
    [InlineData(0.999, "[0.0005", "0.9995]")]
    [InlineData(0.9999, "[0.00005", "0.99995]")]
    [InlineData(0.95, "[0.025", "0.975]")]
    public void Summary_interval_labels_show_the_level(double level, string lower, string upper)
    {
        var fit = Mle.Fit(p => -0.5 * Square(p[0] - 2.0), [0.0]);
        var header = fit.Summary(level).Split(Environment.NewLine).Single(l => l.Contains("coef", StringComparison.Ordinal));
        var cells = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lower, cells[^2]);
        Assert.Equal(upper, cells[^1]);
    }

    [Fact]
    public void An_ignored_parameter_and_a_duplicated_pair_are_both_reported()
    {
        // LL depends on a + b only and not at all on c: before, the report stopped at c (its zero diagonal) and never
        // ran the analysis that names a and b.
        var fit = Mle.Fit(p => -Square(p[0] + p[1] - 3.0) - 0.0 * p[2] - Square(p[3] - 1.0), [0.0, 0.0, 0.0, 0.0],
            new MleOptions { ParameterNames = ["dupA", "dupB", "ignored", "ok"] });

        Assert.False(fit.IsIdentified);
        Assert.Equal(["dupA", "dupB", "ignored"], fit.UnidentifiedParameters.OrderBy(n => n, StringComparer.Ordinal).ToArray());
        Assert.Contains("does not change with ignored", fit.Identification);
        Assert.Contains("dupA, dupB", fit.Identification);
    }

    [Fact]
    public void The_covariance_is_exactly_symmetric_and_the_names_cannot_be_changed_through_the_result()
    {
        double[] y = [2.1, 3.4, 1.9, 5.0, 4.4, 3.3, 2.8, 3.9];
        var fit = Mle.Fit(p =>
        {
            Var ll = 0.0;
            foreach (double v in y)
            {
                ll += -Log(p[1]) - 0.5 * Square((v - p[0] - 0.3 * p[2]) / p[1]) - 0.5 * Square(p[2] - 0.1 * p[0]);
            }

            return ll;
        }, [0.0, 1.0, 0.0], new MleOptions { ParameterNames = ["mu", "sigma", "c"], Transforms = [ParameterTransform.Identity, ParameterTransform.Positive, ParameterTransform.Identity] });
        var covariance = fit.Covariance;
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(covariance[i, j], covariance[j, i]);
            }
        }

        fit.ParameterNames[0] = "HACKED";
        fit.Transforms[0] = ParameterTransform.Positive;
        Assert.Equal("mu", fit.ParameterNames[0]);
        Assert.DoesNotContain("HACKED", fit.Summary());
        Assert.DoesNotContain("mu: fitted through", fit.Summary());
    }

    [Fact]
    public void Messages_and_progress_use_the_invariant_culture_whatever_the_current_one()
    {
        var culture = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var rate = Assert.Throws<ArgumentException>(() => Mle.Fit(p => -Square(p[0]), [1.0], new MleOptions { Method = MleMethod.GradientAscent, LearningRate = -0.5 }));
            Assert.Contains("-0.5", rate.Message);
            var tolerance = Assert.Throws<ArgumentException>(() => Newton.Maximize((x, g) => { g[0] = -2 * x[0]; return -x[0] * x[0]; }, (x, h) => h[0, 0] = -2, [1.0], new OptimizerOptions { GradientTolerance = -1.5 }));
            Assert.Contains("-1.5", tolerance.Message);
            Assert.Contains("-358.5", new OptimizationProgress(3, -358.5, 1e-5).ToString());
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Lbfgs_with_a_huge_memory_does_not_allocate_it_up_front()
    {
        var result = Lbfgs.Maximize((x, g) => { g[0] = -2 * (x[0] - 1); return -(x[0] - 1) * (x[0] - 1); }, [5.0], new OptimizerOptions { Memory = int.MaxValue });
        Assert.True(result.Converged, result.Message);
        Assert.Equal(1.0, result.Point[0], 9);
    }

    [Fact]
    public void Erfc_is_subnormal_not_zero_just_below_its_underflow()
    {
        // erfc(27.1) = 2.33e−321 (subnormal, mpmath), which the cut-off at 27 returned as 0.
        double value = StandardNormal.Erfc(27.1);
        Assert.True(value > 2.2e-321 && value < 2.45e-321, $"{value:R}");
        Assert.Equal(0.0, StandardNormal.Erfc(27.4));
    }
}
