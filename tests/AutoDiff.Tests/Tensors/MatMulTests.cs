using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

public class MatMulTests
{
    private static double[] Random(int seed, int n) =>
        Enumerable.Range(0, n).Select(i => Math.Sin(seed * 7.31 + i * 1.7) + 0.1 * Math.Cos(i * seed)).ToArray();

    [Theory]
    [InlineData(3, 4, 5)]
    [InlineData(1, 1, 1)]
    [InlineData(17, 33, 9)]
    public void Matrix_product_values_and_gradients_equal_the_closed_forms(int m, int k, int n)
    {
        double[] a = Random(1, m * k), b = Random(2, k * n), w = Random(3, m * n);
        var (value, g) = AD.ValueAndGrad(
            t => Sum(t[0].MatMul(t[1]) * Tensor.FromArray(w, m, n)),
            Tensor.FromArray(a, m, k), Tensor.FromArray(b, k, n));

        // y = Σᵢⱼ wᵢⱼ (AB)ᵢⱼ; ∂y/∂A = W Bᵀ, ∂y/∂B = Aᵀ W (identities (5)/(6) of the notes).
        double expected = 0;
        var dA = new double[m * k];
        var dB = new double[k * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int p = 0; p < k; p++)
                {
                    expected += w[i * n + j] * a[i * k + p] * b[p * n + j];
                    dA[i * k + p] += w[i * n + j] * b[p * n + j];
                    dB[p * n + j] += w[i * n + j] * a[i * k + p];
                }
            }
        }

        Assert.Equal(expected, value, 1e-12 * Math.Max(1, Math.Abs(expected)));
        Assert.Equal(dA, g[0].ToArray(), (x, y) => Math.Abs(x - y) < 1e-12);
        Assert.Equal(dB, g[1].ToArray(), (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void Matrix_vector_and_vector_matrix_products_agree_with_finite_differences()
    {
        double[] a = Random(4, 12), x = Random(5, 4), u = Random(6, 3);
        Func<Var[], Var> f = v =>
        {
            var matrix = VarTensors.FromVars(v[..12], 3, 4);
            var vector = VarTensors.FromVars(v[12..16], 4);
            var row = VarTensors.FromVars(v[16..], 3);
            return Sum(Tanh(matrix.MatMul(vector))) + Sum(Square(row.MatMul(matrix)));
        };

        GradCheck.Assert(f, [.. a, .. x, .. u]);
    }


    [Fact]
    public void Linear_layer_equals_x_times_W_transposed_plus_b_for_a_batch_and_a_single_row()
    {
        double[] x = Random(7, 3 * 4), w = Random(8, 2 * 4), b = Random(9, 2);
        Func<Var[], Var> f = v =>
        {
            var batch = VarTensors.FromVars(v[..12], 3, 4);
            var weight = VarTensors.FromVars(v[12..20], 2, 4);
            var bias = VarTensors.FromVars(v[20..], 2);
            return Sum(Square(Linear(batch, weight, bias))) + Sum(Tanh(Linear(batch.Rows(1).Reshape(4), weight)));
        };

        GradCheck.Assert(f, [.. x, .. w, .. b]);

        var y = Linear(Tensor.FromArray(x, 3, 4), Tensor.FromArray(w, 2, 4), Tensor.Vector(b)).ToArray();
        for (int n = 0; n < 3; n++)
        {
            for (int o = 0; o < 2; o++)
            {
                double expected = b[o] + Enumerable.Range(0, 4).Sum(i => x[n * 4 + i] * w[o * 4 + i]);
                Assert.Equal(expected, y[n * 2 + o], 1e-14);
            }
        }

        Assert.Contains("Linear: x [3, 4], weight [2, 5] do not fit", Assert.Throws<ArgumentException>(() => Linear(Tensor.Zeros(3, 4), Tensor.Zeros(2, 5))).Message);
    }

    [Fact]
    public void Mismatched_inner_dimensions_name_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(4, 5)));
        Assert.Contains("MatMul: the inner dimensions of shapes [2, 3] and [4, 5] differ (3 vs 4)", error.Message);
        Assert.Contains("not matrix × matrix", Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 2, 2).MatMul(Tensor.Zeros(2))).Message);
        Assert.Contains("not matrix × matrix", Assert.Throws<ArgumentException>(() => Tensor.Scalar(2.0).MatMul(Tensor.Zeros(2))).Message);
        Assert.Contains("MatMul: the inner dimensions of shapes [2] and [3] differ (2 vs 3)",
            Assert.Throws<ArgumentException>(() => Tensor.Zeros(2).MatMul(Tensor.Zeros(3))).Message);
    }

    // vector · vector threw "not matrix × matrix, …" where NumPy's a @ b is the inner product (helper-62).
    [Fact]
    public void Two_vectors_give_their_inner_product_as_NumPy_does()
    {
        var a = Tensor.Vector(1.0, 2.0, 3.0);
        var b = Tensor.Vector(4.0, -5.0, 6.0);
        var c = a.MatMul(b);
        Assert.Empty(c.Shape);
        Assert.Equal(12.0, c.Item()); // 4 − 10 + 18

        // ∂(a·b)/∂a = b, ∂/∂b = a; and through a compiled replay.
        var gradients = AD.Grad(p => p[0].MatMul(p[1]), a, b);
        Assert.Equal(b.ToArray(), gradients[0].ToArray());
        Assert.Equal(a.ToArray(), gradients[1].ToArray());
        var compiled = AD.Compile(p => p[0].MatMul(p[1]), a, b);
        Assert.Equal(a.ToArray(), compiled.Grad(b, a)[0].ToArray());
        Assert.Equal(0.0, Tensor.Zeros(0).MatMul(Tensor.Zeros(0)).Item()); // empty: 0, as NumPy
    }
}
