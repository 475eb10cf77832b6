using System.Linq;
using Xunit;

namespace AutoDiff.Tests.Checking;

/// <summary>
/// A swept point within rounding of a kink: the generator solves the comparison for the kink with roundings of its own
/// and the function evaluates the comparison with others, so the two can put the point on opposite sides. The sweep
/// then stepped away from the kink on the side the function does not take, and failed the correct rule. The premises are
/// IEEE facts asserted here; the slopes are closed forms.
/// </summary>
public class DeclaredOpSweepRoundedKinkTests
{
    [Fact]
    public void A_correct_rule_passes_at_an_ordinary_point_one_ulp_below_the_kink_the_generator_solved()
    {
        // 0.3·x < 0.135 marks 0.135 / 0.3 = 0.45000000000000007, one ulp above the ordinary value 0.45, where the function
        // computes 0.3 · 0.45 = 0.135 and takes the upper branch (slope 2). Stepping below the mark saw the lower slope 1,
        // every central difference straddled the kink (1.5), and the rule's 2 failed there.
        Assert.True(0.135 / 0.3 > 0.45);
        Assert.False(0.3 * 0.45 < 0.135);
        Assert.Equal(2.0, AD.Grad(v => ScaledThreshold.Ramp(v[0]), [0.45])[0]);

        var report = DeclaredOpSweep.Run(typeof(ScaledThreshold));

        Assert.Empty(report.Failures.Select(f => f.ToString()));
    }

    [Fact]
    public void A_correct_rule_passes_at_an_edge_point_within_rounding_of_a_branch_line()
    {
        // x < 0.1·y + 24.87 is the line y = (x − 24.87)/0.1, which the sweep solves at the edge point (25, 1.3) as
        // 1.29999999999999 (25 − 24.87 cancels): 1e−14 below 1.3. The function computes 0.1 · 1.3 + 24.87 ≤ 25 and takes
        // the hinge's rising branch, where ∂/∂y = −0.1; stepping y up, away from the solved crossing, saw the flat side.
        Assert.True((25.0 - 24.87) / 0.1 < 1.3);
        Assert.False(25.0 < 0.1 * 1.3 + 24.87);
        Assert.Equal([1.0, -0.1], AD.Grad(v => LineThroughEdge.Hinge(v[0], v[1]), [25.0, 1.3]));

        var report = DeclaredOpSweep.Run(typeof(LineThroughEdge));

        Assert.Empty(report.Failures.Select(f => f.ToString()));
    }
}

/// <summary>A ramp whose threshold is written in other units: x where 0.3·x &lt; 0.135, else 2x − 0.45.</summary>
public static partial class ScaledThreshold
{
    /// <summary>x below 0.45, 2x − 0.45 from there.</summary>
    [Differentiable]
    public static double Ramp(double x) => 0.3 * x < 0.135 ? x : 2.0 * x - 0.45;

    [Derivative(nameof(Ramp))]
    private static double RampDerivative(double x) => 0.3 * x < 0.135 ? 1.0 : 2.0;
}

/// <summary>max(0, x − 0.1·y − 24.87), whose line passes the sweep's edge point (25, 1.3).</summary>
public static partial class LineThroughEdge
{
    /// <summary>0 below the line x = 0.1·y + 24.87, x − 0.1·y − 24.87 from it.</summary>
    [Differentiable]
    public static double Hinge(double x, double y) => x < 0.1 * y + 24.87 ? 0.0 : x - 0.1 * y - 24.87;
}
