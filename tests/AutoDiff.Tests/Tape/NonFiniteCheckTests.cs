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
}
