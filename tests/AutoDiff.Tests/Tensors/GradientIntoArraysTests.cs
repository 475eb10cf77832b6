using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// <c>AD.ValueAndGrad(f, x, gradients)</c> writes ∇f into arrays the caller owns: call after call into the same arrays,
/// each call's gradient is its own (nothing of the last call's is added), against closed forms; bad arrays are refused
/// with the sizes named and are left as they were.
/// </summary>
public class GradientIntoArraysTests
{
    [Fact]
    public void Gradients_written_into_the_same_arrays_call_after_call_are_each_calls_own()
    {
        // f(W, b) = ½ Σ (X·Wᵀ + b)²: ∂W = Gᵀ·X and ∂b = Σ rows of G, with G = X·Wᵀ + b (X 6×5, W 4×5, b 4).
        const int rows = 6, inputs = 5, outputs = 4;
        double[] x = RandomData.Symmetric(rows * inputs, 61);
        var data = Tensor.FromArray(x, rows, inputs);
        double[][] gradients = [new double[outputs * inputs], new double[outputs]];
        for (int call = 0; call < 4; call++)
        {
            double[] w = RandomData.Symmetric(outputs * inputs, 62 + call), b = RandomData.Symmetric(outputs, 70 + call);
            double value = AD.ValueAndGrad(
                p => 0.5 * Sum(Square(Linear(data, p[0], p[1]))), [Tensor.FromArray(w, outputs, inputs), Tensor.Vector(b)], gradients);

            double[] g = new double[rows * outputs];
            for (int r = 0; r < rows; r++)
            {
                for (int o = 0; o < outputs; o++)
                {
                    g[r * outputs + o] = b[o] + Enumerable.Range(0, inputs).Sum(i => x[r * inputs + i] * w[o * inputs + i]);
                }
            }

            Assert.Equal(0.5 * g.Sum(v => v * v), value, 1e-12);
            for (int o = 0; o < outputs; o++)
            {
                Assert.Equal(Enumerable.Range(0, rows).Sum(r => g[r * outputs + o]), gradients[1][o], 1e-12);
                for (int i = 0; i < inputs; i++)
                {
                    Assert.Equal(Enumerable.Range(0, rows).Sum(r => g[r * outputs + o] * x[r * inputs + i]), gradients[0][o * inputs + i], 1e-12);
                }
            }
        }
    }

    [Fact]
    public void A_function_that_ignores_an_argument_writes_zeros_over_its_array()
    {
        double[][] gradients = [new double[20], [5.0, 5.0, 5.0]];
        Array.Fill(gradients[0], 7.0);
        double value = AD.ValueAndGrad(p => Sum(p[0] * 3.0), [Tensor.Vector(RandomData.Symmetric(20, 63)), Tensor.Vector(1.0, 2.0, 3.0)], gradients);
        Assert.All(gradients[0], v => Assert.Equal(3.0, v));
        Assert.All(gradients[1], v => Assert.Equal(0.0, v));
        Assert.Equal(3.0 * RandomData.Symmetric(20, 63).Sum(), value, 1e-12);
    }

    [Fact]
    public void Arrays_of_the_wrong_count_or_length_are_refused_with_the_sizes_and_left_as_they_were()
    {
        var x = Tensor.FromArray(new double[6], 2, 3);
        double[] kept = [1.0, 2.0, 3.0, 4.0, 5.0];
        var wrongLength = Assert.Throws<ArgumentException>(() => AD.ValueAndGrad(p => Sum(p[0]), [x], [kept]));
        Assert.Contains("gradients[0] has length 5", wrongLength.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3]", wrongLength.Message, StringComparison.Ordinal);
        Assert.Equal([1.0, 2.0, 3.0, 4.0, 5.0], kept);

        var wrongCount = Assert.Throws<ArgumentException>(() => AD.ValueAndGrad(p => Sum(p[0]), [x], [new double[6], new double[6]]));
        Assert.Contains("2 gradient arrays given for 1 arguments", wrongCount.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<ArgumentException>(() => AD.ValueAndGrad(p => Sum(p[0]), [x], [null!]));
        Assert.Contains("gradients[0] has length null", missing.Message, StringComparison.Ordinal);
    }
}
