using System;
using System.Linq;
using Xunit;

namespace AutoDiff.Tests.Checking;

/// <summary>
/// The sweep at 0 and exactly at a kink. Closed forms written here: sinc′(0) = 0, d(x·|x|)/dx = 2|x| (0 at 0),
/// d(√x)/dx = 1/(2√x) (+∞ at 0); the ramp x &lt; 25 ? x : 2x − 25 has the slopes 1 below 25 and 2 from 25 on.
/// </summary>
public class DeclaredOpSweepAtZeroTests
{
    [Fact]
    public void A_rule_wrong_only_at_zero_is_caught_there()
    {
        Assert.Equal(1.0, AD.Grad(v => WrongAtZero.Sinc(v[0]), [0.0])[0]); // the rule's wrong special case

        var report = DeclaredOpSweep.Run(typeof(WrongAtZero));

        var sinc = Assert.Single(report.Failures, f => f.Function == nameof(WrongAtZero.Sinc));
        Assert.Equal([0.0], sinc.Point);
        Assert.Equal(0, sinc.Input);
        Assert.Equal(1.0, sinc.Ad);
        Assert.Equal(0.0, sinc.Reference, 1e-6);
    }

    [Fact]
    public void A_rule_that_is_NaN_at_zero_where_the_slope_is_finite_is_caught_there()
    {
        var report = DeclaredOpSweep.Run(typeof(WrongAtZero));

        var absTimes = Assert.Single(report.Failures, f => f.Function == nameof(WrongAtZero.XAbsX));
        Assert.Equal([0.0], absTimes.Point);
        Assert.True(double.IsNaN(absTimes.Ad), absTimes.ToString());
        Assert.Equal(0.0, absTimes.Reference, 1e-3); // a finite difference of the slope 0: the coarsest central one is h/3 ≈ 2.5·10⁻⁴
    }

    [Fact]
    public void Correct_rules_pass_at_zero_and_exactly_at_a_kink_of_an_edge_point()
    {
        // The ramp's rule takes the slope 2 of the branch x >= 25 at the edge point 25 itself, where the central
        // difference straddles the kink and gives 1.5; √x has +∞ at 0, where its forward differences grow without bound;
        // the derived rule of max(x, 0) takes the slope 0 of x <= 0 at 0.
        Assert.Equal(2.0, AD.Grad(v => RightAtKinks.Ramp(v[0]), [25.0])[0]);
        Assert.Equal(double.PositiveInfinity, AD.Grad(v => RightAtKinks.Root(v[0]), [0.0])[0]);

        var report = DeclaredOpSweep.Run(typeof(RightAtKinks));

        Assert.Empty(report.Failures.Select(f => f.ToString()));
    }

    [Fact]
    public void An_infinite_rule_at_zero_where_the_slope_is_finite_still_fails()
    {
        var report = DeclaredOpSweep.Run(typeof(WrongAtZero));

        var square = Assert.Single(report.Failures, f => f.Function == nameof(WrongAtZero.Square));
        Assert.Equal([0.0], square.Point);
        Assert.Equal(double.PositiveInfinity, square.Ad);
        Assert.Equal(0.0, square.Reference, 1e-6);
    }
}

/// <summary>Rules that are right everywhere but at 0.</summary>
public static partial class WrongAtZero
{
    /// <summary>sin x / x, 1 at 0; the rule's special case says 1 at 0, where the slope is 0.</summary>
    [Differentiable]
    public static double Sinc(double x) => x == 0.0 ? 1.0 : Math.Sin(x) / x;

    [Derivative(nameof(Sinc))]
    private static double SincD(double x) => x == 0.0 ? 1.0 : (x * Math.Cos(x) - Math.Sin(x)) / (x * x);

    /// <summary>x·|x|, whose slope 2|x| the rule writes 2x²/|x|: 0/0 at 0.</summary>
    [Differentiable]
    public static double XAbsX(double x) => x * Math.Abs(x);

    [Derivative(nameof(XAbsX))]
    private static double XAbsXD(double x) => 2.0 * x * x / Math.Abs(x);

    /// <summary>x², with a rule that is +∞ at 0.</summary>
    [Differentiable]
    public static double Square(double x) => x * x;

    [Derivative(nameof(Square))]
    private static double SquareD(double x) => x == 0.0 ? double.PositiveInfinity : 2.0 * x;
}

/// <summary>Correct rules at 0 and at a kink that is an edge point.</summary>
public static partial class RightAtKinks
{
    /// <summary>x below 25, 2x − 25 from 25 on.</summary>
    [Differentiable]
    public static double Ramp(double x) => x < 25.0 ? x : 2.0 * x - 25.0;

    [Derivative(nameof(Ramp))]
    private static double RampD(double x) => x < 25.0 ? 1.0 : 2.0;

    /// <summary>√x, whose slope is +∞ at 0.</summary>
    [Differentiable]
    public static double Root(double x) => Math.Sqrt(x);

    [Derivative(nameof(Root))]
    private static double RootD(double result) => 0.5 / result;

    /// <summary>max(x, 0), with its derived rule.</summary>
    [Differentiable]
    public static double Relu(double x) => x > 0.0 ? x : 0.0;
}
