using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace AutoDiff.Tests.Checking;

/// <summary>
/// The sweep's check of generated tensor kernels against the <see cref="Var"/> overloads. The generator's kernels agree
/// with the overloads everywhere the sweep looks (the library's, and these tests' declarations), so a disagreeing kernel
/// is made by pairing one function's <see cref="Var"/> overload with another function's tensor overload.
/// </summary>
public class DeclaredOpSweepTensorKernelTests
{
    private const BindingFlags Static = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;

    [Fact]
    public void The_tensor_kernel_of_every_library_op_and_user_function_agrees_with_its_Var_overload()
    {
        foreach (var type in new[] { typeof(AutoDiff.Ops), typeof(AutoDiff.Tests.SecondOrder.DeclaredDensities), typeof(AutoDiff.Tests.Tensors.FusedFunctions) })
        {
            var report = DeclaredOpSweep.Assert(type);

            Assert.Equal(report.Functions, report.TensorKernelsChecked);
        }
    }

    [Fact]
    public void A_tensor_kernel_with_another_slope_fails_at_every_point_with_both_values()
    {
        // WrongSlope's tensor kernel holds the rule 2.5x² where Right's Var overload records 3x²; both values are x³.
        var failures = Check(nameof(SlopePairs.Right), nameof(SlopePairs.WrongSlope), arity: 1, [[0.45], [1.3], [-2.3]]);

        foreach (double x in new[] { 0.45, 1.3, -2.3 })
        {
            var failure = Assert.Single(failures, f => f.Point[0] == x && f.Input == 0);
            Assert.Equal(2.5 * x * x, failure.Ad, 1e-12);        // the wrong kernel's 2.5x²
            Assert.Equal(3 * x * x, failure.Reference, 1e-12);   // the Var overload's 3x²
            Assert.Contains("tensor kernel's partial differs from the Var overload's (elementwise inputs)", failure.Reason);
            Assert.Contains(", input 0: tensor kernel ", failure.ToString());
        }

        Assert.DoesNotContain(failures, f => f.Input == -1); // the values agree
    }

    [Fact]
    public void A_tensor_kernel_with_another_value_fails_outside_and_inside_a_recording()
    {
        var failures = Check(nameof(SlopePairs.Right), nameof(SlopePairs.Shifted), arity: 1, [[0.45]]);

        Assert.Equal(2, failures.Count(f => f.Input == -1));
        Assert.All(failures.Where(f => f.Input == -1), f =>
        {
            Assert.Equal(Math.Pow(0.45, 3) + 1e-3, f.Ad, 1e-14);
            Assert.Equal(Math.Pow(0.45, 3), f.Reference, 1e-14);
        });
        Assert.Contains(failures, f => f.Reason.Contains("value differs"));
        Assert.Contains(failures, f => f.Reason.Contains("value while recording differs"));
    }

    [Fact]
    public void A_wrong_partial_of_an_input_broadcast_from_a_scalar_fails_at_each_point_and_as_the_sum_over_the_points()
    {
        // Product(x, y) = x·y with ∂/∂y = x; the wrong kernel says 2x. Points varying x with y = 0.7: the gradient of the
        // rank-0 y is Σ ∂/∂y over the 8 lanes (the three points and five copies of the first), and with one point in all 8
        // lanes it is 8·∂/∂y there.
        double[][] points = [[0.45, 0.7], [1.3, 0.7], [-2.3, 0.7]];
        var failures = Check(nameof(SlopePairs.Product), nameof(SlopePairs.ProductWrongInY), arity: 2, points);

        double[] lanes = [0.45, 1.3, -2.3, 0.45, 0.45, 0.45, 0.45, 0.45];
        var summed = Assert.Single(failures, f => f.Reason.Contains("summed over 8 lanes"));
        Assert.Equal(1, summed.Input);
        Assert.Equal(2 * lanes.Sum(), summed.Ad, 1e-12);
        Assert.Equal(lanes.Sum(), summed.Reference, 1e-12);
        foreach (double x in new[] { 0.45, 1.3, -2.3 })
        {
            var alone = Assert.Single(failures, f => f.Point[0] == x && f.Reason.Contains("partial of a rank-0 input"));
            Assert.Equal(1, alone.Input);
            Assert.Equal(2 * x, alone.Ad, 1e-12);
            Assert.Equal(x, alone.Reference, 1e-12);
        }

        // Elementwise, y's partial fails at each point; x's agrees.
        Assert.Equal(3, failures.Count(f => f.Input == 1 && f.Reason.Contains("elementwise")));
        Assert.DoesNotContain(failures, f => f.Input == 0);
    }

    [Fact]
    public void A_kernel_wrong_only_for_a_rank_0_input_fails_at_each_finite_point_even_where_the_sweep_also_visits_infinity()
    {
        // The kernel is x·y's, but with ∂/∂y = 2x when y is rank-0 (as a broadcast loop of its own could have it): right in
        // the elementwise layout. The points vary x with y = 0.7, as the sweep's edge points of x do, ±∞ among them, where
        // x·y and ∂/∂y = x are infinite. The sum over the lanes, the only check of a rank-0 input's gradient until now, was
        // skipped whenever a point's value or partial was not finite, so this kernel passed the sweep of any function
        // infinite at ±∞.
        double[] xs = [0.45, 1.3, -2.3, 1e3, double.PositiveInfinity, double.NegativeInfinity];
        var recorded = typeof(SlopePairs).GetMethod(nameof(SlopePairs.Product), Static, [typeof(Var), typeof(Var)])!;
        var kernel = typeof(DeclaredOpSweepTensorKernelTests).GetMethod(nameof(ProductWrongWhenYIsRank0), Static)!;
        var failures = new List<DeclaredOpSweepFailure>();
        TensorKernelCheck.Run("Product", recorded, kernel, xs.Select(x => new[] { x, 0.7 }).ToArray(), 1e-5, 1e-10, failures);

        Assert.All(failures, f => Assert.Equal(1, f.Input));
        Assert.DoesNotContain(failures, f => f.Reason.Contains("elementwise"));
        // At each finite x the kernel's 2x against x; at ±∞ both are ±∞ and agree.
        foreach (double x in xs.Where(double.IsFinite))
        {
            var alone = Assert.Single(failures, f => f.Point[0] == x && f.Reason.Contains("partial of a rank-0 input"));
            Assert.Equal(2 * x, alone.Ad, 1e-9);
            Assert.Equal(x, alone.Reference, 1e-9);
            Assert.Contains("input 0 a vector, the others rank-0 tensors", alone.Reason);
        }

        // The sum over the points whose values and partials are finite (four, padded with four copies of 0.45).
        double[] lanes = [0.45, 1.3, -2.3, 1e3, 0.45, 0.45, 0.45, 0.45];
        var summed = Assert.Single(failures, f => f.Reason.Contains("summed over 8 lanes"));
        Assert.Equal(2 * lanes.Sum(), summed.Ad, 1e-9);
        Assert.Equal(lanes.Sum(), summed.Reference, 1e-9);
        Assert.Equal(xs.Count(double.IsFinite) + 1, failures.Count);
    }

    [Fact]
    public void A_rank_0_gradient_that_overflows_only_as_a_sum_over_the_points_is_not_a_failure()
    {
        // y·(x²)^51.33 has ∂/∂y = 10^(6·51.33) ≈ 9.5·10³⁰⁷ at x = ±10³: each finite, their sum beyond double.MaxValue.
        double large = Math.Pow(1e6, 51.33);
        Assert.True(double.IsFinite(large) && double.IsInfinity(large + large));
        var recorded = typeof(Overflowing).GetMethod(nameof(Overflowing.Big), Static, [typeof(Var), typeof(Var)])!;
        var kernel = typeof(Overflowing).GetMethod(nameof(Overflowing.Big), Static, [typeof(Tensor), typeof(Tensor)])!;
        var failures = new List<DeclaredOpSweepFailure>();

        TensorKernelCheck.Run("Big", recorded, kernel, [[0.45, 1.3], [1e3, 1.3], [-1e3, 1.3]], 1e-5, 1e-10, failures);

        Assert.Empty(failures.Select(f => f.ToString()));
        Assert.Empty(DeclaredOpSweep.Run(typeof(Overflowing)).Failures.Select(f => f.ToString()));
    }

    /// <summary>x·y's tensor kernel, but <see cref="SlopePairs.ProductWrongInY"/>'s (∂/∂y = 2x) when y is rank-0.</summary>
    internal static Tensor ProductWrongWhenYIsRank0(Tensor x, Tensor y) => y.Rank == 0 ? SlopePairs.ProductWrongInY(x, y) : SlopePairs.Product(x, y);

    [Fact]
    public void Infinite_and_NaN_values_must_match_exactly()
    {
        // Right is x³: at +∞ the kernel of Shifted gives ∞ too (equal), at NaN both give NaN; no failure there.
        var failures = Check(nameof(SlopePairs.Right), nameof(SlopePairs.Shifted), arity: 1, [[double.PositiveInfinity], [double.NaN]]);
        Assert.Empty(failures);

        // NegatedAtInfinity returns −∞ where x³ is +∞: a different infinity is a disagreement, however large the tolerance.
        var infinite = Check(nameof(SlopePairs.Right), nameof(SlopePairs.NegatedAtInfinity), arity: 1, [[double.PositiveInfinity]]);
        Assert.Contains(infinite, f => f.Input == -1 && f.Ad == double.NegativeInfinity && f.Reference == double.PositiveInfinity);
    }

    private static List<DeclaredOpSweepFailure> Check(string varFunction, string tensorFunction, int arity, double[][] points)
    {
        var recorded = typeof(SlopePairs).GetMethod(varFunction, Static, Enumerable.Repeat(typeof(Var), arity).ToArray())!;
        var tensor = typeof(SlopePairs).GetMethod(tensorFunction, Static, Enumerable.Repeat(typeof(Tensor), arity).ToArray())!;
        var failures = new List<DeclaredOpSweepFailure>();
        TensorKernelCheck.Run(varFunction, recorded, tensor, points, 1e-5, 1e-10, failures);
        return failures;
    }
}

/// <summary>Functions that share a value and differ in a rule, or differ in the value: one's Var overload against another's tensor kernel.</summary>
public static partial class SlopePairs
{
    /// <summary>x³, dx = 3x².</summary>
    [Differentiable]
    public static double Right(double x) => x * x * x;

    /// <summary>x³ with a wrong rule 2.5x².</summary>
    [Differentiable]
    public static double WrongSlope(double x) => x * x * x;

    [Derivative(nameof(WrongSlope))]
    private static double WrongSlopeDerivative(double x) => 2.5 * x * x;

    /// <summary>x³ + 10⁻³.</summary>
    [Differentiable]
    public static double Shifted(double x) => x * x * x + 1e-3;

    /// <summary>x³, but −∞ at +∞.</summary>
    [Differentiable]
    public static double NegatedAtInfinity(double x) => double.IsPositiveInfinity(x) ? double.NegativeInfinity : x * x * x;

    [Derivative(nameof(NegatedAtInfinity))]
    private static double NegatedAtInfinityDerivative(double x) => 3 * x * x;

    /// <summary>x·y.</summary>
    [Differentiable]
    public static double Product(double x, double y) => x * y;

    /// <summary>x·y with a wrong ∂/∂y = 2x.</summary>
    [Differentiable]
    public static double ProductWrongInY(double x, double y) => x * y;

    [Derivative(nameof(ProductWrongInY), "x")]
    private static double ProductWrongInYDx(double x, double y) => y;

    [Derivative(nameof(ProductWrongInY), "y")]
    private static double ProductWrongInYDy(double x, double y) => 2 * x;
}

/// <summary>A function whose partial in y is finite at x = ±10³ but whose two partials there sum past double.MaxValue.</summary>
public static partial class Overflowing
{
    /// <summary>y·(x²)^51.33.</summary>
    [Differentiable]
    public static double Big(double x, double y) => y * Math.Pow(x * x, 51.33);
}
