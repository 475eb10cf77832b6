using Xunit;

namespace AutoDiff.Tests.Tape;

/// <summary>
/// A Var of an enclosing scope that a Hessian's function captures is a constant to the Hessian: the second-order sweep
/// still adds into its adjoint tangent (no entry of H·v), and CheckFinite must not throw when only that overflows.
/// </summary>
public class SecondOrderCheckOuterVariableTests
{
    // y = 10³⁰⁰ · z · (10¹⁰ v) with z = 10⁻²⁰ captured, at v = 10⁻²⁰: y is linear in v, so H = 0 (the oracle), and every
    // value, partial and adjoint is finite (∂y/∂v = 10²⁹⁰, z's adjoint 10²⁹⁰). Only z's adjoint tangent, ṗ · ā =
    // 10¹⁰ · 10³⁰⁰, overflows, and nothing reads it.
    private static double[,] HessianWithCapturedOuterVar()
    {
        using var scope = AutoDiff.Tape.Scope();
        var z = Var.Leaf(1e-20);
        return AD.Hessian(v => 1e300 * (z * (v[0] * 1e10)), [1e-20]);
    }

    [Fact]
    public void Without_checking_the_Hessian_is_zero()
    {
        Assert.Equal(0.0, HessianWithCapturedOuterVar()[0, 0]);
    }

    [Fact]
    public void Under_checking_the_same_Hessian_is_returned()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        Assert.Equal(0.0, HessianWithCapturedOuterVar()[0, 0]);
    }
}
