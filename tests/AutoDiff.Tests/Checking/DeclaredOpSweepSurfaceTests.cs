using System;
using System.Linq;
using Xunit;

namespace AutoDiff.Tests.Checking;

/// <summary>
/// The sweep on both sides of a line of two inputs (<see cref="BranchSurfaceAttribute"/>): a rule that switches on
/// another line than the function is wrong only between the two, where no ordinary or edge point lands, and is caught
/// there; the corrected rule passes. Expected slopes are closed forms written here; the points are the sweep's
/// documented construction, v ∓ 10⁻⁴·max(1, |v|) across each line from the ordinary point (x, y) = (−0.7, 1.3).
/// </summary>
public class DeclaredOpSweepSurfaceTests
{
    [Fact]
    public void A_hand_written_max_whose_rule_switches_one_unit_late_fails_between_the_two_lines()
    {
        var report = DeclaredOpSweep.Run(typeof(MistypedMax));

        // max(x, y) has ∂/∂x = 1 where x > y; the rule says 0 up to x = y + 1, so it is wrong on 0 < x − y ≤ 1 only.
        // Across x = y and x = y + 1 from (−0.7, 1.3), six points lie there: x stepped to 1.3⁺, 2.3⁻ and 2.3 at y = 1.3,
        // y stepped to −0.7⁻, −1.7⁺ and −1.7 at x = −0.7 (on x = y + 1 the rule's x > y + 1 is false).
        double[][] band = [[1.3 + 1.3e-4, 1.3], [2.3 - 2.3e-4, 1.3], [2.3, 1.3], [-0.7, -0.7 - 1e-4], [-0.7, -1.7 + 1.7e-4], [-0.7, -1.7]];
        Assert.Equal(6, report.Failures.Count);
        Assert.All(report.Failures, f =>
        {
            Assert.Equal(0, f.Input);
            Assert.Equal(0.0, f.Ad);
            Assert.InRange(f.Point[0] - f.Point[1], 1e-5, 1.0 + 1e-12);
            // The difference closest to the rule's 0 is the widest central one, which straddles x = y and sees 0 on part
            // of its span; it is still nearer the slope 1 than the rule.
            Assert.InRange(f.Reference, 0.5, 1.0 + 1e-6);
        });
        foreach (double[] point in band)
        {
            Assert.Contains(report.Failures, f => Math.Abs(f.Point[0] - point[0]) < 1e-12 && Math.Abs(f.Point[1] - point[1]) < 1e-12);
        }

        Assert.Throws<InvalidOperationException>(() => DeclaredOpSweep.Assert(typeof(MistypedMax)));
    }

    [Fact]
    public void Math_Max_whose_rule_switches_one_unit_late_without_a_comparison_fails_between_the_two_lines()
    {
        // max(x, y) written Math.Max(x, y), the rule max(0, sign(x − y − 1)) for ∂/∂x and 1 minus that for ∂/∂y: wrong on
        // 0 < x − y ≤ 1 only. Nothing in either is a comparison, so no line was marked and no point lay in the band; the
        // kinks of Math.Max and Math.Sign now mark x = y and x = y + 1.
        var report = DeclaredOpSweep.Run(typeof(MistypedMathMax));

        Assert.NotEmpty(report.Failures);
        Assert.All(report.Failures, f =>
        {
            Assert.InRange(f.Point[0] - f.Point[1], 1e-5, 1.0 + 1e-12);
            Assert.Equal(f.Input == 0 ? 0.0 : 1.0, f.Ad); // the slopes there are 1 and 0
        });
        // On x = y + 1, where the function's slopes are 1 and 0 on both sides: x = 2.3 at y = 1.3, y = −1.7 at x = −0.7.
        foreach (double[] point in new[] { new[] { 2.3, 1.3 }, [-0.7, -1.7] })
        {
            Assert.Equal(1.0, Assert.Single(report.Failures, f => f.Point.SequenceEqual(point) && f.Input == 0).Reference, 1e-6);
            Assert.Equal(0.0, Assert.Single(report.Failures, f => f.Point.SequenceEqual(point) && f.Input == 1).Reference, 1e-6);
        }

        // Math.Max with its derived rule (the winner's slope, ½ each at a tie) passes on, beside and between the lines.
        Assert.Empty(DeclaredOpSweep.Run(typeof(DerivedMathMax)).Failures.Select(f => f.ToString()));
    }

    [Fact]
    public void The_corrected_max_passes_on_both_sides_of_its_line()
    {
        var report = DeclaredOpSweep.Assert(typeof(CorrectMax));

        // 31 ordinary and edge points of two inputs, and 3 across x = y (below, on, above): x stepped at y = 1.3, y at x = −0.7.
        Assert.Equal(31 + 6, report.PointsChecked);
        Assert.Equal([1.0, 0.0], AD.Grad(v => CorrectMax.Max(v[0], v[1]), [1.3 + 1.3e-4, 1.3]));
        Assert.Equal([0.0, 1.0], AD.Grad(v => CorrectMax.Max(v[0], v[1]), [1.3 - 1.3e-4, 1.3]));
    }

    [Fact]
    public void A_rule_that_switches_on_a_line_of_another_slope_fails_in_the_wedge_between_them()
    {
        var report = DeclaredOpSweep.Run(typeof(MistypedWedge));

        // F = x·y below x = 2y, x + y from it: ∂F/∂x = y below, 1 above. The rule switches at x = y instead, so in the
        // wedge between x = y and x = 2y it takes the other branch: for y > 0 (y ≤ x < 2y) it says 1 where the slope is y,
        // for y < 0 (2y ≤ x < y) it says y where the slope is 1. On the lines themselves: at (1.3, 1.3) the rule's x < y
        // is false; at (−0.7, −0.35) the function's x < 2y is false and it takes x + y, whose slope 1 the rule misses.
        Assert.NotEmpty(report.Failures);
        Assert.All(report.Failures, f =>
        {
            double x = f.Point[0], y = f.Point[1];
            Assert.True(y > 0 ? y <= x && x < 2 * y : 2 * y <= x && x < y, f.ToString());
            Assert.Equal(0, f.Input);
            Assert.Equal(y > 0 ? 1.0 : y, f.Ad);
            Assert.Equal(y > 0 ? y : 1.0, f.Reference, 1e-6);
        });
        // Both inputs step into it: x at y = 1.3 (beside x = 2.6 and x = 1.3), y at x = −0.7 (beside y = −0.35 and y = −0.7).
        Assert.Contains(report.Failures, f => f.Point[1] == 1.3);
        Assert.Contains(report.Failures, f => f.Point[0] == -0.7);
        Assert.Contains(report.Failures, f => f.Point[0] == 1.3 && f.Point[1] == 1.3);
        Assert.Contains(report.Failures, f => f.Point[0] == -0.7 && f.Point[1] == -0.35);
    }

    [Fact]
    public void The_corrected_wedge_rule_passes()
    {
        var report = DeclaredOpSweep.Assert(typeof(CorrectWedge));

        Assert.Equal(31 + 6, report.PointsChecked); // both sides of x = 2y and on it, crossed by x and by y
        Assert.Equal([1.3, 2.6 - 2.6e-4], AD.Grad(v => CorrectWedge.Wedge(v[0], v[1]), [2.6 - 2.6e-4, 1.3]));
        Assert.Equal([1.0, 1.0], AD.Grad(v => CorrectWedge.Wedge(v[0], v[1]), [2.6 + 2.6e-4, 1.3]));
    }

    [Fact]
    public void A_correct_rule_passes_beside_a_steep_line_where_every_central_difference_in_y_reaches_across_it()
    {
        // The line x = 1400y − 1819 passes x = 1 at the ordinary y = 1.3, so the sweep steps x to 1 ± 10⁻⁴ there, which
        // is 10⁻⁴/1400 ≈ 7.1·10⁻⁸ from the line in y: each central difference in y reaches across it (the smallest,
        // Richardson's of ±9.6·10⁻⁸ and ±4.8·10⁻⁸, too). Only differences stepping away from the line in y see the slope of
        // the point's own side, −1400 or 0, which the correct rule has.
        double lineY = (1.0 + 1e-4 + 1819.0) / 1400.0;
        Assert.InRange(lineY - 1.3, 1e-8, 9e-8);

        var report = DeclaredOpSweep.Run(typeof(SteepHinge));

        Assert.Empty(report.Failures.Select(f => f.ToString()));
        Assert.Equal(31 + 6, report.PointsChecked);
        Assert.Equal([1.0, -1400.0], AD.Grad(v => SteepHinge.Hinge(v[0], v[1]), [1.0 + 1e-4, 1.3]));
        Assert.Equal([0.0, 0.0], AD.Grad(v => SteepHinge.Hinge(v[0], v[1]), [1.0 - 1e-4, 1.3]));
    }
}

/// <summary>max(x, y) written by hand, with a rule whose threshold was mistyped as x &gt; y + 1.</summary>
public static partial class MistypedMax
{
    /// <summary>x where x &gt; y, else y.</summary>
    [Differentiable]
    public static double Max(double x, double y) => x - y > 0.0 ? x : y;

    [Derivative(nameof(Max), "x")]
    private static double MaxDx(double x, double y) => x > y + 1.0 ? 1.0 : 0.0;

    [Derivative(nameof(Max), "y")]
    private static double MaxDy(double x, double y) => x > y ? 0.0 : 1.0;
}

/// <summary>Math.Max(x, y), with rules that switch at x = y + 1 written without a comparison.</summary>
public static partial class MistypedMathMax
{
    /// <summary>The larger of x and y.</summary>
    [Differentiable]
    public static double Max(double x, double y) => Math.Max(x, y);

    [Derivative(nameof(Max), "x")]
    private static double MaxDx(double x, double y) => Math.Max(0.0, Math.Sign(x - y - 1.0));

    [Derivative(nameof(Max), "y")]
    private static double MaxDy(double x, double y) => 1.0 - Math.Max(0.0, Math.Sign(x - y - 1.0));
}

/// <summary>Math.Max(x, y) with the rule the generator derives.</summary>
public static partial class DerivedMathMax
{
    /// <summary>The larger of x and y.</summary>
    [Differentiable]
    public static double Max(double x, double y) => Math.Max(x, y);
}

/// <summary>max(x, y) written by hand, with its correct rules.</summary>
public static partial class CorrectMax
{
    /// <summary>x where x &gt; y, else y.</summary>
    [Differentiable]
    public static double Max(double x, double y) => x - y > 0.0 ? x : y;

    [Derivative(nameof(Max), "x")]
    private static double MaxDx(double x, double y) => x > y ? 1.0 : 0.0;

    [Derivative(nameof(Max), "y")]
    private static double MaxDy(double x, double y) => x > y ? 0.0 : 1.0;
}

/// <summary>x·y below the line x = 2y, x + y above it, with a ∂/∂x that switches at x = y.</summary>
public static partial class MistypedWedge
{
    /// <summary>x·y where x &lt; 2y, else x + y.</summary>
    [Differentiable]
    public static double Wedge(double x, double y) => x < 2.0 * y ? x * y : x + y;

    [Derivative(nameof(Wedge), "x")]
    private static double WedgeDx(double x, double y) => x < y ? y : 1.0;

    [Derivative(nameof(Wedge), "y")]
    private static double WedgeDy(double x, double y) => x < 2.0 * y ? x : 1.0;
}

/// <summary>x·y below the line x = 2y, x + y above it, with its correct rules.</summary>
public static partial class CorrectWedge
{
    /// <summary>x·y where x &lt; 2y, else x + y.</summary>
    [Differentiable]
    public static double Wedge(double x, double y) => x < 2.0 * y ? x * y : x + y;

    [Derivative(nameof(Wedge), "x")]
    private static double WedgeDx(double x, double y) => x < 2.0 * y ? y : 1.0;

    [Derivative(nameof(Wedge), "y")]
    private static double WedgeDy(double x, double y) => x < 2.0 * y ? x : 1.0;
}

/// <summary>A hinge on a steep line, x = 1400y − 1819: max(0, x − 1400y + 1819), with its correct rules.</summary>
public static partial class SteepHinge
{
    /// <summary>x − 1400y + 1819 where that is positive, else 0.</summary>
    [Differentiable]
    public static double Hinge(double x, double y) => x - 1400.0 * y + 1819.0 > 0.0 ? x - 1400.0 * y + 1819.0 : 0.0;

    [Derivative(nameof(Hinge), "x")]
    private static double HingeDx(double x, double y) => x - 1400.0 * y + 1819.0 > 0.0 ? 1.0 : 0.0;

    [Derivative(nameof(Hinge), "y")]
    private static double HingeDy(double x, double y) => x - 1400.0 * y + 1819.0 > 0.0 ? -1400.0 : 0.0;
}
