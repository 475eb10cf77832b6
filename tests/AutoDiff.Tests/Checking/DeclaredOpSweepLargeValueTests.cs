using System;
using System.Linq;
using Xunit;

namespace AutoDiff.Tests.Checking;

/// <summary>
/// The sweep's absolute tolerance is atol·max(1, |f|), since a finite difference loses about ε·|f|/h to rounding. With
/// atol = 10⁻⁷ that was about 100 for f = 10⁹·(x² + 1) + sin y, and a rule ∂f/∂y = 2 cos y (the slope is cos y) passed
/// at every point (helper-74). At the default 10⁻¹⁰ the allowance is 0.1, still far above the differences' rounding
/// (about 10⁻³ there), so the correct rule passes and the wrong one fails wherever cos y is not small.
/// </summary>
public class DeclaredOpSweepLargeValueTests
{
    [Fact]
    public void A_wrong_slope_beside_a_large_value_fails_and_the_right_one_passes()
    {
        var wrong = DeclaredOpSweep.Run(typeof(LargeValueWrongSlope));
        var right = DeclaredOpSweep.Run(typeof(LargeValueRightSlope));

        Assert.Empty(right.Failures);
        var failures = wrong.Failures.Where(f => f.Input == 1).ToArray();
        Assert.True(failures.Length >= 10, $"{failures.Length} failures");
        Assert.All(failures, f =>
        {
            Assert.Equal(2 * Math.Cos(f.Point[1]), f.Ad, 1e-12);
            // The reference is nearer the true slope than the rule (at ±10³ the step is 0.74, too coarse for 10⁻²).
            Assert.True(Math.Abs(f.Reference - Math.Cos(f.Point[1])) < Math.Abs(f.Reference - f.Ad), f.ToString());
        });
        Assert.DoesNotContain(wrong.Failures, f => f.Input == 0);
    }
}

/// <summary>f = 10⁹·(x² + 1) + sin y with the right partials 2·10⁹·x and cos y.</summary>
public static partial class LargeValueRightSlope
{
    /// <summary>f = 10⁹·(x² + 1) + sin y.</summary>
    [Differentiable]
    public static double Big(double x, double y) => 1e9 * (x * x + 1) + Math.Sin(y);

    [Derivative(nameof(Big), "x")]
    private static double BigDx(double x, double y) => 2e9 * x;

    [Derivative(nameof(Big), "y")]
    private static double BigDy(double x, double y) => Math.Cos(y);
}

/// <summary>The same f with ∂f/∂y = 2 cos y: wrong by cos y, tiny beside f.</summary>
public static partial class LargeValueWrongSlope
{
    /// <summary>f = 10⁹·(x² + 1) + sin y, <see cref="LargeValueRightSlope.Big(double, double)"/>'s value.</summary>
    [Differentiable]
    public static double Big(double x, double y) => LargeValueRightSlope.Big(x, y);

    [Derivative(nameof(Big), "x")]
    private static double BigDx(double x, double y) => 2e9 * x;

    [Derivative(nameof(Big), "y")]
    private static double BigDy(double x, double y) => 2 * Math.Cos(y);
}
