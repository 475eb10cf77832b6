using System;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

/// <summary>
/// The properties of the exception a Hessian's forward tangent pass throws under CheckFinite are those of any
/// forward-pass exception (NonFiniteValueException's documentation): Inputs holds the operation's operands in order,
/// doubles included, and Partials its local derivatives, one per variable input — as the first-order check fills them
/// for the same operation.
/// </summary>
public class SecondOrderCheckExceptionPropertiesTests
{
    [Fact]
    public void A_result_tangent_that_overflows_reports_the_operands_and_the_partials()
    {
        // w = (v · 10¹⁰) · 10³⁰⁰ at v = 10⁻²⁰: the second Multiply has operands (10⁻¹⁰, 10³⁰⁰) and partial 10³⁰⁰ for its
        // variable input, which moves at 10¹⁰; its result's tangent 10³¹⁰ overflows.
        double u = 1e-20 * 1e10;
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Hessian(v => Sin(v[0] * 1e10 * 1e300), [1e-20]));

        Assert.Equal("Multiply", error.Operation);
        Assert.Equal(double.PositiveInfinity, error.Result);
        Assert.Equal([u, 1e300], error.Inputs);
        Assert.Equal([1e300], error.Partials);
        Assert.Equal(-1, error.InputPosition);
    }

    [Fact]
    public void The_first_order_check_fills_them_so_for_the_same_operation()
    {
        // The oracle for the test above: the same Multiply with a result that overflows in the forward pass.
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => v[0] * 1e300, [1e10]));

        Assert.Equal([1e10, 1e300], error.Inputs);
        Assert.Equal([1e300], error.Partials);
    }
}
