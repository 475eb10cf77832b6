using System;
using System.Linq;
using AutoDiff.Tests.Tensors;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

/// <summary>
/// Under one adjoint of 1 (a Sum), y = c·u with a constant c of u's shape hands u the adjoints c exactly; the sweep
/// borrows c's values instead of copying them (Tape.TryBorrow). Every way the borrowed adjoints can be read, added to,
/// read after the sweep or left alone is checked here against closed forms, on a length above the lazy threshold with a
/// vector tail, and the tests check that the borrowing happened.
/// </summary>
public class BorrowedAdjointTests
{
    private const int N = 1001;

    private static double[] Data(int n, int seed) => RandomData.Symmetric(n, seed);

    // Runs f's gradient at x on a fresh tape and returns it with the number of borrowings the sweep made.
    private static (double[] Gradient, int Borrowed) GradientAndBorrowings(Func<Tensor[], Tensor> f, Tensor x)
    {
        double[] gradient = [];
        int borrowed = 0;
        FreshTape.Run(() =>
        {
            gradient = AD.Grad(f, x)[0].ToArray();
            borrowed = AutoDiff.Tape.Current.AdjointsBorrowed;
        });
        return (gradient, borrowed);
    }

    private static void AssertClose(Func<int, double> expected, double[] actual, double tolerance = 1e-13)
    {
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected(i), actual[i], tolerance);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_weighted_sum_borrows_the_weights_as_the_factors_adjoints(bool constantFirst)
    {
        // f = Σ cᵢ·exp(xᵢ): ∂f/∂xᵢ = cᵢ·exp(xᵢ).
        double[] x = Data(N, 1), c = Data(N, 2);
        var weights = Tensor.Vector(c);
        var (gradient, borrowed) = GradientAndBorrowings(
            p => Sum(constantFirst ? weights * Exp(p[0]) : Exp(p[0]) * weights), Tensor.Vector(x));
        Assert.Equal(1, borrowed);
        AssertClose(i => c[i] * Math.Exp(x[i]), gradient);
    }

    [Fact]
    public void The_logistic_log_likelihood_borrows_y_and_one_minus_y()
    {
        // ∇ Σ y·log σ(Xθ) + (1 − y)·log σ(−Xθ) = Xᵀ(y − σ(Xθ)).
        const int n = 300, d = 4;
        double[] design = Data(n * d, 3), theta = Data(d, 4);
        double[] labels = [.. Data(n, 5).Select(v => v > 0 ? 1.0 : 0.0)];
        var x = Tensor.FromArray(design, n, d);
        var y = Tensor.Vector(labels);
        var (gradient, borrowed) = GradientAndBorrowings(
            p => { var z = x.MatMul(p[0]); return Sum(y * LogSigmoid(z) + (1.0 - y) * LogSigmoid(-z)); }, Tensor.Vector(theta));
        Assert.Equal(2, borrowed);
        var expected = LogisticClosedForm.At(design, labels, theta).Gradient;
        AssertClose(j => expected[j], gradient, 1e-11);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Borrowed_adjoints_receive_a_second_consumers_contribution(bool weightedSumLast)
    {
        // f = Σ c·u + Σ u², u = exp(x): ∂f/∂xᵢ = (cᵢ + 2uᵢ)·uᵢ. When the weighted sum's rule runs first it borrows c, and
        // the square's rule must add into c's values written out, not into c itself.
        double[] x = Data(N, 6), c = Data(N, 7);
        var weights = Tensor.Vector(c);
        var (gradient, borrowed) = GradientAndBorrowings(
            p =>
            {
                var u = Exp(p[0]);
                return weightedSumLast ? Sum(Square(u)) + Sum(weights * u) : Sum(weights * u) + Sum(Square(u));
            },
            Tensor.Vector(x));
        Assert.Equal(weightedSumLast ? 1 : 0, borrowed);
        AssertClose(i => (c[i] + 2 * Math.Exp(x[i])) * Math.Exp(x[i]), gradient, 1e-12);
        Assert.Equal(c, weights.ToArray());
    }

    [Fact]
    public void Borrowed_adjoints_are_written_out_for_a_rule_that_reads_its_adjoints_in_place()
    {
        // f = Σ c·(A·w): ∂f/∂w = Aᵀc; the matrix product's rule reads its output's adjoints from the tape's array.
        const int n = 400, k = 3;
        double[] a = Data(n * k, 8), w = Data(k, 9), c = Data(n, 10);
        var matrix = Tensor.FromArray(a, n, k);
        var weights = Tensor.Vector(c);
        var (gradient, borrowed) = GradientAndBorrowings(p => Sum(weights * matrix.MatMul(p[0])), Tensor.Vector(w));
        Assert.Equal(1, borrowed);
        AssertClose(j => Enumerable.Range(0, n).Sum(i => a[i * k + j] * c[i]), gradient, 1e-12);
    }

    [Fact]
    public void An_intermediates_gradient_and_a_view_of_it_read_the_borrowed_values_bit_for_bit()
    {
        // Σ c·u: ∂f/∂u = c exactly, NaN, ±0 and ∞ included; the view (a reshape taken after the sweep) reads the same.
        double[] c = [.. Data(40 * 30, 11)];
        c[0] = double.NaN;
        c[1] = -0.0;
        c[2] = double.PositiveInfinity;
        FreshTape.Run(() =>
        {
            using (AutoDiff.Tape.Scope())
            {
                var leaf = Tensor.Leaf(Tensor.Vector(Data(c.Length, 12)));
                var u = leaf * 2.0;
                var loss = Sum(Tensor.Vector(c) * u);
                loss.Backward();
                Assert.Equal(1, AutoDiff.Tape.Current.AdjointsBorrowed);
                Assert.True(SameBits.ButNaNSign(c, u.Grad.ToArray()));
                var view = u.Reshape(40, 30);
                Assert.True(SameBits.ButNaNSign(c, view.Grad.ToArray()));

                // The leaf's adjoints were cleared when the sweep began and receive 0 + 2·c (so −0 becomes +0).
                Assert.True(SameBits.ButNaNSign([.. c.Select(v => 0.0 + 2 * v)], leaf.Grad.ToArray()));
            }
        });
    }

    [Fact]
    public void Repeated_sweeps_borrow_afresh_and_agree()
    {
        double[] x = Data(N, 13), c = Data(N, 14);
        FreshTape.Run(() =>
        {
            using (AutoDiff.Tape.Scope())
            {
                var leaf = Tensor.Leaf(Tensor.Vector(x));
                var u = Sin(leaf);
                var loss = Sum(Tensor.Vector(c) * u);
                for (int sweep = 1; sweep <= 3; sweep++)
                {
                    loss.Backward();
                    Assert.Equal(sweep, AutoDiff.Tape.Current.AdjointsBorrowed);
                    AssertClose(i => c[i] * Math.Cos(x[i]), leaf.Grad.ToArray());
                }
            }
        });
    }

    [Fact]
    public void No_borrowing_where_the_adjoints_are_not_exactly_the_constant()
    {
        // Mean scales by 1/n, a broadcast constant is not one value per element, a variable factor is not constant:
        // each computes its adjoints as before.
        double[] x = Data(2 * N, 15), c = Data(N, 16), v = Data(2 * N, 17);
        var weights = Tensor.Vector(c);
        var matrixWeights = Tensor.FromArray(c, 1, N);
        var other = Tensor.Vector(v);
        (Func<Tensor[], Tensor> F, Func<int, double> Expected)[] cases =
        [
            (p => Mean(Tensor.FromArray([.. c, .. c], 2 * N) * Exp(p[0])), i => c[i % N] * Math.Exp(x[i]) / (2 * N)),
            (p => Sum(matrixWeights * Exp(p[0]).Reshape(2, N)), i => c[i % N] * Math.Exp(x[i])),
            (p => Sum(Exp(p[0]) * (p[0] + other)), i => Math.Exp(x[i]) * (x[i] + v[i]) + Math.Exp(x[i])),
            (p => Sum(-(Tensor.FromArray([.. c, .. c], 2 * N) * Exp(p[0]))), i => -c[i % N] * Math.Exp(x[i])),
        ];
        foreach (var (f, expected) in cases)
        {
            var (gradient, borrowed) = GradientAndBorrowings(f, Tensor.Vector(x));
            Assert.Equal(0, borrowed);
            AssertClose(expected, gradient, 1e-12);
        }
    }

    [Fact]
    public void A_compiled_gradient_equals_the_eager_one_bit_for_bit()
    {
        double[] x = Data(N, 18), c = Data(N, 19);
        var weights = Tensor.Vector(c);
        Tensor F(Tensor[] p) => Sum(weights * LogSigmoid(p[0]) + (1.0 - weights) * Exp(-p[0]));
        var eager = AD.Grad(F, Tensor.Vector(x))[0].ToArray();
        var compiled = AD.Compile(F, Tensor.Vector(x));
        for (int call = 0; call < 3; call++)
        {
            Assert.True(SameBits.ButNaNSign(eager, compiled.Grad(Tensor.Vector(x))[0].ToArray()));
        }

        AssertClose(i => c[i] * (1 / (1 + Math.Exp(x[i]))) - (1 - c[i]) * Math.Exp(-x[i]), eager, 1e-12);
    }

    [Fact]
    public void A_Hessian_through_a_weighted_sum()
    {
        // f = Σ c·exp(x): the Hessian is diag(c·exp(x)). Its sweeps carry tangents and borrow nothing.
        double[] x = Data(6, 20), c = Data(6, 21);
        var weights = Tensor.Vector(c);
        var hessian = AD.Hessian(p => Sum(weights * Exp(p)), Tensor.Vector(x)).ToArray();
        for (int i = 0; i < 6; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                Assert.Equal(i == j ? c[i] * Math.Exp(x[i]) : 0.0, hessian[i * 6 + j], 1e-13);
            }
        }
    }
}
