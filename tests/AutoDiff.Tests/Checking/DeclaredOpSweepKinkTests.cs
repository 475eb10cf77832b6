using System;
using System.Linq;
using Xunit;

namespace AutoDiff.Tests.Checking;

/// <summary>
/// The sweep near kinks: a breakpoint of |x| in the body or a rule is checked on both sides, a correct rule at ±10⁻⁸ from
/// the kink of |x| at 0 passes, and a rule that is wrong there (a little, or on one side) still fails. Expected
/// derivatives are closed forms written here.
/// </summary>
public class DeclaredOpSweepKinkTests
{
    [Fact]
    public void A_rule_whose_magnitude_breakpoint_is_mistyped_is_caught_between_the_two_breakpoints()
    {
        var report = DeclaredOpSweep.Run(typeof(MistypedHuber));

        // Huber′(r) = r for |r| ≤ 5, 5·sign r beyond; the rule switches at |r| = 4, so it says 5·sign r on 4 < |r| < 5.
        Assert.Contains(report.Failures, f => f.Point[0] > 4 && f.Point[0] < 5);
        Assert.Contains(report.Failures, f => f.Point[0] < -4 && f.Point[0] > -5);
        Assert.All(report.Failures, f =>
        {
            double r = f.Point[0];
            Assert.True(Math.Abs(r) > 4 && Math.Abs(r) < 5, f.ToString());
            Assert.Equal(5.0 * Math.Sign(r), f.Ad);
            Assert.Equal(r, f.Reference, 1e-6);
        });
        Assert.Throws<InvalidOperationException>(() => DeclaredOpSweep.Assert(typeof(MistypedHuber)));
    }

    [Fact]
    public void A_correct_magnitude_breakpoint_passes_on_both_sides_at_both_signs()
    {
        var report = DeclaredOpSweep.Assert(typeof(CorrectHuber));

        // 18 ordinary and edge points (0 included), at and on each side of r = ±5, and on each side of |r|'s kink at 0.
        Assert.Equal(18 + 6 + 2, report.PointsChecked);
        Assert.Equal(4.9995, AD.Grad(v => CorrectHuber.Huber(v[0]), [4.9995])[0], 15);
        Assert.Equal(5.0, AD.Grad(v => CorrectHuber.Huber(v[0]), [5.0005])[0], 15);
        Assert.Equal(-5.0, AD.Grad(v => CorrectHuber.Huber(v[0]), [-5.0005])[0], 15);
    }

    [Fact]
    public void Correct_derived_rules_pass_just_beside_the_kink_of_abs_at_zero()
    {
        // Closed forms: ∂/∂x (|x − y| + |x·y|) = sign(x − y) + y·sign(x·y), ∂/∂y = −sign(x − y) + x·sign(x·y);
        // d/dx (|x| + 3 cos x) = sign x − 3 sin x.
        double[] above = AD.Grad(v => NearKink.AbsF(v[0], v[1]), [1e-8, 1.3]);
        Assert.Equal(-1.0 + 1.3, above[0], 15);
        Assert.Equal(1.0 + 1e-8, above[1], 15);
        double[] below = AD.Grad(v => NearKink.AbsF(v[0], v[1]), [-1e-8, 1.3]);
        Assert.Equal(-1.0 - 1.3, below[0], 15);
        Assert.Equal(1.0 + 1e-8, below[1], 15); // x·sign(x·y) = |x| on both sides
        Assert.Equal(1.0 - 3 * Math.Sin(1e-8), AD.Grad(v => NearKink.AbsCos(v[0]), [1e-8])[0], 15);
        Assert.Equal(-1.0 + 3 * Math.Sin(1e-8), AD.Grad(v => NearKink.AbsCos(v[0]), [-1e-8])[0], 15);

        var report = DeclaredOpSweep.Run(typeof(NearKink));

        Assert.Empty(report.Failures.Select(f => f.ToString()));
    }

    [Fact]
    public void A_rule_a_little_wrong_beside_the_kink_still_fails_there()
    {
        var report = DeclaredOpSweep.Run(typeof(WrongNearKink));

        // 2·10⁻⁴ too large within 10⁻⁶ of 0 only: the points ±10⁻⁸ and 0 itself (where the rule says 2·10⁻⁴ and the
        // slopes are −1, 1 and their average 0) are the only ones that can see it.
        var offset = report.Failures.Where(f => f.Function == nameof(WrongNearKink.Offset)).ToArray();
        Assert.Equal([-1e-8, 0.0, 1e-8], offset.Select(f => f.Point[0]).Order());
        Assert.All(offset, f => Assert.Equal(Math.Sign(f.Point[0]) - 3 * Math.Sin(f.Point[0]) + 2e-4, f.Ad, 15));
    }

    [Fact]
    public void A_rule_with_the_other_sides_slope_beside_the_kink_still_fails_there()
    {
        var report = DeclaredOpSweep.Run(typeof(WrongNearKink));

        // A difference that crossed the kink would see the other side's slope and agree with this rule.
        var mirrored = report.Failures.Where(f => f.Function == nameof(WrongNearKink.Mirrored)).ToArray();
        Assert.Equal([-1e-8, 1e-8], mirrored.Select(f => f.Point[0]).Order());
        Assert.All(mirrored, f => Assert.Equal(-Math.Sign(f.Point[0]) - 3 * Math.Sin(f.Point[0]), f.Ad, 15));
    }

    [Fact]
    public void A_rule_wrong_on_one_side_of_the_kink_only_fails_on_that_side()
    {
        var report = DeclaredOpSweep.Run(typeof(WrongNearKink));

        var oneSided = Assert.Single(report.Failures, f => f.Function == nameof(WrongNearKink.OneSided));
        Assert.Equal([-1e-8, 1.3], oneSided.Point);
        Assert.Equal(0, oneSided.Input);
        Assert.Equal(-1.0 + 1.3, oneSided.Ad, 15); // the slope of x > 0, where sign(x·y) = 1; x < 0 has −1 − 1.3
    }

    [Fact]
    public void A_correct_hinge_beside_an_ordinary_point_passes_the_second_order_check()
    {
        // The hinge at 0.4505 is 5·10⁻⁴ from the ordinary value 0.45, inside the Hessian's finite-difference step
        // (7.4·10⁻⁴): those differences average f'' = 2 and 0 across it. The exact Hessian there is 2 (x < 0.4505).
        var report = DeclaredOpSweep.Run(typeof(HingeBesideOrdinaryPoint));

        Assert.Empty(report.Failures);
        Assert.Empty(report.WithoutSecondOrder);
        Assert.Equal(2.0, AD.Hessian(v => HingeBesideOrdinaryPoint.Hinge(v[0]), [0.45])[0, 0], 15);
        Assert.Equal(0.0, AD.Hessian(v => HingeBesideOrdinaryPoint.Hinge(v[0]), [1.3])[0, 0], 15);
    }
}

/// <summary>Huber with δ = 5 and a rule whose breakpoint was mistyped as 4.</summary>
public static partial class MistypedHuber
{
    /// <summary>½r² for |r| ≤ 5, else 5(|r| − 2.5).</summary>
    [Differentiable]
    public static double Huber(double r) => Math.Abs(r) <= 5.0 ? 0.5 * r * r : 5.0 * (Math.Abs(r) - 2.5);

    [Derivative(nameof(Huber))]
    private static double HuberD(double r) => Math.Abs(r) <= 4.0 ? r : 5.0 * Math.Sign(r);
}

/// <summary>Huber with δ = 5 and its correct rule.</summary>
public static partial class CorrectHuber
{
    /// <summary>½r² for |r| ≤ 5, else 5(|r| − 2.5).</summary>
    [Differentiable]
    public static double Huber(double r) => Math.Abs(r) <= 5.0 ? 0.5 * r * r : 5.0 * (Math.Abs(r) - 2.5);

    [Derivative(nameof(Huber))]
    private static double HuberD(double r) => Math.Abs(r) <= 5.0 ? r : 5.0 * Math.Sign(r);
}

/// <summary>Functions with a kink at 0 and derived rules, which are right there.</summary>
public static partial class NearKink
{
    /// <summary>|x − y| + |x·y|.</summary>
    [Differentiable]
    public static double AbsF(double x, double y) => Math.Abs(x - y) + Math.Abs(x * y);

    /// <summary>|x| + 3 cos x.</summary>
    [Differentiable]
    public static double AbsCos(double x) => Math.Abs(x) + 3 * Math.Cos(x);
}

/// <summary>Rules that are right except within 10⁻⁶ of the kink at 0.</summary>
public static partial class WrongNearKink
{
    /// <summary>|x| + 3 cos x, with a rule 2·10⁻⁴ too large near 0.</summary>
    [Differentiable]
    public static double Offset(double x) => Math.Abs(x) + 3 * Math.Cos(x);

    /// <summary>|x| + 3 cos x, with a rule that has the other side's slope of |x| near 0.</summary>
    [Differentiable]
    public static double Mirrored(double x) => Math.Abs(x) + 3 * Math.Cos(x);

    /// <summary>|x − y| + |x·y|, with a ∂/∂x that has the slope of x &gt; 0 just below 0.</summary>
    [Differentiable]
    public static double OneSided(double x, double y) => Math.Abs(x - y) + Math.Abs(x * y);

    [Derivative(nameof(Offset))]
    private static double OffsetD(double x) => Math.Sign(x) - 3 * Math.Sin(x) + (Math.Abs(x) < 1e-6 ? 2e-4 : 0.0);

    [Derivative(nameof(Mirrored))]
    private static double MirroredD(double x) => (Math.Abs(x) < 1e-6 ? -Math.Sign(x) : Math.Sign(x)) - 3 * Math.Sin(x);

    [Derivative(nameof(OneSided), "x")]
    private static double OneSidedDx(double x, double y) => Math.Sign(x - y) + y * (x < 0 && x > -1e-6 ? Math.Sign(y) : Math.Sign(x * y));

    [Derivative(nameof(OneSided), "y")]
    private static double OneSidedDy(double x, double y) => -Math.Sign(x - y) + x * Math.Sign(x * y);
}

/// <summary>A C¹ hinge 5·10⁻⁴ from an ordinary point of the sweep, with its correct rule.</summary>
public static partial class HingeBesideOrdinaryPoint
{
    /// <summary>x² below 0.4505, the tangent 0.901·x − 0.4505² above: f'' = 2, then 0.</summary>
    [Differentiable]
    public static double Hinge(double x) => x < 0.4505 ? x * x : 0.901 * x - 0.4505 * 0.4505;

    [Derivative(nameof(Hinge))]
    private static double HingeD(double x) => x < 0.4505 ? 2.0 * x : 0.901;
}
