using System;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

/// <summary>
/// <see cref="AutoDiff.Tape.CheckFinite"/> in a Hessian's second-order pass: a second derivative that overflows while
/// every value, partial and adjoint is finite throws, naming the operation (a scalar one by its tangent in the forward
/// pass or its adjoint tangent in the sweep, a tensor one by the adjoint tangents its second-order rule left). Before,
/// these Hessians came back ±∞ without an exception, as they still do without checking.
/// </summary>
public class SecondOrderFiniteCheckTests
{
    // f(v) = 10³⁰⁰ · sin(10⁵ v): f'' = −10³¹⁰ sin(10⁵ v) overflows, while f = 10³⁰⁰ sin(3·10⁴) and f' = 10³⁰⁵ cos(3·10⁴) are
    // finite. In the sweep, the adjoint tangent of v is 10⁵ (Multiply's partial) times the finite 10³⁰⁰ · (−sin u) · 10⁵.
    private static Var ScaledSine(Var[] v) => 1e300 * Sin(v[0] * 1e5);

    [Fact]
    public void Without_checking_the_overflowing_Hessian_is_returned_as_IEEE_arithmetic_gives_it()
    {
        var hessian = AD.Hessian(ScaledSine, [0.3]);

        Assert.Equal(double.PositiveInfinity, hessian[0, 0]); // −10³¹⁰ · sin(3·10⁴), sin(3·10⁴) < 0
        Assert.True(Math.Sin(3e4) < 0);
    }

    [Fact]
    public void An_adjoint_tangent_that_overflows_in_the_sweep_names_the_operation_its_input_and_the_factors()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Hessian(ScaledSine, [0.3]));

        double incomingTangent = 1e300 * -Math.Sin(3e4) * 1e5;
        Assert.Equal("Multiply", error.Operation);
        Assert.Equal(0, error.InputPosition);
        Assert.Equal(double.PositiveInfinity, error.Result);
        Assert.Equal([1e5], error.Partials);
        Assert.Contains("second-order pass of the reverse sweep", error.Message, StringComparison.Ordinal);
        Assert.Contains(
            $"the local derivative 100000 times the incoming adjoint tangent {incomingTangent.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Hessian_vector_product_is_checked_the_same_way()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.HessianVectorProduct(ScaledSine, [0.3], [1.0]));

        Assert.Equal("Multiply", error.Operation);
    }

    [Fact]
    public void A_result_tangent_that_overflows_in_the_forward_pass_names_the_operation_and_the_direction()
    {
        // w = (v · 10¹⁰) · 10³⁰⁰ at v = 10⁻²⁰ is 10²⁹⁰, finite with finite partials, but it moves at ẇ = 10³¹⁰ along the unit
        // direction; sin(w)'' = −sin(w) · 10⁶²⁰ overflows with it.
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Hessian(v => Sin(v[0] * 1e10 * 1e300), [1e-20]));

        Assert.Equal("Multiply", error.Operation);
        Assert.Equal(double.PositiveInfinity, error.Result);
        Assert.StartsWith(
            "Multiply produced Infinity as the tangent of its result along direction 0 of a Hessian's second-order pass, from input(s) (",
            error.Message, StringComparison.Ordinal);
        Assert.EndsWith(") moving at (10000000000).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tensor_operations_adjoint_tangents_that_overflow_name_the_operation_the_element_and_the_direction()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(
            () => AD.Hessian(t => Sum(1e300 * Sin(t * 1e5)), Tensor.Vector(0.1, 0.3)));

        // d²/dt₀² = −10³¹⁰ sin(10⁴): element 0 of t * 1e5's input, along the first direction (e₀).
        Assert.Equal("Multiply", error.Operation);
        Assert.Equal(0, error.InputPosition);
        Assert.Equal(-1e300 * Math.Sin(1e4) * 1e5 * 1e5 > 0 ? double.PositiveInfinity : double.NegativeInfinity, error.Result);
        Assert.StartsWith(
            "Multiply produced " + (error.Result > 0 ? "Infinity" : "-Infinity")
            + " in the second-order pass of the reverse sweep (a Hessian's, direction 0) as the adjoint tangent of element 0 of its input 0 (shape [2]), from finite adjoint tangents of its result",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Finite_Hessians_are_unchanged_under_checking_scalar_and_tensor()
    {
        // Σ log N(yᵢ; μ, σ): ∂²/∂μ² = −n/σ², ∂²/∂μ∂σ = −2Σ(y − μ)/σ³, ∂²/∂σ² = n/σ² − 3Σ(y − μ)²/σ⁴.
        double[] y = [0.3, 1.9, -0.8, 1.1];
        double mu = -0.4, sigma = 1.3, n = y.Length, s1 = 0.0, s2 = 0.0;
        foreach (double yi in y)
        {
            s1 += yi - mu;
            s2 += (yi - mu) * (yi - mu);
        }

        double[,] expected =
        {
            { -n / (sigma * sigma), -2.0 * s1 / Math.Pow(sigma, 3) },
            { -2.0 * s1 / Math.Pow(sigma, 3), n / (sigma * sigma) - 3.0 * s2 / Math.Pow(sigma, 4) },
        };

        using var check = AutoDiff.Tape.CheckFinite();
        var scalar = AD.Hessian(
            p =>
            {
                Var sum = 0.0;
                foreach (double yi in y)
                {
                    sum += -Log(p[1]) - Square(yi - p[0]) / (2.0 * Square(p[1]));
                }

                return sum;
            },
            [mu, sigma]);
        var data = Tensor.Vector(y);
        var tensor = AD.Hessian(p => Sum(-Log(Rows(p, 1)) - Square(data - Rows(p, 0)) / (2.0 * Square(Rows(p, 1)))), Tensor.Vector(mu, sigma)).ToArray();
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                Assert.Equal(expected[i, j], scalar[i, j], 1e-12);
                Assert.Equal(expected[i, j], tensor[2 * i + j], 1e-12);
            }
        }
    }
}
