using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>The generator's fixes after helper-41's review, each against a closed form; each failed (or did not build) before.</summary>
public class ReviewedDeclarationTests
{
    [Fact]
    public void Named_arguments_in_another_order_are_differentiated_by_parameter()
    {
        // xᵖ at (2, 3): ∂/∂x = p·xᵖ⁻¹ = 12, ∂/∂p = xᵖ ln x = 8 ln 2; d²/dx² = p(p − 1)xᵖ⁻² = 12. Before: [9.89, 6] and 10.86.
        var g = AD.Grad(v => ReviewedDeclarations.NamedPow(v[0], v[1]), [2.0, 3.0]);
        Assert.Equal(12.0, g[0], 12);
        Assert.Equal(8.0 * Math.Log(2.0), g[1], 12);
        Assert.Equal(12.0, AD.Hessian(v => ReviewedDeclarations.NamedPow(v[0], v[1]), [2.0, 3.0])[0, 0], 10);
        Assert.Equal(12.0, AD.Grad(v => ReviewedDeclarations.NamedCube(v[0]), [2.0])[0], 12);

        var x = Tensor.Vector(Enumerable.Range(1, 19).Select(i => 0.25 * i).ToArray());
        var gradient = AD.Grad(p => Sum(ReviewedDeclarations.NamedCube(p[0])), x)[0].ToArray();
        for (int i = 0; i < gradient.Length; i++)
        {
            double xi = 0.25 * (i + 1);
            Assert.Equal(3.0 * xi * xi, gradient[i], 12);
        }
    }

    [Fact]
    public void A_recursion_through_another_file_of_the_class_runs_on_tensors_with_its_scalar_loop()
    {
        // Quartering(x) = (x/2ᵏ)², dy/dx = 2x/4ᵏ, k the halvings that bring |x| to at most 1.
        double[] points = [3.0, 0.5, -0.75, 12.0, -5.0, 1.0, 2.5, 0.0, 7.0, -1.5, 100.0];
        var (value, gradients) = AD.ValueAndGrad(p => Sum(ReviewedDeclarations.Quartering(p[0])), Tensor.Vector(points));
        var gradient = gradients[0].ToArray();
        double expectedValue = 0.0;
        for (int i = 0; i < points.Length; i++)
        {
            double scaled = points[i];
            double scale = 1.0;
            while (Math.Abs(scaled) > 1.0)
            {
                scaled *= 0.5;
                scale *= 0.25;
            }

            expectedValue += scaled * scaled;
            Assert.Equal(2.0 * points[i] * scale, gradient[i], 14);
        }

        Assert.Equal(expectedValue, value, 12);
    }

    [Fact]
    public void A_recursive_declared_function_runs_on_tensors_with_its_scalar_loop()
    {
        // Halving(x) = 0.5ᵏ(x + k), dy/dx = 0.5ᵏ, k the steps from x to past 10. Before, its vector body recursed until
        // the stack overflowed (both arms of the conditional are evaluated in a vector body), which killed the process.
        double[] points = [3.0, 9.5, 10.5, 0.25, 7.0, 12.0, 10.0, 1.5, 4.0, 8.75, 11.0];
        var (value, gradients) = AD.ValueAndGrad(p => Sum(ReviewedDeclarations.Halving(p[0])), Tensor.Vector(points));
        double expectedValue = 0.0;
        var gradient = gradients[0].ToArray();
        for (int i = 0; i < points.Length; i++)
        {
            int k = 0;
            while (points[i] + k <= 10.0)
            {
                k++;
            }

            expectedValue += Math.Pow(0.5, k) * (points[i] + k);
            Assert.Equal(Math.Pow(0.5, k), gradient[i]);
        }

        Assert.Equal(expectedValue, value, 12);
    }

    [Fact]
    public void A_parameter_named_like_a_renamed_local_builds_and_computes_its_tensor_kernel()
    {
        // The vector body named the local s "__s", the parameter's name: the generated code did not compile (CS0136).
        var (value, gradients) = AD.ValueAndGrad(p => Sum(ReviewedDeclarations.Clash(p[0], p[1])), Tensor.Vector(1.0, -2.0, 3.5), Tensor.Vector(4.0, 0.5, -1.0));
        Assert.Equal(2.0 * (4.0 - 1.0 - 3.5), value, 12);
        Assert.Equal([8.0, 1.0, -2.0], gradients[0].ToArray());
        Assert.Equal([2.0, -4.0, 7.0], gradients[1].ToArray());
    }
}
