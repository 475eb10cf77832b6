using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>What helper-44's review found; each case returned another computation's numbers, or disagreed with itself, before its fix.</summary>
public class TensorLifetimeReviewTests
{
    [Fact]
    public void Grad_of_a_stale_tensor_throws_under_no_grad_too()
    {
        Tensor t;
        using (AutoDiff.Tape.Scope())
        {
            t = Tensor.Leaf(Tensor.Vector(1.0, 2.0, 3.0));
            Sum(t * t).Backward();
        }

        using (AutoDiff.Tape.Scope())
        {
            var u = Tensor.Leaf(Tensor.Vector(10.0, 20.0, 30.0));
            Sum(u * u * u + 0.0).Backward();
            Assert.Throws<InvalidOperationException>(() => t.Grad);

            // Before: [300, 1200, 2700], u's gradient, read through t's node numbers.
            using (AutoDiff.Tape.NoGrad())
            {
                Assert.Throws<InvalidOperationException>(() => t.Grad);
            }
        }
    }

    [Fact]
    public void A_tensor_that_escapes_a_compiled_function_is_refused_after_the_trace()
    {
        Tensor? leaked = null;
        var compiled = AD.Compile(p => { leaked = p[0] * 2.0; return Sum(leaked); }, Tensor.Vector(1.0, 2.0, 3.0));
        Assert.Equal([2.0, 2.0, 2.0], compiled.Grad(Tensor.Vector(100.0, 200.0, 300.0))[0].ToArray());

        // Before: [200, 400, 600], the last replay's numbers, with no error.
        var error = Assert.Throws<InvalidOperationException>(() => leaked!.ToArray());
        Assert.Contains("compiled by AD.Compile", error.Message);
        Assert.Equal("Tensor[3] (computed inside AD.Compile)", leaked!.ToString()); // was "(scope ended)" (helper-62)
        Assert.Throws<InvalidOperationException>(() => leaked! * 1.0);
        Assert.Throws<InvalidOperationException>(() => AD.Grad(p => Sum(p[0]), leaked!));
        Assert.Equal([2.0, 2.0, 2.0], compiled.Grad(Tensor.Vector(1.0, 2.0, 3.0))[0].ToArray());

        // Nor may it come back as an argument of the same function, whose replay would read it as it rewrites it
        // (helper-47: it was read during the replay, when the trace's own reads are allowed).
        Assert.Throws<InvalidOperationException>(() => compiled.Grad(leaked!));
    }

    [Fact]
    public void A_vector_operand_and_the_same_values_as_a_matrix_give_the_same_gradient()
    {
        // A·b with b = (1, ∞) and an upstream gradient (1, 0): ∂A = g ⊗ b, whose (1, 1) entry is 0·∞. The 2-D path
        // (GEMM, and the naive loop) gives NaN; the vector path skipped g's zero row and gave 0.
        var a = Tensor.FromArray([1.0, 2.0, 3.0, 4.0], 2, 2);
        var vectorPath = AD.Grad(p => Sum(p[0].MatMul(Tensor.Vector(1.0, double.PositiveInfinity)) * Tensor.Vector(1.0, 0.0)), a)[0].ToArray();
        var matrixPath = AD.Grad(p => Sum(p[0].MatMul(Tensor.FromArray([1.0, double.PositiveInfinity], 2, 1)) * Tensor.FromArray([1.0, 0.0], 2, 1)), a)[0].ToArray();

        Assert.Equal(4, vectorPath.Length);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(matrixPath[i], vectorPath[i]);
        }

        Assert.True(double.IsNaN(vectorPath[3]));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    public void A_broadcast_divisors_gradient_survives_products_that_underflow(int n)
    {
        // ∂/∂b Σ (a/b)·w = −Σ a·w/b² with a = 1e−300, w = 1e−150, b = 1e−100: −n·1e−250 (helper-48). The quotient
        // shortcut sums g·n = w·a per row first, and every product underflowed to 0, which it accepted: the gradient
        // came out 0 for n = 8 and 16, and counted only the scalar tail for n = 9.
        var a = Tensor.FromArray(Enumerable.Repeat(1e-300, n).ToArray(), n);
        var w = Tensor.FromArray(Enumerable.Repeat(1e-150, n).ToArray(), n);
        double g = AD.Grad(p => Sum(a / (Var)p[0] * w), Tensor.Scalar(1e-100))[0].Item();
        Assert.Equal(-n * 1e-250, g, 1e-262);
    }
}
