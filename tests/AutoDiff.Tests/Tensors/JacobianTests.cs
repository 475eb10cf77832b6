using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>AD.Jacobian against the identities of section 3 of the lecture notes, and against finite differences.</summary>
public class JacobianTests
{
    private static double[] Wave(int seed, int n) =>
        Enumerable.Range(0, n).Select(i => Math.Sin(seed * 7.31 + i * 1.7) + 0.1 * Math.Cos(i * seed)).ToArray();

    private static void AssertClose(double[] expected, Tensor actual, double tolerance = 1e-13)
    {
        var values = actual.ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - values[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"entry {i}: expected {expected[i]}, got {values[i]}");
        }
    }

    private static double[] Transpose(double[] m, int rows, int columns)
    {
        var t = new double[m.Length];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                t[j * rows + i] = m[i * columns + j];
            }
        }

        return t;
    }

    private static double[] Diagonal(double[] d)
    {
        var m = new double[d.Length * d.Length];
        for (int i = 0; i < d.Length; i++)
        {
            m[i * d.Length + i] = d[i];
        }

        return m;
    }

    [Fact]
    public void Identity_1_matrix_times_column_vector_has_Jacobian_W()
    {
        int n = 3, m = 4;
        double[] w = Wave(1, n * m);
        var W = Tensor.FromArray(w, n, m);
        var J = AD.Jacobian(x => W.MatMul(x), Tensor.Vector(Wave(2, m)));
        Assert.Equal([n, m], J.Shape);
        AssertClose(w, J);
    }

    [Fact]
    public void Identity_2_row_vector_times_matrix_has_Jacobian_W_transposed()
    {
        int n = 3, m = 5;
        double[] w = Wave(3, n * m);
        var W = Tensor.FromArray(w, n, m);
        var J = AD.Jacobian(x => x.MatMul(W), Tensor.Vector(Wave(4, n))); // z = xW: n → m
        Assert.Equal([m, n], J.Shape);
        AssertClose(Transpose(w, n, m), J);
    }

    [Fact]
    public void Identity_3_a_vector_with_itself_has_the_identity_Jacobian()
    {
        var x = Tensor.Vector(Wave(5, 4));
        AssertClose(Diagonal([1, 1, 1, 1]), AD.Jacobian(v => v, x));
        AssertClose(Diagonal([1, 1, 1, 1]), AD.Jacobian(v => v * 1.0, x));
    }

    [Fact]
    public void Identity_4_an_elementwise_function_has_Jacobian_diag_of_its_derivative()
    {
        double[] x = [-2.5, -0.3, 0, 0.8, 4];
        var tanh = AD.Jacobian(v => Tanh(v), Tensor.Vector(x));
        AssertClose(Diagonal(x.Select(t => 1 - Math.Tanh(t) * Math.Tanh(t)).ToArray()), tanh);

        static double Sigma(double t) => 1 / (1 + Math.Exp(-t));
        var sigmoid = AD.Jacobian(v => Sigmoid(v), Tensor.Vector(x));
        AssertClose(Diagonal(x.Select(t => Sigma(t) * (1 - Sigma(t))).ToArray()), sigmoid);
    }

    [Fact]
    public void Identity_5_gradient_of_delta_dot_Wx_with_respect_to_W_is_the_outer_product_delta_x()
    {
        // J = δ·(Wx), so δ = ∂J/∂z; the notes' ∂J/∂W = δᵀxᵀ has entry (i, j) = δᵢ xⱼ.
        int n = 3, m = 4;
        double[] delta = Wave(6, n), x = Wave(7, m);
        var g = AD.Grad(t => Sum(Tensor.Vector(delta) * t[0].MatMul(Tensor.Vector(x))), Tensor.FromArray(Wave(8, n * m), n, m))[0];
        Assert.Equal([n, m], g.Shape);
        AssertClose([.. from i in Enumerable.Range(0, n) from j in Enumerable.Range(0, m) select delta[i] * x[j]], g);
    }

    [Fact]
    public void Identity_6_gradient_of_delta_dot_xW_with_respect_to_W_is_the_outer_product_x_delta()
    {
        // J = δ·(xW) for a row vector x: ∂J/∂W = xᵀδ, entry (i, j) = xᵢ δⱼ.
        int n = 4, m = 3;
        double[] delta = Wave(9, m), x = Wave(10, n);
        var g = AD.Grad(t => Sum(Tensor.Vector(x).MatMul(t[0]) * Tensor.Vector(delta)), Tensor.FromArray(Wave(11, n * m), n, m))[0];
        Assert.Equal([n, m], g.Shape);
        AssertClose([.. from i in Enumerable.Range(0, n) from j in Enumerable.Range(0, m) select x[i] * delta[j]], g);
    }

    [Fact]
    public void Identity_7_cross_entropy_of_softmax_has_gradient_yhat_minus_y_with_respect_to_the_logits()
    {
        double[] theta = [1.5, -0.7, 0.2, 3.1, -2.0];
        double[] y = [0, 0, 0, 1, 0];

        // ŷ = exp(θ − log Σ exp θ); J = −Σ yᵢ log ŷᵢ. A scalar, so its Jacobian is 1 × n.
        var J = AD.Jacobian(t =>
        {
            var logYHat = t - Log(Sum(Exp(t)));
            return -Sum(Tensor.Vector(y) * logYHat);
        }, Tensor.Vector(theta));

        double normaliser = theta.Sum(Math.Exp);
        double[] expected = theta.Select((t, i) => Math.Exp(t) / normaliser - y[i]).ToArray();
        Assert.Equal([1, theta.Length], J.Shape);
        AssertClose(expected, J);
    }

    [Fact]
    public void A_nonlinear_map_of_a_matrix_has_the_finite_difference_Jacobian()
    {
        // f(X) = tanh(X·v) ∘ (1 + Σ X²): [3, 2] → [3]; the Jacobian is 3 × 6 (X flattened row-major).
        double[] v = [0.4, -1.1];
        Func<Tensor, Tensor> f = X => Tanh(X.MatMul(Tensor.Vector(v))) * (1.0 + Sum(Square(X)));
        double[] x0 = Wave(12, 6);
        var J = AD.Jacobian(f, Tensor.FromArray(x0, 3, 2));
        Assert.Equal([3, 6], J.Shape);

        const double h = 1e-6;
        var expected = new double[18];
        for (int j = 0; j < 6; j++)
        {
            double[] up = (double[])x0.Clone(), down = (double[])x0.Clone();
            up[j] += h;
            down[j] -= h;
            double[] fu = f(Tensor.FromArray(up, 3, 2)).ToArray(), fd = f(Tensor.FromArray(down, 3, 2)).ToArray();
            for (int i = 0; i < 3; i++)
            {
                expected[i * 6 + j] = (fu[i] - fd[i]) / (2 * h);
            }
        }

        AssertClose(expected, J, 1e-7);
    }

    [Fact]
    public void Outputs_built_from_scalar_operations_have_the_closed_form_Jacobian()
    {
        // f(x) = [x₀x₁, sin x₂, x₀ + x₂², exp(x₁)], mixing scalar edges and tensor records in every sweep.
        double[] x = [0.3, -1.2, 0.9];
        var J = AD.Jacobian(t =>
        {
            Var a = t.Rows(0).Reshape(), b = t.Rows(1).Reshape(), c = t.Rows(2).Reshape();
            return Stack(0, a * b, Sin(c), a + c * c, Exp(b));
        }, Tensor.Vector(x));
        AssertClose(
        [
            x[1], x[0], 0,
            0, 0, Math.Cos(x[2]),
            1, 0, 2 * x[2],
            0, Math.Exp(x[1]), 0,
        ], J);
    }

    [Fact]
    public void A_matrix_valued_output_gives_one_row_per_element_in_row_major_order()
    {
        // Y = x xᵀ (outer product, as a column times a row): ∂Yᵢⱼ/∂xₖ = δᵢₖ xⱼ + xᵢ δⱼₖ.
        double[] x = [2, -1, 0.5];
        var J = AD.Jacobian(t => t.Reshape(3, 1).MatMul(t.Reshape(1, 3)), Tensor.Vector(x));
        Assert.Equal([9, 3], J.Shape);
        var expected = new double[27];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                expected[(i * 3 + j) * 3 + i] += x[j];
                expected[(i * 3 + j) * 3 + j] += x[i];
            }
        }

        AssertClose(expected, J);
    }

    [Fact]
    public void A_scalar_input_and_a_Var_output_give_a_1_by_1_Jacobian()
    {
        var J = AD.Jacobian(t => (Var)t * (Var)t * 3.0, Tensor.Scalar(2));
        Assert.Equal([1, 1], J.Shape);
        Assert.Equal(12.0, J.Item(), 1e-14);
    }

    [Fact]
    public void An_output_that_does_not_depend_on_x_has_a_zero_Jacobian()
    {
        var constant = AD.Jacobian(_ => Tensor.Vector(1, 2), Tensor.Vector(3, 4, 5));
        Assert.Equal([2, 3], constant.Shape);
        Assert.All(constant.ToArray(), v => Assert.Equal(0.0, v));

        using (AutoDiff.Tape.Scope())
        {
            var outer = Tensor.Leaf(Tensor.Vector(1, 2)); // a variable, but not a function of x
            var J = AD.Jacobian(x => outer * 2.0, Tensor.Vector(3, 4, 5));
            Assert.Equal([2, 3], J.Shape);
            Assert.All(J.ToArray(), v => Assert.Equal(0.0, v));
        }
    }

    [Fact]
    public void Jacobian_leaves_the_tape_as_it_found_it_and_works_under_NoGrad()
    {
        var tape = AutoDiff.Tape.Current;
        int nodes = tape.NodeCount, edges = tape.EdgeCount;
        var x = Tensor.Vector(1, 2);
        AD.Jacobian(t => Exp(t) * t, x);
        Assert.Equal(nodes, tape.NodeCount);
        Assert.Equal(edges, tape.EdgeCount);

        using (AutoDiff.Tape.NoGrad())
        {
            AssertClose(Diagonal([2 * Math.E, 3 * Math.Exp(2)]), AD.Jacobian(t => Exp(t) * t, x));
        }
    }

    [Fact]
    public void Bad_functions_are_reported()
    {
        Assert.Throws<ArgumentNullException>(() => AD.Jacobian(null!, Tensor.Vector(1)));
        Assert.Throws<ArgumentNullException>(() => AD.Jacobian(t => t, null!));
        Assert.Contains("f returned null", Assert.Throws<InvalidOperationException>(() => AD.Jacobian(_ => null!, Tensor.Vector(1))).Message);

        Tensor stale = null!;
        AD.Jacobian(t => stale = t, Tensor.Vector(1));
        Assert.Contains("scope", Assert.Throws<InvalidOperationException>(() => AD.Jacobian(_ => stale, Tensor.Vector(1))).Message);

        // An exception in f escapes as itself, and the tape is usable afterwards.
        Assert.Throws<DivideByZeroException>(() => AD.Jacobian(_ => throw new DivideByZeroException(), Tensor.Vector(1)));
        AssertClose([2.0], AD.Jacobian(t => t * 2.0, Tensor.Vector(1)));
    }
}
