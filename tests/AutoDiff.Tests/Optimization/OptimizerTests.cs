using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Likelihoods;
using AutoDiff.Optimization;
using Xunit;

namespace AutoDiff.Tests.Optimization;

public class OptimizerTests
{
    public static TheoryData<string> Methods => Optimizers.Methods;

    private static readonly double[,] A = { { 4, 1, 0.5 }, { 1, 3, 0.2 }, { 0.5, 0.2, 2 } };
    private static readonly double[] C = [1.5, -2, 0.25];

    [Fact]
    public void Newton_solves_a_quadratic_in_one_step()
    {
        var result = Newton.Maximize(ClosedForms.Quadratic(A, C).F, ClosedForms.Quadratic(A, C).H, [10, 10, 10]);

        Assert.True(result.Converged, result.Message);
        Assert.Equal(StopReason.GradientTolerance, result.StopReason);
        Assert.Equal(1, result.Iterations);
        Assert.True(TestData.MaxRelativeError(result.Point, C) < 1e-13, string.Join(", ", result.Point));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Every_method_finds_the_maximum_of_a_quadratic(string method)
    {
        var result = Optimizers.Maximize(method, ClosedForms.Quadratic(A, C), [10, 10, 10],
            new OptimizerOptions { GradientTolerance = 1e-12 }, learningRate: 0.2);

        Assert.True(result.Converged, result.Message);
        Assert.True(TestData.MaxRelativeError(result.Point, C) < 1e-9, string.Join(", ", result.Point));
        Assert.True(Math.Abs(result.Value) < 1e-18);
    }

    [Theory]
    [InlineData("Newton")]
    [InlineData("L-BFGS")]
    public void Rosenbrock_is_solved_from_the_classic_start(string method)
    {
        var result = Optimizers.Maximize(method, ClosedForms.NegativeRosenbrock(), [-1.2, 1.0]);

        Assert.True(result.Converged, result.Message);
        Assert.True(TestData.MaxRelativeError(result.Point, [1.0, 1.0]) < 1e-8, string.Join(", ", result.Point));
        Assert.True(result.Iterations < (method == "Newton" ? 40 : 100), $"{result.Iterations}");
    }

    [Fact]
    public void Newton_with_regularisation_leaves_a_saddle_region_of_Rosenbrock()
    {
        // At (0, 1) −∇²f = [[−398, 0], [0, 200]] is indefinite: the plain Newton step would head for a saddle.
        var result = Newton.Maximize(ClosedForms.NegativeRosenbrock().F, ClosedForms.NegativeRosenbrock().H, [0.0, 1.0]);

        Assert.True(result.Converged, result.Message);
        Assert.True(TestData.MaxRelativeError(result.Point, [1.0, 1.0]) < 1e-8);
    }

    [Fact]
    public void Newton_started_exactly_at_a_saddle_leaves_it_for_a_maximum()
    {
        // f = −x⁴/4 + x²/2 − y² has ∇f = 0 at the origin, where f curves upward in x (∂²f/∂x² = 1): a saddle, which
        // Newton used to report as converged after zero steps. Its maxima are (±1, 0) with f = 1/4 and ∇²f = diag(−2, −2).
        var (f, h) = ClosedForms.QuarticSaddle();

        var result = Newton.Maximize(f, h, [0.0, 0.0]);

        Assert.True(result.Converged, result.Message);
        Assert.Equal(1.0, Math.Abs(result.Point[0]), 1e-10);
        Assert.Equal(0.0, result.Point[1], 1e-10);
        Assert.Equal(0.25, result.Value, 1e-14);
        Assert.True(result.Iterations > 0);
    }

    [Fact]
    public void Newton_escapes_a_saddle_whose_upward_direction_has_the_scale_1e_minus_6_beside_a_parameter_of_1e6()
    {
        // f = −u⁴/4 + u²/2 − (y − 10⁶)² with u = 10⁶x: a saddle at (0, 10⁶) (∂²f/∂x² = 10¹², ∂²f/∂y² = −2), maxima at
        // x = ±10⁻⁶, y = 10⁶ with f = 1/4. The escape's trials started at t = ‖x‖∞ = 10⁶ and stopped after 30 halvings at
        // t = 2·10⁻³ (u = 2·10³, f far below), so the saddle was reported as converged with f = 0.
        ObjectiveFunction f = (p, g) =>
        {
            double u = 1e6 * p[0], y = p[1] - 1e6;
            g[0] = 1e6 * (-u * u * u + u);
            g[1] = -2 * y;
            return -u * u * u * u / 4 + u * u / 2 - y * y;
        };
        HessianFunction h = (p, m) =>
        {
            double u = 1e6 * p[0];
            m[0, 0] = 1e12 * (-3 * u * u + 1);
            m[0, 1] = m[1, 0] = 0;
            m[1, 1] = -2;
        };

        var result = Newton.Maximize(f, h, [0.0, 1e6]);

        Assert.True(result.Converged, result.Message);
        Assert.Equal(1e-6, Math.Abs(result.Point[0]), 1e-15);
        Assert.Equal(1e6, result.Point[1], 1e-9);
        Assert.Equal(0.25, result.Value, 1e-14);
    }

    [Fact]
    public void Newton_at_the_iteration_limit_on_a_saddle_is_not_converged()
    {
        // f = −x⁴/4 + x²/2 − y² curves upward in x at its saddle, the origin (∂²f/∂x² = 1). Started there with
        // MaxIterations = 0 there is no step left to leave it, but the point is known not to be a maximum; it was
        // reported as converged (StopReason.GradientTolerance).
        const int maxIterations = 0;
        var (f, h) = ClosedForms.QuarticSaddle();

        var result = Newton.Maximize(f, h, [0.0, 0.0], new OptimizerOptions { MaxIterations = maxIterations });

        Assert.False(result.Converged, result.Message);
        Assert.Equal(StopReason.IterationLimit, result.StopReason);
        Assert.Equal(0.0, result.Point[0]);
        Assert.Equal(0.0, result.Point[1]);
        Assert.Equal(maxIterations, result.Iterations);
    }

    [Fact]
    public void Newton_on_a_ridge_of_maxima_with_a_noisy_Hessian_does_not_take_rounding_for_an_escape()
    {
        // f = −(x − y)² + ((x + 1000) − x) is 1000 on the whole ridge x = y up to the rounding of x + 1000 (1.1·10⁻¹³):
        // every point of it is a maximum. A Hessian with an error of 10⁻⁶ in its off-diagonal (as finite differences
        // give) has eigenvalue +10⁻⁶ along the ridge; the escape's trials then went on halving until ⅛λt² was below
        // one ulp of f, and took a rounding "gain" of 1.1·10⁻¹³ as a step (x = 999.99966, one iteration, 105 evaluations).
        ObjectiveFunction f = (p, g) =>
        {
            double d = p[0] - p[1];
            g[0] = -2 * d;
            g[1] = 2 * d;
            return -d * d + ((p[0] + 1000) - p[0]);
        };
        HessianFunction h = (p, m) =>
        {
            m[0, 0] = m[1, 1] = -2;
            m[0, 1] = m[1, 0] = 2 + 1e-6;
        };

        var result = Newton.Maximize(f, h, [1000.0, 1000.0]);

        Assert.True(result.Converged, result.Message);
        Assert.Equal(0, result.Iterations);
        Assert.Equal([1000.0, 1000.0], result.Point);
        Assert.Equal(1000.0, result.Value);
    }

    [Fact]
    public void Newton_started_exactly_at_a_minimum_climbs_to_the_ring_of_maxima()
    {
        // f = −(x² + y² − 1)² is lowest at the origin (f = −1, ∇²f = 4I) and highest, 0, on the unit circle; the rotated
        // start direction makes the upward curvature equal in every direction, so any point of the circle will do.
        ObjectiveFunction f = (p, g) =>
        {
            double r = p[0] * p[0] + p[1] * p[1] - 1;
            g[0] = -4 * r * p[0];
            g[1] = -4 * r * p[1];
            return -r * r;
        };
        HessianFunction h = (p, m) =>
        {
            double x = p[0], y = p[1], r = x * x + y * y - 1;
            m[0, 0] = -4 * r - 8 * x * x;
            m[1, 1] = -4 * r - 8 * y * y;
            m[0, 1] = m[1, 0] = -8 * x * y;
        };

        var result = Newton.Maximize(f, h, [0.0, 0.0]);

        Assert.True(result.Converged, result.Message);
        Assert.Equal(1.0, Math.Sqrt(result.Point[0] * result.Point[0] + result.Point[1] * result.Point[1]), 1e-8);
        Assert.Equal(0.0, result.Value, 1e-14);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Logistic_regression_on_breast_cancer_agrees_with_statsmodels(string method)
    {
        var (x, y) = TestData.BreastCancerLogit();
        var reference = TestData.Reference.GetProperty("breast_cancer_logit_5std");
        var options = new OptimizerOptions { GradientTolerance = 1e-11, MaxIterations = 100_000 };

        // η = 2·10⁻³ is below 2/λmax of Xᵀdiag(p(1 − p))X ≤ N/4·λmax(XᵀX/N), so the notes' fixed step is stable.
        var result = Optimizers.Maximize(method, ClosedForms.Logistic(x, y), new double[6], options, learningRate: 2e-3);

        Assert.True(result.Converged, result.Message);
        Assert.True(TestData.MaxRelativeError(result.Point, reference.GetProperty("theta").Doubles()) < 1e-7);
        Assert.Equal(reference.GetProperty("loglik").GetDouble(), result.Value, 1e-10);
        if (method == "Newton")
        {
            // IRLS converges quadratically: a handful of steps from θ = 0.
            Assert.True(result.Iterations <= 10, $"{result.Iterations}");
        }
    }

    [Theory]
    [InlineData("Newton")]
    [InlineData("L-BFGS")]
    public void A_fit_started_at_sigma_1_with_log_sigma_reaches_the_closed_form_MLE(string method)
    {
        var y = TestData.Diabetes.Column("progression");
        var (mu, sigma) = GaussianLikelihood.Mle(y);

        var result = Optimizers.Maximize(method, ClosedForms.Gaussian(y), [0.0, 1.0],
            new OptimizerOptions { GradientTolerance = 1e-12 });

        Assert.True(result.Converged, result.Message);
        Assert.True(TestData.MaxRelativeError(result.Point, [mu, sigma]) < 1e-8, string.Join(", ", result.Point));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Trial_steps_into_the_NaN_region_count_as_worse_and_the_search_backs_off(string method)
    {
        // Above σ̂√3 the Gaussian LL is convex in σ, and the first steps from σ = 1000 overshoot to σ < 0 where log σ is
        // NaN: the search must back off, not accept NaN, and still end at the MLE.
        var y = TestData.Diabetes.Column("progression");
        var (mu, sigma) = GaussianLikelihood.Mle(y);
        var (f, h) = ClosedForms.Gaussian(y);
        var values = new List<double>();
        ObjectiveFunction recorded = (p, g) =>
        {
            double v = f(p, g);
            values.Add(v);
            return v;
        };

        var result = Optimizers.Maximize(method, (recorded, h), [mu, 1000.0],
            new OptimizerOptions { GradientTolerance = 1e-12, MaxIterations = 200_000 }, learningRate: 1e7);

        Assert.Contains(values, double.IsNaN);
        Assert.True(result.Converged, result.Message);
        Assert.True(TestData.MaxRelativeError(result.Point, [mu, sigma]) < 1e-8, string.Join(", ", result.Point));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void An_iteration_limit_of_2_is_reported_as_not_converged(string method)
    {
        var result = Optimizers.Maximize(method, ClosedForms.NegativeRosenbrock(), [-1.2, 1.0], new OptimizerOptions { MaxIterations = 2 });

        Assert.False(result.Converged);
        Assert.Equal(StopReason.IterationLimit, result.StopReason);
        Assert.Equal(2, result.Iterations);
        Assert.Contains("iteration limit 2 reached", result.Message);
        var error = Assert.Throws<OptimizationException>(() => result.EnsureConverged());
        Assert.Contains($"{method} did not converge", error.Message);
        Assert.Contains("2 iterations", error.Message);
        Assert.Contains("‖∇f‖₂ = ", error.Message);
        Assert.Same(result, error.Result);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Progress_is_reported_at_the_start_and_after_every_step_with_increasing_values(string method)
    {
        var progress = new List<OptimizationProgress>();
        var result = Optimizers.Maximize(method, ClosedForms.NegativeRosenbrock(), [-1.2, 1.0],
            new OptimizerOptions { MaxIterations = 25, Progress = progress.Add });

        Assert.Equal(Enumerable.Range(0, result.Iterations + 1), progress.Select(p => p.Iteration));
        Assert.True(progress.Zip(progress.Skip(1), (a, b) => b.Value >= a.Value).All(up => up));
        Assert.Equal(result.Value, progress[^1].Value);
        Assert.Equal(result.GradientNorm, progress[^1].GradientNorm);
    }

    [Fact]
    public void Bad_input_throws_naming_the_values()
    {
        var (f, h) = ClosedForms.Gaussian([1.0, 2.0, 4.0]);

        var error = Assert.Throws<ArgumentException>(() => Newton.Maximize(f, h, [0.0, double.NaN]));
        Assert.Contains("Coordinate 1 of the start point is NaN", error.Message);
        error = Assert.Throws<ArgumentException>(() => Lbfgs.Maximize(f, [0.0, -1.0]));
        Assert.Contains("at the start point x = (0, -1) f is NaN", error.Message);
        error = Assert.Throws<ArgumentException>(() => Lbfgs.Maximize(f, []));
        Assert.Contains("empty", error.Message);
        error = Assert.Throws<ArgumentException>(() => GradientAscent.Maximize(f, [0.0, 1.0], 0.0));
        Assert.Contains("learning rate η is 0", error.Message);
        error = Assert.Throws<ArgumentException>(() => Lbfgs.Maximize(f, [0.0, 1.0], new OptimizerOptions { GradientTolerance = -1 }));
        Assert.Contains("GradientTolerance is -1", error.Message);
        error = Assert.Throws<ArgumentException>(() => Lbfgs.Maximize(f, [0.0, 1.0], new OptimizerOptions { Memory = 0 }));
        Assert.Contains("Memory is 0", error.Message);
        error = Assert.Throws<ArgumentException>(() => Newton.Maximize(f, h, [0.0, 1.0], new OptimizerOptions { MaxIterations = -3 }));
        Assert.Contains("MaxIterations is -3", error.Message);
    }

    [Fact]
    public void Newton_and_gradient_ascent_ignore_the_memory_that_only_LBFGS_reads()
    {
        // Memory = 0 is out of range for L-BFGS only; the other optimizers must still reach the closed-form MLE with it,
        // not throw "L-BFGS needs at least 1 pair" at a caller who never asked for L-BFGS.
        var y = new[] { 1.0, 2.0, 4.0 };
        var (f, h) = ClosedForms.Gaussian(y);
        var (mu, sigma) = GaussianLikelihood.Mle(y);
        var noMemory = new OptimizerOptions { Memory = 0, GradientTolerance = 1e-12 };

        var newton = Newton.Maximize(f, h, [0.0, 1.0], noMemory);
        var ascent = GradientAscent.Maximize(f, [2.0, 1.5], 0.1, noMemory with { MaxIterations = 100_000 });

        Assert.True(newton.Converged, newton.Message);
        Assert.True(TestData.MaxRelativeError(newton.Point, [mu, sigma]) < 1e-8, string.Join(", ", newton.Point));
        Assert.True(ascent.Converged, ascent.Message);
        Assert.True(TestData.MaxRelativeError(ascent.Point, [mu, sigma]) < 1e-6, string.Join(", ", ascent.Point));
    }

    [Fact]
    public void A_start_at_the_maximum_converges_in_zero_steps()
    {
        var result = Newton.Maximize(ClosedForms.Quadratic(A, C).F, ClosedForms.Quadratic(A, C).H, C);

        Assert.True(result.Converged);
        Assert.Equal(0, result.Iterations);
        Assert.Equal(C, result.Point);
    }

    [Fact]
    public void A_function_without_a_maximum_is_not_reported_as_converged()
    {
        // f(x) = x grows without bound: the search never stops improving, so the iteration limit ends it.
        ObjectiveFunction f = (x, g) =>
        {
            g[0] = 1;
            return x[0];
        };

        var result = Lbfgs.Maximize(f, [0.0], new OptimizerOptions { MaxIterations = 50 });

        Assert.False(result.Converged);
        Assert.Equal(StopReason.IterationLimit, result.StopReason);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_gradient_that_points_the_wrong_way_is_reported_as_a_failed_line_search(string method)
    {
        // f = −x² with the gradient's sign flipped: every step "uphill" goes down, so no trial is accepted.
        ObjectiveFunction f = (x, g) =>
        {
            g[0] = 2 * x[0];
            return -x[0] * x[0];
        };
        HessianFunction h = (x, hessian) => hessian[0, 0] = -2;

        var result = Optimizers.Maximize(method, (f, h), [1.0]);

        Assert.False(result.Converged);
        Assert.Equal(StopReason.LineSearchFailed, result.StopReason);
        Assert.Contains("no step that increases f", result.Message);
        Assert.Equal([1.0], result.Point);
    }

    [Fact]
    public void Newton_falls_back_to_the_gradient_when_the_Hessian_is_not_finite()
    {
        var (f, _) = ClosedForms.Quadratic(A, C);
        HessianFunction broken = (x, hessian) =>
        {
            Array.Clear(hessian);
            hessian[0, 1] = double.NaN;
        };

        var result = Newton.Maximize(f, broken, [10, 10, 10], new OptimizerOptions { GradientTolerance = 1e-12 });

        Assert.True(result.Converged, result.Message);
        Assert.True(TestData.MaxRelativeError(result.Point, C) < 1e-9);
    }

    [Fact]
    public void Lbfgs_with_unbounded_memory_allocates_only_the_pairs_it_stores()
    {
        // Memory = MaxIterations = int.MaxValue allocated n × int.MaxValue doubles up front and ended, after a minute, in
        // OutOfMemoryException (helper-64). Oracle: the maximum of −Σ(i + 1)(xᵢ − i)² is xᵢ = i.
        ObjectiveFunction f = (x, g) =>
        {
            double value = 0;
            for (int i = 0; i < x.Length; i++)
            {
                g[i] = -2 * (i + 1) * (x[i] - i);
                value -= (i + 1) * (x[i] - i) * (x[i] - i);
            }

            return value;
        };

        var result = Lbfgs.Maximize(f, [5.0, 5.0, 5.0], new OptimizerOptions { Memory = int.MaxValue, MaxIterations = int.MaxValue });

        Assert.True(result.Converged, result.Message);
        Assert.Equal([0.0, 1.0, 2.0], result.Point.Select(v => Math.Round(v, 8)).ToArray());
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_quadratic_scaled_by_1e160_is_solved_and_its_gradient_norm_is_finite(string method)
    {
        // f = −10¹⁶⁰(x − 3)²: ∇f(0) = 6·10¹⁶⁰, whose square overflows. The tests are relative, so the scale must not
        // matter; L-BFGS took ‖∇f‖₂ = ∞ and a first step 1/∞ = 0, and reported a failed line search at x = 0.
        const double c = 1e160;
        ObjectiveFunction f = (x, g) =>
        {
            g[0] = -2 * c * (x[0] - 3);
            return -c * (x[0] - 3) * (x[0] - 3);
        };
        HessianFunction h = (x, hessian) => hessian[0, 0] = -2 * c;
        var progress = new List<OptimizationProgress>();

        var result = Optimizers.Maximize(method, (f, h), [0.0], new OptimizerOptions { Progress = progress.Add },
            learningRate: 0.25 / c);

        Assert.True(result.Converged, result.Message);
        Assert.Equal(3.0, result.Point[0], 12);
        Assert.Equal(6e160, progress[0].GradientNorm, 1e146);
        Assert.True(double.IsFinite(result.GradientNorm));
    }

    [Fact]
    public async System.Threading.Tasks.Task Newton_ends_when_the_Levenberg_bound_overflows()
    {
        // f = eˣ is unbounded; near x = 705 the largest shift tried, 10³·n·eˣ, is +∞, and τ grown tenfold to +∞ stayed
        // within it forever: Newton hung instead of reporting that it did not converge.
        ObjectiveFunction f = (x, g) =>
        {
            g[0] = Math.Exp(x[0]);
            return Math.Exp(x[0]);
        };
        HessianFunction h = (x, hessian) => hessian[0, 0] = Math.Exp(x[0]);

        var result = await System.Threading.Tasks.Task.Run(() => Newton.Maximize(f, h, [0.0]))
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.False(result.Converged, result.Message);
    }
}
