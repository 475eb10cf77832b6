using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

/// <summary>
/// A constant Var input of an operation has no edge, so the derivative of its local derivative is never used in a
/// Hessian: CheckFinite must not throw because that unused value is NaN or ±∞. Pow(z, p) with a constant Var z = 0 at
/// p = 0.5: ∂/∂z = p·z^(p−1) = ∞ and its derivative in p are not recorded (the first-order check passes them too).
/// </summary>
public class SecondOrderCheckConstantInputTests
{
    // f(p) = 0ᵖ + p² = p² for p > 0: f'' = 2.
    private static Var ZeroToThePPlusSquare(Var[] v)
    {
        Var zero = 0.0;
        return Pow(zero, v[0]) + Square(v[0]);
    }

    [Fact]
    public void Without_checking_the_Hessian_is_the_closed_form()
    {
        Assert.Equal(2.0, AD.Hessian(ZeroToThePPlusSquare, [0.5])[0, 0]);
    }

    [Fact]
    public void Under_checking_the_Hessian_is_the_same()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        Assert.Equal(2.0, AD.Hessian(ZeroToThePPlusSquare, [0.5])[0, 0]);
    }

    [Fact]
    public void Under_checking_the_gradient_passes_as_the_oracle_of_what_is_checked()
    {
        // The first-order check ignores the constant's infinite partial: only the edges' partials are checked.
        using var check = AutoDiff.Tape.CheckFinite();
        Assert.Equal(1.0, AD.Grad(ZeroToThePPlusSquare, [0.5])[0]);
    }
}
