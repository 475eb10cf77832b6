using System;
using AutoDiff.Tests.Tensors;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

/// <summary>
/// <see cref="AutoDiff.Tape.CheckFinite"/> in the reverse sweep: the first operation whose rule turns finite adjoints and
/// partials into a NaN or ±∞ adjoint throws, naming itself, the input and the values. Before, every case here returned an
/// infinite gradient without an exception, as it still does without checking.
/// </summary>
public class SweepFiniteCheckTests
{
    // x·√u at x = 1e300, u = 1e-300: the value 1e150 and every partial are finite, but ∂/∂u = x · ½/√u = 1e300 · 5e149.
    private static Var ScaledRoot(Var[] v) => v[0] * Sqrt(v[1]);

    [Fact]
    public void An_adjoint_times_a_partial_that_overflows_names_the_operation_its_input_and_both_factors()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Grad(ScaledRoot, [1e300, 1e-300]));

        Assert.Equal(
            "Sqrt produced Infinity in the reverse sweep as the adjoint of its input 0: the incoming adjoint 1E+300 times the local derivative 5E+149.",
            error.Message);
        Assert.Equal("Sqrt", error.Operation);
        Assert.Equal(0, error.InputPosition);
        Assert.Equal(1e300, error.IncomingAdjoint);
        Assert.Equal([5e149], error.Partials);
        Assert.Equal(double.PositiveInfinity, error.Result);
    }

    [Fact]
    public void Without_checking_the_same_gradient_is_infinite_and_nothing_throws()
    {
        var gradient = AD.Grad(ScaledRoot, [1e300, 1e-300]);

        Assert.Equal(Math.Sqrt(1e-300), gradient[0]);
        Assert.Equal(double.PositiveInfinity, gradient[1]);
    }

    [Fact]
    public void The_first_operation_to_overflow_is_named_not_the_ones_below_it_that_pass_the_infinity_on()
    {
        // √(u²) at u = 1e-150: Sqrt makes the adjoint ∞; Square, below it, would multiply that ∞ by 2u.
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => v[0] * Sqrt(Square(v[1])), [1e300, 1e-150]));

        Assert.Equal("Sqrt", error.Operation);
        Assert.StartsWith("Sqrt produced Infinity in the reverse sweep as the adjoint of its input 0: the incoming adjoint 1E+300", error.Message);
    }

    [Fact]
    public void A_constant_operand_before_the_variable_counts_in_the_input_position()
    {
        // 1e300 · (1e10 · x): the product's adjoint 1e300 times ∂(1e10 · x)/∂x = 1e10. x is Multiply's operand 1.
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => 1e300 * (1e10 * v[0]), [1e-20]));

        Assert.Equal(
            "Multiply produced Infinity in the reverse sweep as the adjoint of its input 1: the incoming adjoint 1E+300 times the local derivative 10000000000.",
            error.Message);
        Assert.Equal(1, error.InputPosition);
    }

    [Fact]
    public void Contributions_that_overflow_only_when_summed_name_the_one_that_tipped_the_adjoint_over()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => v[0] * 1e308 + v[0] * 1e308, [1e-300]));

        Assert.Equal(
            "Multiply produced Infinity in the reverse sweep as the adjoint of its input 0: the incoming adjoint 1 times the local derivative 1E+308, added to the 1E+308 its adjoint already held.",
            error.Message);
    }

    [Fact]
    public void N_ary_records_and_declared_functions_are_checked_by_operand_position()
    {
        using var check = AutoDiff.Tape.CheckFinite();

        // Dot: one node, one edge per variable, the weights the partials.
        var dot = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => 1e300 * Dot([v[0], v[1]], [1.0, 1e10]), [1.0, 1e-20]));
        Assert.Equal(
            "Dot produced Infinity in the reverse sweep as the adjoint of its input 1: the incoming adjoint 1E+300 times the local derivative 10000000000.",
            dot.Message);

        // A declared function of three Vars (one n-ary node, swept last input first): ∂Blend/∂t = 1 − w = 1 − 1e10.
        var blend = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => 1e300 * FusedFunctions.Blend(v[0], v[1], v[2]), [1e-20, 1e10, 0.0]));
        Assert.Equal(
            "Blend produced -Infinity in the reverse sweep as the adjoint of its input 2: the incoming adjoint 1E+300 times the local derivative -9999999999.",
            blend.Message);

        // Its (Var, double, Var) overload records two edges; t is still operand 2. ∂Blend/∂t = 1 − w = 1 + 1e10.
        var mixed = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => 1e300 * FusedFunctions.Blend(v[0], -1e10, v[1]), [0.0, 1e-20]));
        Assert.Equal(
            "Blend produced Infinity in the reverse sweep as the adjoint of its input 2: the incoming adjoint 1E+300 times the local derivative 10000000001.",
            mixed.Message);
        Assert.Equal(2, mixed.InputPosition);

        // A custom n-ary record.
        var custom = Assert.Throws<NonFiniteValueException>(() => AD.Grad(
            v => 1e300 * AutoDiff.Tape.Nary("Custom", 0.0, [v[0], 2.0, v[1]], [1.0, 1.0, 1e10]), [0.0, 0.0]));
        Assert.Equal(
            "Custom produced Infinity in the reverse sweep as the adjoint of its input 2: the incoming adjoint 1E+300 times the local derivative 10000000000.",
            custom.Message);
    }

    [Fact]
    public void An_operation_recorded_outside_the_check_is_named_by_its_node_and_its_non_finite_partial_is_shown()
    {
        using var scope = AutoDiff.Tape.Scope();
        var x = Var.Leaf(0.0);
        var root = Sqrt(x); // ∂√x/∂x = ∞ at 0: recorded unchecked, so nothing threw yet
        var y = 2.0 * root;

        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(y.Backward);
        Assert.Equal(
            $"The operation of node {root.Index} (recorded outside Tape.CheckFinite, which keeps operations' names) produced Infinity in the reverse sweep as the adjoint of its input 0: the incoming adjoint 2 times the local derivative Infinity.",
            error.Message);

        // The sweep stopped half-way: its adjoints are not gradients, and reading one throws instead of returning it.
        Assert.Throws<InvalidOperationException>(() => x.Grad);
    }

    [Fact]
    public void A_scope_that_truncates_forgets_the_names_so_a_reused_edge_is_not_misnamed()
    {
        using (AutoDiff.Tape.Scope())
        using (AutoDiff.Tape.CheckFinite())
        {
            var a = Var.Leaf(1.0);
            _ = Log(a) * 2.0;
        }

        using var scope = AutoDiff.Tape.Scope();
        var x = Var.Leaf(0.0);
        var y = 2.0 * Sqrt(x); // the same edge indices as Log's and Multiply's above, recorded unchecked
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(y.Backward);
        Assert.StartsWith("The operation of node", error.Message);
    }

    [Fact]
    public void Hessians_check_their_sweep_too()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Hessian(ScaledRoot, [1e300, 1e-300]));
        Assert.Equal("Sqrt", error.Operation);
    }

    [Fact]
    public void A_finite_sweep_under_checking_gives_the_same_gradient_bits()
    {
        static Var F(Var[] v) => Exp(v[0]) * Log(v[1]) + Sum(v[0], v[1]) * Dot([v[0], v[1]], [0.5, -3.0]) / v[1];
        double[] x = [0.3, 1.7];
        var plain = AD.Grad(F, x);
        using var check = AutoDiff.Tape.CheckFinite();
        Assert.Equal(plain, AD.Grad(F, x));
    }
}
