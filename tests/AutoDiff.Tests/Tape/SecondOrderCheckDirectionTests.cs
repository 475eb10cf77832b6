using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

/// <summary>
/// The direction a second-order <see cref="NonFiniteValueException"/> names is the Hessian's column: a Hessian of more than
/// 16 inputs is computed in several recordings of up to 16 unit directions each, and the one that overflows along e₁₆
/// must say direction 16, not its lane in the second recording (0).
/// </summary>
public class SecondOrderCheckDirectionTests
{
    private const int N = 17;

    // Σ vᵢ² + 10³⁰⁰ sin(10⁵ v₁₆): only ∂²/∂v₁₆² = 2 − 10³¹⁰ sin(10⁵ v₁₆) overflows (as in SecondOrderFiniteCheckTests), so
    // only direction 16 (column 16) can be named.
    private static Var LastOverflows(Var[] v)
    {
        Var sum = 0.0;
        for (int i = 0; i < N; i++)
        {
            sum += Square(v[i]);
        }

        return sum + 1e300 * Sin(v[N - 1] * 1e5);
    }

    [Fact]
    public void The_sweep_names_the_column_of_a_Hessian_of_more_than_16_inputs()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Hessian(LastOverflows, Enumerable.Repeat(0.3, N).ToArray()));

        Assert.Equal("Multiply", error.Operation);
        Assert.Contains("(a Hessian's, direction 16)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_forward_pass_names_the_column_of_a_Hessian_of_more_than_16_inputs()
    {
        // w = (v₁₆ · 10²⁰⁰) · 10²⁰⁰ at v₁₆ = 10⁻³⁰⁰ is 10¹⁰⁰, and ∂/∂v₁₆ of w · 10⁻³⁰⁰ is 10¹⁰⁰ in the sweep, but w moves at
        // 10⁴⁰⁰ along e₁₆ (only): the first recording (directions 0 to 15) passes, the second throws in its lane 0.
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(
            () => AD.Hessian(v => Square(v[0]) + v[N - 1] * 1e200 * 1e200 * 1e-300, Enumerable.Repeat(1e-300, N).ToArray()));

        Assert.Equal("Multiply", error.Operation);
        Assert.StartsWith("Multiply produced Infinity as the tangent of its result", error.Message, StringComparison.Ordinal);

        Assert.Contains("along direction 16 of a Hessian's second-order pass", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tensor_rule_names_the_column_of_a_Hessian_of_more_than_16_elements()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(
            () => AD.Hessian(t => Sum(Square(t)) + Sum(1e300 * Sin(Rows(t, N - 1) * 1e5)), Tensor.FromArray(Enumerable.Repeat(0.3, N).ToArray(), [N])));

        Assert.Equal("Multiply", error.Operation);
        Assert.Contains("(a Hessian's, direction 16)", error.Message, StringComparison.Ordinal);
    }
}
