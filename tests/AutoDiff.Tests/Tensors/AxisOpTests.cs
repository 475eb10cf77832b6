using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

public class AxisOpTests
{
    private static readonly double[] Data = [1, 2, 3, 4, 5, 6]; // 2×3

    [Fact]
    public void Sum_and_Mean_along_an_axis_with_and_without_kept_dimensions()
    {
        var x = Tensor.FromArray(Data, 2, 3);
        Assert.Equal([5.0, 7, 9], Sum(x, 0).ToArray());
        Assert.Equal([3], Sum(x, 0).Shape);
        Assert.Equal([6.0, 15], Sum(x, -1).ToArray());
        Assert.Equal([2, 1], Sum(x, 1, keepDims: true).Shape);
        Assert.Equal([2.0, 5], Mean(x, 1).ToArray());

        // ∂/∂x Σᵢ wᵢ·meanⱼ xᵢⱼ = wᵢ/3 on every column.
        var g = AD.Grad(t => Sum(Mean(t[0], 1) * Tensor.Vector(3, 6)), x)[0];
        Assert.Equal([1.0, 1, 1, 2, 2, 2], g.ToArray());
        Assert.Contains("axis 2 is out of range for a tensor of shape [2, 3] (rank 2)",
            Assert.Throws<ArgumentOutOfRangeException>(() => Sum(x, 2)).Message);
    }

    [Fact]
    public void Means_divide_by_the_count_so_the_mean_of_equal_values_is_that_value()
    {
        // NumPy's mean and PyTorch's are Σx / n. In doubles 49 · (1/49) = 0.9999999999999999, so a product with 1/n
        // was an ulp off for n = 49: the mean of 49 ones, and 49 · ∂mean/∂x, must be exactly 1.
        const int n = 49;
        var ones = Tensor.FromArray([.. Enumerable.Repeat(1.0, 2 * n)], 2, n);
        Assert.Equal(1.0, Mean(ones.Rows(0)).Item());
        Assert.Equal([1.0, 1.0], Mean(ones, 1).ToArray());
        Assert.Equal([1.0, 1.0], Mean(ones, -1, keepDims: true).ToArray());
        Assert.All(AD.Grad(t => n * Mean(t[0]), ones.Rows(0))[0].ToArray(), g => Assert.Equal(1.0, g));
        Assert.All(AD.Grad(t => Sum(n * Mean(t[0], 1)), ones)[0].ToArray(), g => Assert.Equal(1.0, g));
        Assert.Equal(1.0 / n, AD.Hessian(t => Square(Mean(t)) * 0.5 * n, ones.Rows(0)).ToArray()[0], 1e-16); // ∂²/∂x₀² = n · (1/n)² = 1/n

        // The mean cross-entropy too: 49 rows of [0, −50] labelled 1 each score 50 (+ log(1 + e⁻⁵⁰), below an ulp), so
        // the mean is 50 (was 49.99999999999999), and n · mean has gradient ±1 per row (p₁ = e⁻⁵⁰ vanishes beside 1).
        var logits = Tensor.FromArray([.. Enumerable.Range(0, 2 * n).Select(i => i % 2 == 0 ? 0.0 : -50.0)], n, 2);
        int[] labels = [.. Enumerable.Repeat(1, n)];
        Assert.Equal(50.0, CrossEntropy(logits, labels, Reduction.Mean).Item());
        var g = AD.Grad(t => n * CrossEntropy(t[0], labels, Reduction.Mean), logits)[0].ToArray();
        Assert.All(g.Where((_, k) => k % 2 == 0), v => Assert.Equal(1.0, v));
        Assert.All(g.Where((_, k) => k % 2 == 1), v => Assert.Equal(-1.0, v));
    }

    [Fact]
    public void MaxAlong_sends_the_gradient_to_the_maximum_and_splits_ties()
    {
        var x = Tensor.FromArray([1, 7, 7, 4, 2, 0], 2, 3);
        Assert.Equal([7.0, 4], MaxAlong(x, 1).ToArray());
        var g = AD.Grad(t => Sum(MaxAlong(t[0], 1)), x)[0];
        Assert.Equal([0.0, 0.5, 0.5, 1, 0, 0], g.ToArray());
        Assert.Equal([4.0, 7, 7], MaxAlong(x, 0).ToArray());
    }

    [Fact]
    public void Softmax_family_values_are_stable_for_huge_logits()
    {
        var x = Tensor.FromArray([1000, 1001, 999, -5, 0, 5], 2, 3);
        double z = Math.Exp(-1) + 1 + Math.Exp(-2);
        var lse = LogSumExp(x, 1).ToArray();
        Assert.Equal(1001 + Math.Log(z), lse[0], 1e-12);
        var softmax = Softmax(x).ToArray();
        Assert.Equal(Math.Exp(-1) / z, softmax[0], 1e-15);
        Assert.Equal(1 / z, softmax[1], 1e-15);
        var logSoftmax = LogSoftmax(x).ToArray();
        Assert.Equal(-1 - Math.Log(z), logSoftmax[0], 1e-12);
        Assert.Equal(1.0, softmax[3] + softmax[4] + softmax[5], 1e-15);
    }

    [Fact]
    public void LogSoftmax_and_CrossEntropy_keep_their_digits_for_logits_far_from_zero()
    {
        // Shift invariance: log softmax(x + c) = log softmax(x). With c = 2⁵⁰ every logit below is exact, so the
        // closed forms hold to rounding; computing x − (m + log s) rounded log s to m's scale (ulp 0.25 at 2⁵⁰, 2 at 10¹⁶).
        double c = Math.Pow(2, 50);
        double z = 1 + Math.Exp(-1) + Math.Exp(-4.5); // the shifted row [0, 1, −3.5] relative to its maximum 1
        double[] expected = [-1 - Math.Log(z), -Math.Log(z), -4.5 - Math.Log(z)];
        var shifted = LogSoftmax(Tensor.FromArray([c, c + 1, c - 3.5, 0, 1, -3.5], 2, 3)).ToArray();
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(expected[j], shifted[j], 1e-15);     // was −1.25, 0, −4.5 (the shifted row)
            Assert.Equal(expected[j], shifted[3 + j], 1e-15);
        }

        // Two equal logits of 10¹⁶: each has probability ½, log-probability −ln 2 (was 0) and cross-entropy ln 2 (was 0).
        var equal = Tensor.FromArray([1e16, 1e16], 1, 2);
        Assert.Equal([-Math.Log(2), -Math.Log(2)], LogSoftmax(equal).ToArray());
        Assert.Equal(Math.Log(2), CrossEntropy(equal, [1]).Item());
        Assert.Equal(1 + Math.Log(z), CrossEntropy(Tensor.FromArray([c, c + 1, c - 3.5], 1, 3), [0]).Item(), 1e-15); // was 1.25
    }

    [Fact]
    public void Softmax_family_gradients_agree_with_finite_differences()
    {
        double[] w = [0.3, -1.2, 2.0, 0.7, 0.1, -0.4];
        Func<Var[], Var> f = v =>
        {
            var x = VarTensors.FromVars(v, 2, 3);
            var weights = Tensor.FromArray(w, 2, 3);
            return Sum(Softmax(x) * weights) + Sum(LogSoftmax(x, 0) * weights) + Sum(Square(LogSumExp(x, 1)));
        };

        GradCheck.Assert(f, [0.5, -1.0, 2.0, 0.1, 0.2, -0.3]);
    }

    [Fact]
    public void LogSumExp_over_all_elements_is_a_scalar_whose_gradient_is_the_softmax()
    {
        var x = Tensor.FromArray([700, 701, 699, 700], 2, 2);
        double z = 1 + Math.E + Math.Exp(-1) + 1;
        var (value, g) = AD.ValueAndGrad(t => LogSumExp(t[0]), x);
        Assert.Equal(700 + Math.Log(z), value, 1e-12);
        Assert.Equal([1 / z, Math.E / z, Math.Exp(-1) / z, 1 / z], g[0].ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);
        Assert.Equal(double.NegativeInfinity, LogSumExp(Tensor.Zeros(0)).Item());
    }

    [Fact]
    public void Minus_infinity_entries_get_probability_zero_and_gradient_zero()
    {
        double inf = double.NegativeInfinity;
        var x = Tensor.FromArray([inf, 0, 0, inf, inf, 2], 2, 3);
        Assert.Equal([0.0, 0.5, 0.5, 0, 0, 1], Softmax(x).ToArray());
        Assert.Equal(Math.Log(2), LogSumExp(x, 1).ToArray()[0], 1e-15);

        var g = AD.Grad(t => Sum(Softmax(t[0]) * Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3)) + Sum(LogSumExp(t[0], 1)), x)[0].ToArray();
        Assert.Equal(0.0, g[0]);
        Assert.Equal(0.0, g[3]);
        Assert.Equal(0.0, g[4]);
        Assert.All(g, v => Assert.False(double.IsNaN(v)));
        // Row 0: softmax over the finite entries (½, ½): ∂/∂x₁ = ½(2 − 2.5) + ½ = 0.25, ∂/∂x₂ = ½(3 − 2.5) + ½ = 0.75.
        Assert.Equal(0.25, g[1], 1e-15);
        Assert.Equal(0.75, g[2], 1e-15);
    }

    // Rows with no probabilities: a NaN (as a diverging model makes), a +∞ (∞/∞), every entry −∞ (0/0). NumPy, PyTorch
    // and JAX give NaN; zeros (what these rows gave before) would hide the NaN.
    [Theory]
    [InlineData(0.0, double.NaN, 1.0, double.NaN)]
    [InlineData(double.PositiveInfinity, 0.0, 1.0, double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity)]
    public void A_row_whose_log_sum_exp_is_not_finite_has_NaN_probabilities_and_gradients(double a, double b, double c, double logSumExp)
    {
        var x = Tensor.FromArray([a, b, c, 0, 1, 2], 2, 3);
        var weights = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        double[] finiteRow = [.. Softmax(Tensor.Vector(0, 1, 2)).ToArray()];
        double[] finiteLogRow = [.. LogSoftmax(Tensor.Vector(0, 1, 2)).ToArray()];

        var softmax = Softmax(x).ToArray();
        var logSoftmax = LogSoftmax(x).ToArray();
        Assert.All(softmax[..3], p => Assert.True(double.IsNaN(p), $"softmax {p}"));
        Assert.All(logSoftmax[..3], p => Assert.True(double.IsNaN(p), $"log-softmax {p}"));
        Assert.Equal(finiteRow, softmax[3..]);
        Assert.Equal(finiteLogRow, logSoftmax[3..]);
        Assert.Equal(logSumExp, LogSumExp(x, 1).ToArray()[0]);

        foreach (Func<Tensor, Tensor> f in new Func<Tensor, Tensor>[] { t => Sum(Softmax(t) * weights), t => Sum(LogSoftmax(t) * weights), t => Sum(LogSumExp(t, 1)) })
        {
            var g = AD.Grad(p => f(p[0]), x)[0].ToArray();
            Assert.All(g[..3], v => Assert.True(double.IsNaN(v), $"gradient {v} in the row without probabilities"));
            Assert.All(g[3..], v => Assert.True(double.IsFinite(v), $"gradient {v} in the finite row"));
        }
    }

    [Fact]
    public void MaxAlong_of_a_slice_holding_NaN_is_NaN_with_the_gradient_on_the_NaNs()
    {
        // The NaNs are the slice's maximum (they are what Math.Max passes on, as in PyTorch's amax), and the derivative of
        // the maximum in them is undefined: their gradient is NaN (NaN propagates, as the elementwise Max gives its NaN
        // operand); the slice's finite entries get 0, and a slice without NaN is untouched (4 gets its weight 3).
        var x = Tensor.FromArray([0, double.NaN, 1, double.NaN, 5, double.NaN, 2, 3, 4], 3, 3);
        var (value, g) = AD.ValueAndGrad(t => Sum(MaxAlong(t[0], 1) * Tensor.Vector(1, 2, 3)), x);
        Assert.True(double.IsNaN(value));
        Assert.Equal([0.0, double.NaN, 0, double.NaN, 0, double.NaN, 0, 0, 3], g[0].ToArray());
    }

    // Forward over reverse through MaxAlong of a slice holding NaN: its tangent is NaN along a direction that moves one
    // of the NaNs and 0 along one that moves none, as the reverse rule gives the NaNs NaN and the rest 0. H[b, x] of
    // Σ MaxAlong(x)·b is the Jacobian of MaxAlong.
    [Fact]
    public void MaxAlong_JVP_of_a_NaN_slice_matches_its_gradient()
    {
        var t = Tensor.FromArray([double.NaN, 1, double.NaN, 2, 3, 4, 10, 20], 8);
        var h = AD.Hessian(u =>
        {
            var m = u.Reshape(4, 2);
            return Sum(MaxAlong(Rows(m, 0, 1, 2).Reshape(2, 3), 1) * Rows(m, 3).Reshape(2));
        }, t).ToArray();
        Assert.Equal([double.NaN, 0, double.NaN, 0, 0, 0], h[48..54]);
        Assert.Equal([0.0, 0, 0, 0, 0, 1], h[56..62]);
    }

    // A slice of the softmax family whose outputs are not used contributes nothing to the gradient or the Hessian, even
    // when its probabilities are NaN (a fully masked row, a diverged row computed but not used), as elementwise ops do.
    [Theory]
    [InlineData(double.PositiveInfinity, 0.0)]
    [InlineData(double.NaN, 0.0)]
    [InlineData(double.NegativeInfinity, double.NegativeInfinity)]
    public void An_unused_row_without_probabilities_contributes_nothing(double a, double b)
    {
        var x = Tensor.FromArray([a, b, 1, 2], 2, 2);
        var w = Tensor.FromArray([3, 4], 1, 2);
        foreach (Func<Tensor, Tensor> f in new Func<Tensor, Tensor>[]
        {
            t => Sum(Rows(Softmax(t), 1) * w), t => Sum(Rows(LogSoftmax(t), 1) * w), t => Sum(Rows(LogSumExp(t, 1, keepDims: true), 1)),
            t => { Softmax(t); LogSumExp(t, 1); LogSoftmax(t); return Sum(Rows(t, 1) * w); },
        })
        {
            var g = AD.Grad(p => f(p[0]), x)[0].ToArray();
            Assert.All(g, v => Assert.True(double.IsFinite(v), $"gradient {v}"));
            Assert.Equal([0.0, 0.0], g[..2]);
            var h = AD.HessianVectorProduct(f, x, Tensor.FromArray([1, 1, 1, 1], 2, 2)).ToArray();
            Assert.All(h, v => Assert.True(double.IsFinite(v), $"Hv {v}"));
        }
    }

    [Fact]
    public void CrossEntropy_sum_and_mean_equal_the_definition_and_their_gradient_is_softmax_minus_onehot()
    {
        var logits = Tensor.FromArray([2, 1, 0.1, 0.5, 2.5, -1], 2, 3);
        int[] labels = [0, 2];
        double ce0 = -Math.Log(Math.Exp(2) / (Math.Exp(2) + Math.Exp(1) + Math.Exp(0.1)));
        double ce1 = -Math.Log(Math.Exp(-1) / (Math.Exp(0.5) + Math.Exp(2.5) + Math.Exp(-1)));

        var (sum, g) = AD.ValueAndGrad(t => CrossEntropy(t[0], labels), logits);
        Assert.Equal(ce0 + ce1, sum, 1e-13);
        Assert.Equal((ce0 + ce1) / 2, CrossEntropy(logits, labels, Reduction.Mean).Item(), 1e-13);

        var p = Softmax(logits).ToArray();
        double[] expected = [p[0] - 1, p[1], p[2], p[3], p[4], p[5] - 1];
        Assert.Equal(expected, g[0].ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);
    }

    // A +∞ beside a finite label used to score +∞ with the gradient row [NaN, −1, 0]: finite-looking entries beside the
    // NaN, and a loss that −LogSoftmax at the label (NaN for such a row, as PyTorch's and JAX's) did not equal.
    [Theory]
    [InlineData(double.PositiveInfinity, 0.0, 1.0, 1)] // +∞ in another class
    [InlineData(double.PositiveInfinity, 0.0, 1.0, 0)] // +∞ in the label's class
    [InlineData(0.0, double.NaN, 1.0, 2)]
    [InlineData(double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, 0)]
    public void CrossEntropy_of_a_row_with_no_probabilities_is_NaN_with_a_NaN_gradient_row(double a, double b, double c, int label)
    {
        var logits = Tensor.FromArray([a, b, c, 0.5, 2.5, -1], 2, 3);
        int[] labels = [label, 2];
        double finiteRow = -LogSoftmax(Tensor.Vector(0.5, 2.5, -1)).ToArray()[2];

        // −LogSoftmax at the label, row by row: the first row's is NaN (A_row_whose_log_sum_exp_is_not_finite_…).
        Assert.True(double.IsNaN(LogSoftmax(logits).ToArray()[label]));
        var (loss, g) = AD.ValueAndGrad(t => CrossEntropy(t[0], labels), logits);
        Assert.True(double.IsNaN(loss), $"loss {loss}");
        var gradient = g[0].ToArray();
        Assert.All(gradient[..3], v => Assert.True(double.IsNaN(v), $"gradient {v}"));

        // The other row is untouched: its loss alone, and softmax − onehot.
        Assert.Equal(finiteRow, CrossEntropy(Tensor.FromArray([0.5, 2.5, -1], 1, 3), [2]).Item(), 1e-15);
        var p = Softmax(Tensor.Vector(0.5, 2.5, -1)).ToArray();
        Assert.Equal([p[0], p[1], p[2] - 1], gradient[3..], (x, y) => Math.Abs(x - y) < 1e-15);
        Assert.True(double.IsNaN(CrossEntropy(logits, labels, Reduction.Mean).Item()));
    }

    [Fact]
    public void CrossEntropy_rejects_bad_labels_by_name()
    {
        var logits = Tensor.Zeros(2, 3);
        Assert.Contains("label 3 at position 1 is out of range for 3 classes",
            Assert.Throws<ArgumentException>(() => CrossEntropy(logits, [0, 3])).Message);
        Assert.Contains("1 labels for logits of shape [2, 3]",
            Assert.Throws<ArgumentException>(() => CrossEntropy(logits, [0])).Message);
    }


    [Fact]
    public void Whole_tensor_sum_and_its_gradient_are_right_for_every_length_around_the_vector_width_and_propagate_NaN_and_infinity()
    {
        var random = new Random(5);
        for (int n = 0; n <= 40; n++)
        {
            var values = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var (sum, g) = AD.ValueAndGrad(t => Sum(t[0]) * 3.0, Tensor.Vector(values));
            Assert.Equal(3.0 * values.Sum(), sum, 1e-14);
            Assert.All(g[0].ToArray(), d => Assert.Equal(3.0, d));
        }

        var special = Enumerable.Repeat(1.0, 33).ToArray();
        special[20] = double.PositiveInfinity;
        Assert.Equal(double.PositiveInfinity, Sum(Tensor.Vector(special)).Item());
        special[5] = double.NegativeInfinity;
        Assert.True(double.IsNaN(Sum(Tensor.Vector(special)).Item()));
        special[5] = double.NaN;
        Assert.True(double.IsNaN(Sum(Tensor.Vector(special)).Item()));
    }
}
