using System;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

public class NonFiniteCheckTests
{
    [Fact]
    public void Without_checking_NaN_and_infinity_follow_IEEE()
    {
        var (value, gradient) = AD.ValueAndGrad(v => Log(v[0]) + Sqrt(v[1]), [-1.0, 0.0]);

        Assert.True(double.IsNaN(value));
        Assert.Equal(-1.0, gradient[0]); // d/dx log x = 1/x, even where log x itself is NaN
        Assert.True(double.IsPositiveInfinity(gradient[1]));
    }

    [Fact]
    public void Checking_reports_the_first_op_that_produced_NaN_by_name_with_its_inputs()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => Exp(v[0]) * Log(v[0] - 3.0), [2.0]));

        Assert.Equal("Log", error.Operation);
        Assert.Equal([-1.0], error.Inputs);
        Assert.Contains("Log produced NaN from input(s) (-1)", error.Message);
    }

    [Fact]
    public void Checking_reports_an_infinite_local_derivative_even_when_the_value_is_finite()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => Sqrt(v[0]), [0.0]));

        Assert.Equal("Sqrt", error.Operation);
        Assert.Equal(0.0, error.Result);
        Assert.Contains("non-finite local derivative", error.Message);
    }

    [Fact]
    public void Checking_covers_reductions_and_ends_with_its_scope()
    {
        using (AutoDiff.Tape.CheckFinite())
        {
            var error = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => Sum(v[0], v[1] / 0.0), [1.0, 2.0]));
            Assert.Equal("Divide", error.Operation);
        }

        var gradient = AD.Grad(v => Sum(v[0], v[1] / 0.0), [1.0, 2.0]);
        Assert.Equal(1.0, gradient[0]);
        Assert.True(double.IsPositiveInfinity(gradient[1]));
    }

    [Fact]
    public void An_operand_passed_as_a_double_is_named_in_its_place()
    {
        // Before: "Divide produced Infinity from input(s) (1)", without the divisor.
        using var check = AutoDiff.Tape.CheckFinite();
        var divisor = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => v[0] / 0.0, [1.0]));
        Assert.Equal("Divide produced Infinity from input(s) (1, 0).", divisor.Message);
        Assert.Equal([1.0, 0.0], divisor.Inputs);

        var dividend = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => 1.0 / v[0], [0.0]));
        Assert.Equal("Divide produced Infinity from input(s) (1, 0).", dividend.Message);

        var power = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => Pow(v[0], 0.5), [-1.0]));
        Assert.Equal("Pow produced NaN from input(s) (-1, 0.5).", power.Message);

        var sum = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => v[0] + 1e308, [1e308]));
        Assert.Equal("Add produced Infinity from input(s) (1E+308, 1E+308).", sum.Message);

        // Under NoGrad too, where nothing is recorded but values are checked.
        using (AutoDiff.Tape.NoGrad())
        {
            Assert.Equal("Divide produced Infinity from input(s) (1, 0).", Assert.Throws<NonFiniteValueException>(() => Var.Leaf(1.0) / 0.0).Message);
        }
    }

    [Fact]
    public void Constants_of_declared_functions_and_Dot_weights_are_named_too()
    {
        using var check = AutoDiff.Tape.CheckFinite();

        // Blend(x, w, t) = w·x + (1 − w)·t through its (Var, double, Var) overload: w is named second.
        var blend = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => AutoDiff.Tests.Tensors.FusedFunctions.Blend(v[0], 1e308, v[1]), [10.0, 0.0]));
        Assert.Equal("Blend produced Infinity from input(s) (10, 1E+308, 0).", blend.Message);

        var constantsOnly = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => AutoDiff.Tests.Tensors.FusedFunctions.Blend(10.0, 1e308, v[0]), [0.0]));
        Assert.Equal("Blend produced Infinity from input(s) (10, 1E+308, 0).", constantsOnly.Message);

        var dot = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => Dot([v[0], v[1]], [1e200, 1.0]), [1e200, 1.0]));
        Assert.Equal("Dot produced Infinity from input(s) (1E+200, 1, 1E+200, 1).", dot.Message);
    }

    [Fact]
    public void A_tensor_with_a_double_names_the_double()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Grad(p => Sum(p[0] / 0.0), Tensor.Vector(1.0, 2.0)));
        Assert.Equal("Divide produced Infinity from input(s) (1, 0).", error.Message);

        var reversed = Assert.Throws<NonFiniteValueException>(() => AD.Grad(p => Sum(2.0 / p[0]), Tensor.Vector(1.0, 0.0)));
        Assert.Equal("Divide produced Infinity from input(s) (2, 0).", reversed.Message);
    }
}
