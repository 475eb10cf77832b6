using System;
using System.Linq;
using Xunit;

namespace AutoDiff.Tests.Checking;

/// <summary>
/// A rule that returns ±∞ where the true derivative is finite must fail the sweep: the tolerance rtol·max(|AD|, |FD|) is
/// ∞ there, and |∞ − FD| ≤ ∞ held. Closed forms are written here: d(x²)/dx = 2x, ∂(x·y)/∂y = x.
/// </summary>
public class DeclaredOpSweepInfiniteRuleTests
{
    [Fact]
    public void A_rule_that_is_infinite_for_negative_inputs_where_the_slope_is_finite_fails_there()
    {
        var report = DeclaredOpSweep.Run(typeof(InfiniteWhereFinite));

        var square = report.Failures.Where(f => f.Function == nameof(InfiniteWhereFinite.Square)).ToArray();
        Assert.NotEmpty(square);
        Assert.All(square, f =>
        {
            Assert.True(f.Point[0] < 0, f.ToString());
            Assert.Equal(double.NegativeInfinity, f.Ad);
            Assert.Equal(2 * f.Point[0], f.Reference, 1e-6 * Math.Max(1, Math.Abs(f.Point[0])));
        });
        // Every finite negative point fails: the ordinary −2.3 and −0.7, the edges −25, −100, −10³, −10⁻², −10⁻⁸, and the
        // side −10⁻⁴ of the rule's branch point 0.
        Assert.Equal([-1e3, -100, -25, -2.3, -0.7, -1e-2, -1e-4, -1e-8], square.Select(f => f.Point[0]).Order());
    }

    [Fact]
    public void A_rule_that_is_infinite_for_one_input_of_a_three_input_function_fails_for_that_input_only()
    {
        var report = DeclaredOpSweep.Run(typeof(InfiniteWhereFinite));

        var product = report.Failures.Where(f => f.Function == nameof(InfiniteWhereFinite.Product3)).ToArray();
        Assert.NotEmpty(product);
        Assert.All(product, f =>
        {
            Assert.Equal(1, f.Input);
            Assert.True(f.Point[1] > 20, f.ToString());
            Assert.Equal(double.PositiveInfinity, f.Ad);
            Assert.Equal(f.Point[0] * f.Point[2], f.Reference, 1e-6 * Math.Max(1, Math.Abs(f.Point[0] * f.Point[2])));
        });
    }

    [Fact]
    public void A_second_derivative_that_is_infinite_where_the_true_one_is_finite_fails_the_hessian_check()
    {
        // Cube's rule 3x² + 10⁻³⁰⁰·∛(x − 0.45) is right to the last bit at the first order, but its derivative, which the
        // Hessian uses, is 6x + ∞ at the ordinary point 0.45, where d²(x³)/dx² = 6·0.45 = 2.7.
        Assert.Equal(double.PositiveInfinity, AD.Hessian(v => InfiniteSecondDerivative.Cube(v[0]), [0.45])[0, 0]);

        var report = DeclaredOpSweep.Run(typeof(InfiniteSecondDerivative));

        var failure = Assert.Single(report.Failures);
        Assert.Equal([0.45], failure.Point);
        Assert.Equal(double.PositiveInfinity, failure.Ad);
        Assert.Equal(2.7, failure.Reference, 1e-6);
        Assert.Contains("second derivative", failure.Reason);
    }
}

/// <summary>A rule whose own derivative is +∞ at an ordinary point of the sweep.</summary>
public static partial class InfiniteSecondDerivative
{
    /// <summary>y = x³.</summary>
    [Differentiable]
    public static double Cube(double x) => x * x * x;

    [Derivative(nameof(Cube))]
    private static double CubeD(double x) => 3.0 * x * x + 1e-300 * Math.Cbrt(x - 0.45);
}

/// <summary>Rules that return ±∞ where the function's slope is finite.</summary>
public static partial class InfiniteWhereFinite
{
    /// <summary>y = x²; the rule is −∞ for x &lt; 0 instead of 2x.</summary>
    [Differentiable]
    public static double Square(double x) => x * x;

    [Derivative(nameof(Square))]
    private static double SquareD(double x) => x < 0.0 ? double.NegativeInfinity : 2.0 * x;

    /// <summary>y = x·y·z; ∂/∂y is +∞ for y &gt; 20 instead of x·z.</summary>
    [Differentiable]
    public static double Product3(double x, double y, double z) => x * y * z;

    [Derivative(nameof(Product3), "y")]
    private static double Product3Dy(double x, double y, double z) => y > 20.0 ? double.PositiveInfinity : x * z;
}
