using System;
using Xunit;

namespace AutoDiff.Tests.Checking;

/// <summary>
/// Tolerances out of range are rejected by name and value. A negative tolerance made the margin
/// |AD − FD| / (atol + rtol·max(|AD|, |FD|)) negative, so GradCheck passed any rule; NaN made the sweep fail every correct
/// rule with messages that did not mention the tolerance.
/// </summary>
public class CheckingToleranceTests
{
    // d/dx x³ recorded as 2x² instead of 3x².
    private static Var WrongCube(Var x) => AutoDiff.Tape.Unary("WrongCube", x.Value * x.Value * x.Value, x, 2 * x.Value * x.Value);

    [Theory]
    [InlineData(-1e-6, 1e-8, "relativeTolerance", "-1E-06")]
    [InlineData(1e-6, -1e-8, "absoluteTolerance", "-1E-08")]
    [InlineData(double.NaN, 1e-8, "relativeTolerance", "NaN")]
    [InlineData(1e-6, double.NaN, "absoluteTolerance", "NaN")]
    [InlineData(double.PositiveInfinity, 1e-8, "relativeTolerance", "∞")]
    [InlineData(1e-6, double.PositiveInfinity, "absoluteTolerance", "∞")]
    public void GradCheck_rejects_a_tolerance_that_is_negative_NaN_or_infinite(double rtol, double atol, string name, string value)
    {
        // The wrong rule (AD 2x² = 8 at x = 2, where 3x² = 12) must never pass by way of the tolerance.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => GradCheck.Assert(v => WrongCube(v[0]), [2.0], rtol, atol));
        Assert.Equal(name, error.ParamName);
        Assert.Contains(value, error.Message.Replace("Infinity", "∞"));

        var report = GradCheck.Compare(v => WrongCube(v[0]), [2.0]);
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => report.Passes(rtol, atol)).ParamName);
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => report.FirstFailure(rtol, atol)).ParamName);
    }

    [Fact]
    public void A_negative_relative_tolerance_no_longer_passes_a_wrong_rule()
    {
        // Before, rtol = −10⁻⁶ gave the margin |8 − 12| / (10⁻⁸ − 1.2·10⁻⁵) < 0 and the check passed.
        Assert.Throws<ArgumentOutOfRangeException>(() => GradCheck.Assert(v => WrongCube(v[0]), [2.0], -1e-6));
        Assert.Throws<GradCheckException>(() => GradCheck.Assert(v => WrongCube(v[0]), [2.0], 1e-6));
    }

    [Fact]
    public void Zero_tolerances_are_allowed()
    {
        var error = Assert.Throws<GradCheckException>(() => GradCheck.Assert(v => WrongCube(v[0]), [2.0], 0.0, 0.0));
        Assert.Equal(0, error.FailingIndex);
    }

    [Theory]
    [InlineData(-1e-5, 1e-7, "relativeTolerance", "-1E-05")]
    [InlineData(1e-5, -1e-7, "absoluteTolerance", "-1E-07")]
    [InlineData(double.NaN, 1e-7, "relativeTolerance", "NaN")]
    [InlineData(1e-5, double.NaN, "absoluteTolerance", "NaN")]
    [InlineData(double.PositiveInfinity, 1e-7, "relativeTolerance", "∞")]
    public void The_sweep_rejects_a_tolerance_that_is_negative_NaN_or_infinite(double rtol, double atol, string name, string value)
    {
        // Before, NaN or a negative tolerance failed the correct Huber rule at every point; ∞ passed any rule.
        var run = Assert.Throws<ArgumentOutOfRangeException>(() => DeclaredOpSweep.Run(typeof(CorrectHuber), rtol, atol));
        Assert.Equal(name, run.ParamName);
        Assert.Contains(value, run.Message.Replace("Infinity", "∞"));
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => DeclaredOpSweep.Assert(typeof(CorrectHuber), rtol, atol)).ParamName);
    }
}
