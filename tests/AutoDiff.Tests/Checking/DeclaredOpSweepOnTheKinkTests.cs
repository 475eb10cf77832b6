using System;
using System.Linq;
using Xunit;

namespace AutoDiff.Tests.Checking;

/// <summary>
/// The sweep exactly on a branch point and on a branch line, not only on both sides: a special case that holds only
/// there (x == 1, x == y) is a branch no other point takes, and a rule wrong in it was never evaluated. Expected slopes
/// are closed forms: sinc′(0) = 0, and the divided difference (eˣ − eʸ)/(x − y) = ∫₀¹ e^(y + s(x − y)) ds has
/// ∂/∂x = ∂/∂y = eᵗ/2 on the tie x = y = t.
/// </summary>
public class DeclaredOpSweepOnTheKinkTests
{
    [Fact]
    public void A_special_case_rule_wrong_exactly_at_a_branch_point_fails_there()
    {
        // sinc(x − 1) with the value 1 at x = 1; the rule says 1 there, where the slope is 0. x == 1.0 marks 1.
        var report = DeclaredOpSweep.Run(typeof(ShiftedSinc));

        var failure = Assert.Single(report.Failures);
        Assert.Equal([1.0], failure.Point);
        Assert.Equal(1.0, failure.Ad);
        Assert.Equal(0.0, failure.Reference, 1e-6);

        Assert.Empty(DeclaredOpSweep.Run(typeof(CorrectShiftedSinc)).Failures.Select(f => f.ToString()));
    }

    [Fact]
    public void A_rule_that_forgets_the_tie_of_a_divided_difference_fails_on_the_line()
    {
        // The rule (eˣ − f)/(x − y) is 0/0 = NaN on x = y, where the function's special case gives eˣ. The sweep crosses
        // x = y from (−0.7, 1.3): x = 1.3 at y = 1.3, and y = −0.7 at x = −0.7; each partial fails on the line.
        var report = DeclaredOpSweep.Run(typeof(DividedDifferenceWithoutTie));

        Assert.Equal(4, report.Failures.Count);
        foreach (double t in new[] { 1.3, -0.7 })
        {
            foreach (int input in new[] { 0, 1 })
            {
                var failure = Assert.Single(report.Failures, f => f.Point[0] == t && f.Point[1] == t && f.Input == input);
                Assert.True(double.IsNaN(failure.Ad));
                Assert.Equal(Math.Exp(t) / 2, failure.Reference, 1e-6 * Math.Exp(t));
            }
        }

        var correct = DeclaredOpSweep.Run(typeof(DividedDifference));
        Assert.Empty(correct.Failures.Select(f => f.ToString()));
        Assert.Equal([Math.Exp(1.3) / 2, Math.Exp(1.3) / 2], AD.Grad(v => DividedDifference.Divided(v[0], v[1]), [1.3, 1.3]));
    }
}

/// <summary>sinc(x − 1), 1 at x = 1, with a rule whose special case says 1 (the slope is 0).</summary>
public static partial class ShiftedSinc
{
    /// <summary>sin(x − 1)/(x − 1), 1 at x = 1.</summary>
    [Differentiable]
    public static double Sinc(double x) => x == 1.0 ? 1.0 : Math.Sin(x - 1.0) / (x - 1.0);

    [Derivative(nameof(Sinc))]
    private static double SincDerivative(double x) => x == 1.0 ? 1.0 : (Math.Cos(x - 1.0) * (x - 1.0) - Math.Sin(x - 1.0)) / ((x - 1.0) * (x - 1.0));
}

/// <summary>sinc(x − 1) with the correct special case 0 of its rule.</summary>
public static partial class CorrectShiftedSinc
{
    /// <summary>sin(x − 1)/(x − 1), 1 at x = 1.</summary>
    [Differentiable]
    public static double Sinc(double x) => x == 1.0 ? 1.0 : Math.Sin(x - 1.0) / (x - 1.0);

    [Derivative(nameof(Sinc))]
    private static double SincDerivative(double x) => x == 1.0 ? 0.0 : (Math.Cos(x - 1.0) * (x - 1.0) - Math.Sin(x - 1.0)) / ((x - 1.0) * (x - 1.0));
}

/// <summary>(eˣ − eʸ)/(x − y), eˣ on x = y, with rules that forget the tie.</summary>
public static partial class DividedDifferenceWithoutTie
{
    /// <summary>The divided difference of exp.</summary>
    [Differentiable]
    public static double Divided(double x, double y) => x == y ? Math.Exp(x) : (Math.Exp(x) - Math.Exp(y)) / (x - y);

    [Derivative(nameof(Divided), "x")]
    private static double DividedDx(double x, double y, double result) => (Math.Exp(x) - result) / (x - y);

    [Derivative(nameof(Divided), "y")]
    private static double DividedDy(double x, double y, double result) => (result - Math.Exp(y)) / (x - y);
}

/// <summary>(eˣ − eʸ)/(x − y), eˣ on x = y, with its correct rules: eˣ/2 and eʸ/2 on the tie.</summary>
public static partial class DividedDifference
{
    /// <summary>The divided difference of exp.</summary>
    [Differentiable]
    public static double Divided(double x, double y) => x == y ? Math.Exp(x) : (Math.Exp(x) - Math.Exp(y)) / (x - y);

    [Derivative(nameof(Divided), "x")]
    private static double DividedDx(double x, double y, double result) => x == y ? Math.Exp(x) / 2 : (Math.Exp(x) - result) / (x - y);

    [Derivative(nameof(Divided), "y")]
    private static double DividedDy(double x, double y, double result) => x == y ? Math.Exp(y) / 2 : (result - Math.Exp(y)) / (x - y);
}
