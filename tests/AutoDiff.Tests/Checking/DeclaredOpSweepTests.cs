using System;
using Xunit;

namespace AutoDiff.Tests.Checking;

public class DeclaredOpSweepTests
{
    [Fact]
    public void Every_declared_op_of_the_library_passes_the_sweep_at_ordinary_and_edge_points()
    {
        var report = DeclaredOpSweep.Assert(typeof(AutoDiff.Ops));

        Assert.Contains("LogSigmoid", report.Functions);
        Assert.Contains("Pow", report.Functions);
        Assert.True(report.Functions.Count >= 22, string.Join(", ", report.Functions));
        Assert.True(report.PointsChecked >= 450, $"{report.PointsChecked} points"); // 18 per one-input op, 31 per two-input op
        Assert.Empty(report.WithoutSecondOrder); // every library op's Hessian agrees with finite differences of its gradient
    }

    [Fact]
    public void User_functions_with_derived_rules_pass_the_sweep_at_both_orders()
    {
        var report = DeclaredOpSweep.Assert(typeof(AutoDiff.Tests.SecondOrder.DeclaredDensities));

        Assert.Equal(5, report.Functions.Count);
        Assert.Empty(report.WithoutSecondOrder);
    }

    [Fact]
    public void A_user_function_whose_rule_cannot_be_differentiated_again_is_listed_not_failed()
    {
        var report = DeclaredOpSweep.Run(typeof(FirstOrderOnly));

        Assert.Empty(report.Failures);
        Assert.Equal(["Arctan"], report.WithoutSecondOrder);
        var error = Assert.Throws<NotSupportedException>(() => AD.Hessian(v => FirstOrderOnly.Arctan(v[0]), [0.5]));
        Assert.Contains("Arctan", error.Message);
        Assert.Contains("Math.Atan2", error.Message);
    }

    [Fact]
    public void A_wrong_rule_in_user_code_is_caught_with_the_point_and_both_values()
    {
        var report = DeclaredOpSweep.Run(typeof(DeliberatelyWrong));

        Assert.Contains("Cube", report.Functions);
        var failure = Assert.Single(report.Failures, f => f.Function == "Cube" && f.Input == 0 && f.Point[0] == 0.45);
        Assert.Equal(2 * 0.45 * 0.45, failure.Ad, 1e-15);       // the wrong rule's 2x²
        Assert.Equal(3 * 0.45 * 0.45, failure.Reference, 1e-8); // finite differences find 3x²
        Assert.Contains("Cube(0.45), input 0", failure.ToString());
        Assert.Throws<InvalidOperationException>(() => DeclaredOpSweep.Assert(typeof(DeliberatelyWrong)));
    }

    [Fact]
    public void A_rule_wrong_only_in_a_tail_branch_is_caught_there()
    {
        var report = DeclaredOpSweep.Run(typeof(DeliberatelyWrong));

        // Ramp's rule is right for x < 20 and wrong beyond: the sweep checks both sides of the branch point the generator
        // found in the body (x < 20), and the large-argument edge points.
        Assert.Contains(report.Failures, f => f.Function == "Ramp" && f.Point[0] >= 25);
        var justAbove = Assert.Single(report.Failures, f => f.Function == "Ramp" && f.Point[0] > 20 && f.Point[0] < 20.01);
        Assert.Equal(1.0, justAbove.Ad);
        Assert.True(justAbove.Reference > 1.5, $"{justAbove}"); // the finite difference nearest to the wrong 1 still sees the slope 2
        Assert.DoesNotContain(report.Failures, f => f.Function == "Ramp" && Math.Abs(f.Point[0]) < 20);
    }
}

/// <summary>A declaration whose rule is right but uses a function the generator has no derivative for.</summary>
public static partial class FirstOrderOnly
{
    /// <summary>y = atan x, with the explicit rule 1/(1 + x²) written as cos²(atan2(x, 1)), which the generator cannot differentiate.</summary>
    [Differentiable]
    public static double Arctan(double x) => Math.Atan(x);

    [Derivative(nameof(Arctan))]
    private static double ArctanDerivative(double x) => Math.Cos(Math.Atan2(x, 1.0)) * Math.Cos(Math.Atan2(x, 1.0));
}

/// <summary>User-style declarations with deliberate mistakes, for the sweep to find.</summary>
public static partial class DeliberatelyWrong
{
    /// <summary>y = x³, declared with the wrong derivative 2x².</summary>
    [Differentiable]
    public static double Cube(double x) => x * x * x;

    [Derivative(nameof(Cube))]
    private static double CubeDerivative(double x) => 2 * x * x;

    /// <summary>y = x for x &lt; 20, else 2x − 20; the rule forgets the slope 2 of the second branch.</summary>
    [Differentiable]
    public static double Ramp(double x) => x < 20 ? x : 2 * x - 20;

    [Derivative(nameof(Ramp))]
    private static double RampDerivative(double x) => 1.0;
}
