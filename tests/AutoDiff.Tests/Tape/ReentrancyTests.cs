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
}
