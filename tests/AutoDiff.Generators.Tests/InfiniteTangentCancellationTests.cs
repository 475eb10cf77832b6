using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>
/// A derived rule where one value with an infinite derivative (√x, ∛x at 0) reaches the result along several paths
/// whose contributions partly or wholly cancel. Until 2026-11-29 the derived rule was forward mode throughout: it added
/// the paths' tangents, ∞ − ∞ = NaN. The tape, and the function's own limit, add the paths' weights first (1 − ½ = ½, or
/// 1 − 1 = 0) and only then multiply by the infinite partial: +∞ for √x − ½√x at 0, and 0 (no adjoint reaches √x) for
/// (√x + y) − (√x − y), which does not depend on x at all. The derived rule now does the same for every value the body
/// uses more than once (a local, or a repeated subexpression). Found by DeclaredFunctionFuzzTests
/// (AUTODIFF_FUZZ_FIRST=1000, batch 1028, F11, whose body holds (t0 − (−0.0)) − (t0 − (−0.0)) with t0 = Ops.Sqrt(x0)).
/// Every expected value is the function's closed form or its one-sided limit, worked out by hand in the comments.
/// </summary>
public class InfiniteTangentCancellationTests
{
    private const double Tolerance = 1e-12;

    private const string Source = """
        #pragma warning disable CS1591
        using System;
        using AutoDiff;

        namespace Models.Cancel;

        public static partial class Cancel
        {
            [Differentiable] public static double HalfRoot(double x) => Math.Sqrt(x) - 0.5 * Math.Sqrt(x);

            [Differentiable] public static double Flat(double x, double y)
            {
                double r = Math.Sqrt(x);
                return (r + y) - (r - y);
            }

            [Differentiable] public static double TwoCubeRoots(double x) => Math.Cbrt(x) * 3.0 - Math.Cbrt(x);

            [Differentiable] public static double ThreeUsesCancel(double x, double y)
            {
                double r = Math.Sqrt(x);
                return r + r - 2.0 * r + y;
            }

            [Differentiable] public static double ThreeUsesLeaveOne(double x)
            {
                double r = Math.Cbrt(x);
                return 2.0 * r + r - 2.0 * r;
            }

            [Differentiable] public static double Nested(double x)
            {
                double r = Math.Sqrt(x);
                double q = r - 0.5 * r;
                return q * 2.0 + q;
            }

            [Differentiable] public static double Branch(double x, double y)
            {
                double r = Math.Sqrt(x);
                return y > 0.0 ? (r + y) - (r - y) : r - 0.5 * r;
            }

            [Differentiable] public static double Gate(double x) => Math.Sqrt(x) < 1.0 ? Math.Sqrt(x) - 0.5 * Math.Sqrt(x) : x;

            [Differentiable] public static double LibraryHalfRoot(double x) => Ops.Sqrt(x) - 0.5 * Ops.Sqrt(x);

            [Differentiable] public static double LibraryFlat(double x, double y)
            {
                double r = Ops.Sqrt(x);
                return (r + y) - (r - y);
            }

            [Differentiable] public static double Mixed(double x, double y)
            {
                double r = Math.Sqrt(x);
                return r * y - 0.5 * r;
            }
        }
        """;

    private static readonly Lazy<Type> s_type = new(() => GeneratorHarness.CompileAndLoad(Source, "CancelFunctions", "Models.Cancel.Cancel"));

    private static MethodInfo Method(string name, int inputs, Type type) =>
        s_type.Value.GetMethod(name, Enumerable.Repeat(type, inputs).ToArray())!;

    private static double[] Gradient(string name, params double[] x)
    {
        MethodInfo method = Method(name, x.Length, typeof(Var));
        using (Tape.Scope())
        {
            var leaves = x.Select(Var.Leaf).ToArray();
            var y = (Var)method.Invoke(null, leaves.Cast<object>().ToArray())!;
            y.Backward();
            return leaves.Select(v => v.Grad).ToArray();
        }
    }

    private static double[,] Hessian(string name, params double[] x)
    {
        MethodInfo method = Method(name, x.Length, typeof(Var));
        return AD.Hessian(v => (Var)method.Invoke(null, v.Cast<object>().ToArray())!, x);
    }

    // The fused tensor kernel (the vector translation of the emitted rule, 8 lanes and a scalar tail): the gradient of
    // Sum(f(x, y)) with respect to each input, elementwise.
    private static double[][] TensorGradient(string name, params double[][] x)
    {
        MethodInfo method = Method(name, x.Length, typeof(Tensor));
        return AD.Grad(t => Ops.Sum((Tensor)method.Invoke(null, t.Cast<object>().ToArray())!), x.Select(v => Tensor.Vector(v)).ToArray())
            .Select(g => g.ToArray())
            .ToArray();
    }

    private static void Close(double expected, double actual) =>
        Assert.True(expected == actual || Math.Abs(expected - actual) <= Tolerance * Math.Max(1.0, Math.Abs(expected)), $"expected {expected}, got {actual}");

    // ½√x: one-sided slope +∞ at 0, ¼/√x = 1/8 at 4; curvature −⅛x^(−3/2) = −1/64 at 4.
    [Fact]
    public void Paths_that_partly_cancel_keep_the_infinite_slope()
    {
        Assert.Equal(double.PositiveInfinity, Gradient("HalfRoot", 0.0)[0]);
        Close(0.125, Gradient("HalfRoot", 4.0)[0]);
    }

    // 2y: slope (0, 2) everywhere, at x = 0 too.
    [Fact]
    public void Paths_that_cancel_give_the_zero_slope_of_a_function_that_does_not_read_the_input()
    {
        Assert.Equal([0.0, 2.0], Gradient("Flat", 0.0, 1.3));
        Assert.Equal([0.0, 2.0], Gradient("Flat", 4.0, 1.3));
    }

    // 2∛x: slope +∞ at 0 (from either side), ⅔x^(−2/3) = 1/6 at 8.
    [Fact]
    public void Cube_roots_that_partly_cancel_keep_the_infinite_slope()
    {
        Assert.Equal(double.PositiveInfinity, Gradient("TwoCubeRoots", 0.0)[0]);
        Close(1.0 / 6.0, Gradient("TwoCubeRoots", 8.0)[0]);
    }

    // r + r − 2r + y = y: slope (0, 1). 2r + r − 2r = ∛x: +∞ at 0, 1/12 at 8.
    [Fact]
    public void A_value_used_three_times_sums_its_three_weights_first()
    {
        Assert.Equal([0.0, 1.0], Gradient("ThreeUsesCancel", 0.0, 1.3));
        Assert.Equal([0.0, 1.0], Gradient("ThreeUsesCancel", 4.0, 1.3));
        Assert.Equal(double.PositiveInfinity, Gradient("ThreeUsesLeaveOne", 0.0)[0]);
        Close(1.0 / 12.0, Gradient("ThreeUsesLeaveOne", 8.0)[0]);
    }

    // q = ½√x, used twice: 3q = 1.5√x, slope +∞ at 0 and 0.75/√x = 0.375 at 4.
    [Fact]
    public void A_shared_value_built_from_another_shared_value_passes_its_summed_weight_down()
    {
        Assert.Equal(double.PositiveInfinity, Gradient("Nested", 0.0)[0]);
        Close(0.375, Gradient("Nested", 4.0)[0]);
    }

    // y > 0: 2y, slope (0, 2). y ≤ 0: ½√x, slope (+∞, 0) at x = 0 and (1/8, 0) at 4.
    [Fact]
    public void A_shared_value_inside_a_conditional_cancels_in_the_branch_taken()
    {
        Assert.Equal([0.0, 2.0], Gradient("Branch", 0.0, 1.3));
        Assert.Equal([double.PositiveInfinity, 0.0], Gradient("Branch", 0.0, -1.0));
        Assert.Equal([0.0, 2.0], Gradient("Branch", 4.0, 1.3));
        Assert.Equal([0.125, 0.0], Gradient("Branch", 4.0, -1.0));
    }

    // √x < 1 (x < 1): ½√x, slope +∞ at 0 and ¼/√x = 1/2 at ¼; x ≥ 1: x, slope 1. √x is also read by the condition.
    [Fact]
    public void A_shared_value_read_by_a_condition_too()
    {
        Assert.Equal(double.PositiveInfinity, Gradient("Gate", 0.0)[0]);
        Close(0.5, Gradient("Gate", 0.25)[0]);
        Assert.Equal(1.0, Gradient("Gate", 4.0)[0]);
    }

    // Ops.Sqrt, the library's function, derived by its chain rule: as Math.Sqrt above.
    [Fact]
    public void Paths_through_a_library_call_cancel_as_through_Math()
    {
        Assert.Equal(double.PositiveInfinity, Gradient("LibraryHalfRoot", 0.0)[0]);
        Close(0.125, Gradient("LibraryHalfRoot", 4.0)[0]);
        Assert.Equal([0.0, 2.0], Gradient("LibraryFlat", 0.0, 1.3));
        Assert.Equal([0.0, 2.0], Gradient("LibraryFlat", 4.0, 1.3));
    }

    // (y − ½)√x: ∂x = (y − ½)/(2√x), ∂y = √x. At y = ½ the function is 0 for every x, so ∂x = 0 at x = 0 too (the weight
    // y − ½ of √x is 0, not a literal: the zero-factor rule at run time); at y = 1.5 it is +∞ there.
    [Fact]
    public void A_weight_that_is_zero_only_at_run_time_hands_nothing_down()
    {
        Assert.Equal([0.0, 0.0], Gradient("Mixed", 0.0, 0.5));
        Assert.Equal([double.PositiveInfinity, 0.0], Gradient("Mixed", 0.0, 1.5));
        double[] g = Gradient("Mixed", 4.0, 1.5);
        Close(0.25, g[0]);
        Close(2.0, g[1]);
    }

    // Second derivatives, derived from the emitted rules: ½√x: −1/64 at 4, and the one-sided limit −∞ at 0. 2∛x: −(4/9)x^(−5/3) = −1/72 at 8. 2y: 0
    // everywhere. (y − ½)√x at (4, 1.5): ∂xx = −(y − ½)/(4x^(3/2)) = −1/32, ∂xy = 1/(2√x) = 1/4, ∂yy = 0.
    [Fact]
    public void Hessians_through_the_accumulated_rules()
    {
        Close(-1.0 / 64.0, Hessian("HalfRoot", 4.0)[0, 0]);
        Assert.Equal(double.NegativeInfinity, Hessian("HalfRoot", 0.0)[0, 0]);
        Close(-1.0 / 72.0, Hessian("TwoCubeRoots", 8.0)[0, 0]);
        Assert.Equal(new double[,] { { 0.0, 0.0 }, { 0.0, 0.0 } }, Hessian("Flat", 0.0, 1.3));
        Assert.Equal(new double[,] { { 0.0, 0.0 }, { 0.0, 0.0 } }, Hessian("Flat", 4.0, 1.3));
        double[,] h = Hessian("Mixed", 4.0, 1.5);
        Close(-1.0 / 32.0, h[0, 0]);
        Close(0.25, h[0, 1]);
        Close(0.25, h[1, 0]);
        Close(0.0, h[1, 1]);
    }

    // The tensor overloads run the vector translation of the same rules: lane by lane as the closed forms above.
    [Fact]
    public void The_fused_tensor_kernels_agree_lane_by_lane()
    {
        double[] x = [0.0, 4.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 0.0];
        double[] expected = x.Select(v => v == 0.0 ? double.PositiveInfinity : 0.125).ToArray();
        double[] halfRoot = TensorGradient("HalfRoot", x)[0];
        for (int i = 0; i < x.Length; i++)
        {
            Close(expected[i], halfRoot[i]);
        }

        double[][] flat = TensorGradient("Flat", x, Enumerable.Repeat(1.3, x.Length).ToArray());
        Assert.Equal(new double[x.Length], flat[0]);
        Assert.Equal(Enumerable.Repeat(2.0, x.Length).ToArray(), flat[1]);
    }
}
