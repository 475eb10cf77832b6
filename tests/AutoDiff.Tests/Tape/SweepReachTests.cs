using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

/// <summary>
/// What a reverse sweep leaves alone and what it invalidates. An operation the result does not depend on adds nothing
/// to any gradient, even when its rule would compute 0·∞ (a zero adjoint contributes nothing, whatever the partial, as
/// in PyTorch and JAX, where it is never reached). And a sweep run by an AD call nested in a scope clears the gradients
/// an earlier <c>Backward()</c> left, so reading them afterwards throws instead of returning that sweep's numbers.
/// </summary>
public class SweepReachTests
{
    // Data with an ∞ in its first element, as a rows × 3 matrix.
    private static Tensor MatrixWithInfinity(int rows) =>
        Tensor.FromArray([.. Enumerable.Range(0, rows * 3).Select(i => i == 0 ? double.PositiveInfinity : 0.5 * i)], rows, 3);

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void An_unused_matrix_product_of_data_holding_infinity_adds_no_NaN(int rows)
    {
        // f = Σθ; u = X·θ is computed and dropped: ∂f/∂θ = (1, 1, 1).
        var x = MatrixWithInfinity(rows);
        var gradient = AD.Grad(p => { var u = x.MatMul(p[0]); return Sum(p[0]); }, Tensor.Vector(1.0, 2.0, 3.0))[0].ToArray();
        Assert.Equal([1.0, 1.0, 1.0], gradient);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void A_matrix_product_whose_adjoints_are_all_zero_adds_no_NaN(int rows)
    {
        // f = Σθ + Σ 0·(X·θ): every adjoint of X·θ is 0, so ∂f/∂θ = (1, 1, 1).
        var x = MatrixWithInfinity(rows);
        var gradient = AD.Grad(p => Sum(p[0]) + Sum(x.MatMul(p[0]) * 0.0), Tensor.Vector(1.0, 2.0, 3.0))[0].ToArray();
        Assert.Equal([1.0, 1.0, 1.0], gradient);
    }

    [Fact]
    public void An_unused_linear_layer_and_softmax_add_nothing()
    {
        // f = Σ w²: ∂f/∂w = 2w, whatever was computed from w and dropped.
        var x = MatrixWithInfinity(20);
        double[] w = [.. Enumerable.Range(0, 12).Select(i => 0.1 * i - 0.5)];
        var gradient = AD.Grad(
            p =>
            {
                var weight = p[0].Reshape(4, 3);
                var hidden = Linear(x, weight);
                var probabilities = Softmax(hidden);
                return Sum(Square(p[0]));
            },
            Tensor.Vector(w))[0].ToArray();
        Assert.Equal(w.Select(v => 2 * v), gradient);
    }

    [Fact]
    public void A_used_matrix_product_still_propagates_NaN_where_it_is_reached()
    {
        // f = Σ X·θ with an ∞ in X: ∂f/∂θ₀ = Σᵢ Xᵢ₀ = ∞ (the first column holds the ∞), finite elsewhere.
        var x = MatrixWithInfinity(40);
        var gradient = AD.Grad(p => Sum(x.MatMul(p[0])), Tensor.Vector(1.0, 2.0, 3.0))[0].ToArray();
        Assert.Equal(double.PositiveInfinity, gradient[0]);
        Assert.Equal(Enumerable.Range(0, 40).Sum(i => 0.5 * (3 * i + 1)), gradient[1], 1e-9);
    }

    [Fact]
    public void A_nested_AD_call_makes_an_earlier_Backwards_gradient_throw_until_Backward_runs_again()
    {
        using (AutoDiff.Tape.Scope())
        {
            var w = Var.Leaf(3.0);
            var loss = w * w;
            loss.Backward();
            Assert.Equal(6.0, w.Grad);

            // An unrelated nested call, and one that reads w: each sweeps the thread's tape from a result of its own.
            Assert.Equal([3.0], AD.Grad(v => v[0] * v[0] * v[0], [1.0]));
            var error = Assert.Throws<InvalidOperationException>(() => w.Grad);
            Assert.Contains("nested", error.Message);
            Assert.Contains("Backward() again", error.Message);

            loss.Backward();
            Assert.Equal(6.0, w.Grad);
            Assert.Equal([3.0], AD.Grad(v => v[0] * w, [2.0]));
            Assert.Throws<InvalidOperationException>(() => w.Grad);

            GradCheck.Assert(v => Exp(v[0]), [0.5]);
            loss.Backward();
            Assert.Equal(6.0, w.Grad);
        }
    }

    [Fact]
    public void A_nested_Hessian_makes_an_earlier_tensor_gradient_throw()
    {
        using (AutoDiff.Tape.Scope())
        {
            var leaf = Tensor.Leaf(Tensor.Vector([.. Enumerable.Range(0, 40).Select(i => 0.1 * i)]));
            var u = leaf * 2.0;
            var loss = Sum(Square(u));
            loss.Backward();
            AssertClose(i => 8 * (0.1 * i), leaf.Grad.ToArray());
            var hessian = AD.Hessian(p => Sum(Square(p)), Tensor.Vector(1.0, 2.0));
            Assert.Equal([2.0, 0.0, 0.0, 2.0], hessian.ToArray());
            Assert.Throws<InvalidOperationException>(() => leaf.Grad);
            Assert.Throws<InvalidOperationException>(() => u.Grad);
            loss.Backward();
            AssertClose(i => 4 * (0.1 * i), u.Grad.ToArray());
        }
    }

    private static void AssertClose(Func<int, double> expected, double[] actual)
    {
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected(i), actual[i], 1e-12);
        }
    }

    [Fact]
    public void A_Backward_inside_a_scope_from_an_enclosing_scopes_result_stays_readable()
    {
        using (AutoDiff.Tape.Scope())
        {
            var x = Var.Leaf(2.0);
            var y = x * x * x;
            using (AutoDiff.Tape.Scope())
            {
                y.Backward();
            }

            Assert.Equal(12.0, x.Grad);
        }
    }

    [Fact]
    public void A_users_own_Backward_inside_a_scope_stays_readable_after_it_closes()
    {
        // A leaf outside, one scope per step (helper-54): d(w²)/dw = 6 after the scope, as before the nested-call check.
        var w = Var.Leaf(3.0);
        using (AutoDiff.Tape.Scope())
        {
            var loss = w * w;
            loss.Backward();
        }

        Assert.Equal(6.0, w.Grad);
    }
}
