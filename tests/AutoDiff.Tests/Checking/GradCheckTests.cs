using System;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Checking;

public class GradCheckTests
{
    [Fact]
    public void Finite_differences_reproduce_a_known_gradient_to_about_1e_10()
    {
        // f(x, y) = x² sin y + eˣʸ; ∇f = (2x sin y + y eˣʸ, x² cos y + x eˣʸ).
        double x = 0.7, y = -1.3;
        var fd = GradCheck.FiniteDifferenceGradient(v => Square(v[0]) * Sin(v[1]) + Exp(v[0] * v[1]), [x, y]);

        Assert.Equal(2 * x * Math.Sin(y) + y * Math.Exp(x * y), fd[0], 1e-10);
        Assert.Equal(x * x * Math.Cos(y) + x * Math.Exp(x * y), fd[1], 1e-10);
    }

    [Fact]
    public void A_correct_gradient_passes_and_the_report_says_how_close()
    {
        var report = GradCheck.Assert(v => Log(v[0]) * Tanh(v[1]) / v[2], [2.0, 0.3, 5.0]);

        Assert.True(report.MaxRelativeError < 1e-8, report.ToString());
        Assert.Equal(3, report.Analytic.Length);
    }

    [Fact]
    public void A_wrong_derivative_rule_fails_and_names_the_worst_coordinate_with_both_values()
    {
        // An op recorded with a deliberately wrong partial: d/dx x³ reported as 2x² instead of 3x².
        static Var WrongCube(Var x) => AutoDiff.Tape.Unary("WrongCube", x.Value * x.Value * x.Value, x, 2 * x.Value * x.Value);

        var error = Assert.Throws<GradCheckException>(() => GradCheck.Assert(v => v[0] + WrongCube(v[1]), [1.0, 2.0]));

        Assert.Equal(1, error.Report.WorstIndex);
        Assert.Equal(8.0, error.Report.WorstAnalytic, 12);
        Assert.Equal(12.0, error.Report.WorstNumeric, 8);
        Assert.Contains("coordinate 1 misses the tolerance", error.Message);
        Assert.Contains("AD 8", error.Message);
    }

    [Fact]
    public void NaN_in_the_gradient_fails_the_check()
    {
        static Var NaNSlope(Var x) => AutoDiff.Tape.Unary("NaNSlope", x.Value, x, double.NaN);

        var report = GradCheck.Compare(v => NaNSlope(v[0]), [1.0]);

        Assert.False(report.Passes(1e-6, 1e-8));
        Assert.True(double.IsNaN(report.MaxRelativeError));
    }

    [Fact]
    public void Exact_agreement_passes_even_with_a_zero_tolerance()
    {
        // ∂/∂x (x·y + eʸ) at (0, 0) is y = 0, and the finite difference is exactly 0 too: 0/0 in the margin had failed it.
        var report = GradCheck.Assert(v => v[0] * v[1] + Exp(v[1]), [0.0, 0.0], 1e-6, 0.0);
        Assert.Equal(0.0, report.Analytic[0]);
        Assert.Equal(0.0, report.Numeric[0]);
    }

    // Functions that vary on the scale of 1 far from 0: the step scaled to |x| (0.74 at x = 1000) gave relative errors
    // of 6e-4 (sin at 1000), 1.5e-4 (exp at 700) and 5e-6 (sigmoid at -300), failing correct rules (found by a
    // review's probes). The finer steps the check also tries settle them; a wrong rule still fails.
    // At 10⁵ and 10⁶ three decades of finer steps ended at 0.074 and 0.74: sin at 10⁶ was estimated −0.017 where
    // cos(10⁶) = 0.937 (helper-50). The steps go on a decade further for each decade of |x|.
    [Theory]
    [InlineData(1000.0)]
    [InlineData(-2500.5)]
    [InlineData(1e5)]
    [InlineData(1e6)]
    [InlineData(-3.3e9)]
    public void Correct_rules_pass_far_from_zero_and_a_wrong_one_still_fails(double at)
    {
        GradCheck.Assert(v => Sin(v[0]), [at]);
        GradCheck.Assert(v => Exp(v[0] - at + 700.0), [at]);
        GradCheck.Assert(v => Sigmoid(v[0] - at - 300.0) * 1e130, [at]);
        GradCheck.Assert(v => LogSigmoid(at + 0.3 - v[0]) + Tanh(v[0] - at), [at]);
        Assert.Equal(Math.Cos(at), GradCheck.FiniteDifferenceGradient(v => Sin(v[0]), [at])[0], 1e-9);

        static Var WrongCos(Var x) => AutoDiff.Tape.Unary("WrongCos", Math.Cos(x.Value), x, Math.Sin(x.Value));
        Assert.Throws<GradCheckException>(() => GradCheck.Assert(v => WrongCos(v[0]), [at]));
    }

    // 10¹² + x at 10⁶ (|f/f′| = 10¹²): at the finest steps the extra decades above reach, f(x ± h) rounds to one
    // double, both estimates are 0 and so is their gap. Choosing the pair by its gap alone kept 0, passed a wrong
    // gradient of 0 and failed the right one, 1 (helper-54). The rounding error bounds such a pair out.
    [Theory]
    [InlineData(1e6)]
    [InlineData(-3.3e9)]
    [InlineData(1e12)]
    public void Steps_too_fine_for_the_function_s_magnitude_are_not_chosen(double at)
    {
        Func<Var[], Var> f = v => 1e12 + v[0];
        Assert.Equal(1.0, GradCheck.FiniteDifferenceGradient(f, [at])[0], 1e-6);
        GradCheck.Assert(f, [at]);
        static Var Flat(Var x) => AutoDiff.Tape.Unary("Flat", 1e12 + x.Value, x, 0.0);
        Assert.Throws<GradCheckException>(() => GradCheck.Assert(v => Flat(v[0]), [at]));
    }

    [Fact]
    public void The_step_scales_with_the_coordinate_so_large_arguments_stay_accurate()
    {
        // ∂/∂x log x = 1/x at x = 1e6: a fixed step of 1e-3 would still work, but at 1e12 only a relative one does.
        var fd = GradCheck.FiniteDifferenceGradient(v => Log(v[0]), [1e12]);
        Assert.Equal(1e-12, fd[0], 1e-20);
    }

    [Fact]
    public void A_function_that_writes_into_its_input_array_is_estimated_at_the_point_every_time()
    {
        // f(v) = 2v₀·v₁ written as v₀ = 2v₀ then v₀·v₁ (usage.md allows writing into the array): ∇f(1, 1) = (2, 2). The
        // estimate reused one array and restored only the coordinate it moved, so f's doubling piled up: (2, −288 250).
        Func<Var[], Var> f = v => { v[0] = v[0] * 2.0; return v[0] * v[1]; };
        var fd = GradCheck.FiniteDifferenceGradient(f, [1.0, 1.0]);
        Assert.Equal(2.0, fd[0], 8);
        Assert.Equal(2.0, fd[1], 8);
        GradCheck.Assert(f, [1.0, 1.0]);
    }

    [Theory]
    [InlineData(1e6)]
    [InlineData(1e8)]
    public void Where_rounding_rules_from_the_first_step_the_coarser_estimate_is_kept(double offset)
    {
        // offset + sin x at 0.5 and offset + x² at 1: f's rounding (ε·offset) over the step is the error, so the finer
        // steps are worse. Keeping the finer of the closest pair failed a correct gradient (relative error 2e−6 at 10⁶,
        // 8e−5 for x² at 10⁸).
        if (offset == 1e6)
        {
            // (At 10⁸ even the coarsest step's rounding error, ≈ 6e−6 relative, exceeds the default tolerance.)
            GradCheck.Assert(v => offset + Sin(v[0]), [0.5]);
        }

        var fd = GradCheck.FiniteDifferenceGradient(v => offset + Square(v[0]), [1.0]);
        Assert.True(Math.Abs(fd[0] - 2.0) < 2e-6, $"{fd[0]:R}");
    }

    [Fact]
    public void The_failure_message_names_the_failing_coordinate_apart_from_the_largest_relative_error()
    {
        // Coordinate 0: a gradient of 1e−10 off by 10% (relative error 0.1, absolute 1e−11: within atol, passes);
        // coordinate 1: a gradient of 1 off by 1e−3 (fails). The message called coordinate 0, which passes, "the worst".
        Var Scaled(Var x, double slope, double error) => AutoDiff.Tape.Unary("scaled", slope * x.Value, x, slope * (1 + error));
        var failure = Assert.Throws<GradCheckException>(() =>
            GradCheck.Assert(v => Scaled(v[0], 1e-10, 0.1) + Scaled(v[1], 1.0, 1e-3), [0.5, 0.5]));
        Assert.Equal(1, failure.FailingIndex);
        Assert.Contains("coordinate 1 misses the tolerance", failure.Message);
        Assert.Contains("is at coordinate 0", failure.Message);
    }

    [Fact]
    public void A_point_with_a_NaN_or_infinite_coordinate_is_rejected_naming_the_coordinate()
    {
        // A difference quotient there is NaN: the check used to report "AD NaN, finite differences NaN", as if the rule
        // were wrong, for x² + y (gradient (2x, 1), right everywhere).
        Func<Var[], Var> f = v => v[0] * v[0] + v[1];

        var nan = Assert.Throws<ArgumentException>(() => GradCheck.Assert(f, [1.0, double.NaN]));
        var infinite = Assert.Throws<ArgumentException>(() => GradCheck.FiniteDifferenceHessian(f, [double.PositiveInfinity, 0.0]));
        var gradient = Assert.Throws<ArgumentException>(() => GradCheck.FiniteDifferenceGradient(f, [0.0, double.NegativeInfinity]));

        Assert.Contains("GradCheck.Assert: coordinate 1 of x is NaN", nan.Message);
        Assert.Contains("GradCheck.FiniteDifferenceHessian: coordinate 0 of x is Infinity", infinite.Message);
        Assert.Contains("coordinate 1 of x is -Infinity", gradient.Message);
        Assert.Equal([4.0, 1.0], GradCheck.Assert(f, [2.0, 5.0]).Analytic);
    }
}
