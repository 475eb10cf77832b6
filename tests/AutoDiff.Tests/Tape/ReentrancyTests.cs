using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

/// <summary>A declared function whose derivative is itself computed with an AD call, as an implicit function's would be.</summary>
public static partial class DerivativeByAD
{
    /// <summary>y = x³, with dy/dx from AD.Grad of the same cube.</summary>
    [Differentiable]
    public static double Cube(double x) => x * x * x;

    [Derivative(nameof(Cube))]
    private static double CubeDerivative(double x) => AD.Grad(v => v[0] * v[0] * v[0], [x])[0];

    /// <summary>y = x², whose rule refuses x beyond 100 (as a rule checking its own domain would).</summary>
    [Differentiable]
    public static double GuardedSquare(double x) => x * x;

    [Derivative(nameof(GuardedSquare))]
    private static double GuardedSquareDerivative(double x) =>
        Math.Abs(x) <= 100.0 ? 2.0 * x : throw new ArgumentOutOfRangeException(nameof(x), x, "GuardedSquare's rule is defined for |x| <= 100.");
}

/// <summary>AD entry points called from code the library runs for the user: derivative rules, and the sweep that runs them.</summary>
public class ReentrancyTests
{
    // 3·(2x)³ has derivative 72x²; at 17 elements the kernel's output is cleared lazily, at 2 eagerly.
    private static double[] Expected(double[] x) => x.Select(v => 72.0 * v * v).ToArray();

    [Theory]
    [InlineData(2)]
    [InlineData(17)]
    public void A_derivative_rule_that_calls_AD_Grad_gives_the_exact_tensor_gradient(int n)
    {
        var x = Enumerable.Range(1, n).Select(i => 0.25 * i).ToArray();

        // The tensor kernel evaluates the rule in the backward pass: its AD.Grad ran on the tape being swept and cleared
        // the adjoints summed so far, so the gradient came out 0 (all but the last element at n = 17).
        var gradient = AD.Grad(p => Sum(DerivativeByAD.Cube(p[0] * 2.0) * 3.0), Tensor.Vector(x))[0].ToArray();
        Assert.Equal(Expected(x), gradient);

        // The Var overload evaluates the rule while recording, and always agreed.
        Assert.Equal(72.0 * x[0] * x[0], AD.Grad(v => DerivativeByAD.Cube(v[0] * 2.0) * 3.0, [x[0]])[0]);

        using (AutoDiff.Tape.Scope())
        {
            var leaf = Tensor.Leaf(Tensor.Vector(x));
            Sum(DerivativeByAD.Cube(leaf * 2.0) * 3.0).Backward();
            Assert.Equal(Expected(x), leaf.Grad.ToArray());
        }

        // The thread's tape is its own again after the sweeps.
        Assert.Equal(6.0, AD.Grad(v => v[0] * v[0], [3.0])[0]);
    }

    [Fact]
    public void A_gradient_taken_inside_a_Hessians_function_is_a_constant_to_it_whatever_operations_it_records()
    {
        // Triple records 3u without a second-order rule (Tape.Unary's first overload): a Hessian cannot pass through it,
        // but the inner gradient, 3, is a constant to the Hessian of x²·3, which is 6. Before, the inner call recorded
        // with the Hessian's tangents and refused Triple as if the Hessian passed through it.
        static double InnerSlope() => AD.Grad(u => AutoDiff.Tape.Unary("Triple", 3.0 * u[0].Value, u[0], 3.0), [1.0])[0];
        Assert.Equal(6.0, AD.Hessian(v => v[0] * v[0] * InnerSlope(), [2.0])[0, 0]);
        Assert.Equal([12.0], AD.HessianVectorProduct(v => v[0] * v[0] * InnerSlope(), [2.0], [2.0]));
        Assert.Equal([6.0], AD.Hessian(x => Sum(x * x) * InnerSlope(), Tensor.Vector(2.0)).ToArray());

        // A Hessian still refuses such an operation on its own path, and a Tape.Scope inside its function is part of it.
        Assert.Throws<NotSupportedException>(() => AD.Hessian(v => AutoDiff.Tape.Unary("Triple", 3.0 * v[0].Value, v[0], 3.0) * v[0], [2.0]));
        AD.Hessian(v =>
        {
            using (AutoDiff.Tape.Scope())
            {
                Assert.True(AutoDiff.Tape.Current.TracksTangents);
            }

            return v[0] * v[0];
        }, [2.0]);
    }

    [Fact]
    public void Gradients_read_after_a_sweep_that_threw_say_so_and_the_next_Backward_gives_them()
    {
        using (AutoDiff.Tape.Scope())
        {
            // The tensor kernel runs the rule in the backward pass, where it throws for 200.
            var x = Tensor.Leaf(Tensor.Vector(1.0, 200.0));
            var loss = Sum(DerivativeByAD.GuardedSquare(x));
            Assert.Throws<ArgumentOutOfRangeException>(loss.Backward);

            // Before: "before any Backward() reached it: call Backward() on a result computed from it first", of a
            // tensor whose Backward() had just run.
            var error = Assert.Throws<InvalidOperationException>(() => x.Grad);
            Assert.Contains("after the last reverse sweep (a Backward() or an AD call) threw partway", error.Message);
            var later = Var.Leaf(1.0);
            Assert.Contains("before any Backward() reached it", Assert.Throws<InvalidOperationException>(() => later.Grad).Message);

            var fine = Tensor.Leaf(Tensor.Vector(1.0, 2.0));
            Sum(DerivativeByAD.GuardedSquare(fine)).Backward();
            Assert.Equal([2.0, 4.0], fine.Grad.ToArray());
        }

        using (AutoDiff.Tape.Scope())
        {
            // CheckFinite stops the sweep at the adjoint 1e300 · ½/√1e-300 = ∞ of y.
            var x = Var.Leaf(1e300);
            var y = Var.Leaf(1e-300);
            var f = x * Sqrt(y);
            using (AutoDiff.Tape.CheckFinite())
            {
                Assert.Throws<NonFiniteValueException>(f.Backward);
            }

            Assert.Contains("threw partway", Assert.Throws<InvalidOperationException>(() => x.Grad).Message);
            f.Backward();
            Assert.Equal(1e-150, x.Grad);
            Assert.Equal(double.PositiveInfinity, y.Grad);
        }
    }
}
