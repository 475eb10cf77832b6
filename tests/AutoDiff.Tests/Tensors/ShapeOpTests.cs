using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

public class ShapeOpTests
{
    private static double[] Seq(int n, double start = 1) => Enumerable.Range(0, n).Select(i => start + i).ToArray();

    private static double[] Wave(int seed, int n) =>
        Enumerable.Range(0, n).Select(i => Math.Sin(seed * 3.1 + i * 1.3) + 0.2 * Math.Cos(i * seed + 0.5)).ToArray();


    // Element [i, j, k] of a row-major tensor of shape [_, d1, d2].
    private static double At(double[] data, int[] shape, int i, int j, int k) => data[(i * shape[1] + j) * shape[2] + k];

    // ---- Concat: values ----

    [Fact]
    public void Concat_of_matrices_along_axis_0_puts_them_one_above_the_other()
    {
        var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var b = Tensor.FromArray([7, 8, 9], 1, 3);
        var y = Concat(0, a, b);
        Assert.Equal([3, 3], y.Shape);
        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7, 8, 9], y.ToArray());
        Assert.True(y.IsConstant);
    }

    [Fact]
    public void Concat_of_matrices_along_axis_1_and_axis_minus_1_puts_them_side_by_side()
    {
        var a = Tensor.FromArray([1, 2, 3, 4], 2, 2);
        var b = Tensor.FromArray([5, 6, 7, 8, 9, 10], 2, 3);
        double[] expected = [1, 2, 5, 6, 7, 3, 4, 8, 9, 10];
        Assert.Equal([2, 5], Concat(1, a, b).Shape);
        Assert.Equal(expected, Concat(1, a, b).ToArray());
        Assert.Equal(expected, Concat(-1, a, b).ToArray());
        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7, 8], Concat(-2, a, Tensor.FromArray(Seq(4, 5), 2, 2)).ToArray()); // −2 is axis 0
    }

    [Fact]
    public void Concat_of_vectors_joins_them_and_a_single_tensor_is_copied()
    {
        Assert.Equal([1.0, 2, 3, 4, 5], Concat(0, Tensor.Vector(1, 2), Tensor.Vector(3), Tensor.Vector(4, 5)).ToArray());
        Assert.Equal([1.0, 2], Concat(0, Tensor.Vector(1, 2)).ToArray());
        Assert.Equal([1.0, 2], Concat(0, Tensor.Vector(1, 2), Tensor.Zeros(0)).ToArray());
    }

    [Fact]
    public void Concat_of_rank_3_tensors_along_the_middle_axis_matches_elementwise_indexing()
    {
        int[] sa = [2, 3, 4], sb = [2, 1, 4], sy = [2, 4, 4];
        double[] a = Seq(24), b = Seq(8, 100);
        var y = Concat(1, Tensor.FromArray(a, sa), Tensor.FromArray(b, sb));
        Assert.Equal(sy, y.Shape);
        var ys = y.ToArray();
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                for (int k = 0; k < 4; k++)
                {
                    double expected = j < 3 ? At(a, sa, i, j, k) : At(b, sb, i, j - 3, k);
                    Assert.Equal(expected, At(ys, sy, i, j, k));
                }
            }
        }
    }

    // ---- Concat: gradients ----

    [Fact]
    public void Concat_gradient_hands_each_input_its_slice_of_the_seed()
    {
        // y = Σ w ∘ concat₁(a, b): ∂y/∂a = w[:, :2], ∂y/∂b = w[:, 2:].
        double[] w = Seq(10, 10); // 2 × 5
        var g = AD.Grad(t => Sum(Concat(1, t[0], t[1]) * Tensor.FromArray(w, 2, 5)),
            Tensor.Zeros(2, 2), Tensor.Zeros(2, 3));
        Assert.Equal([2, 2], g[0].Shape);
        Assert.Equal([10.0, 11, 15, 16], g[0].ToArray());
        Assert.Equal([12.0, 13, 14, 17, 18, 19], g[1].ToArray());
    }

    [Fact]
    public void Concat_accumulates_into_inputs_used_more_than_once_and_skips_constants()
    {
        // y = Σ w ∘ concat₀(a, c, a) with c constant: ∂y/∂a = w[0] + w[2].
        var g = AD.Grad(t => Sum(Concat(0, t[0], Tensor.Vector(7, 7), t[0]) * Tensor.Vector(1, 2, 30, 40, 500, 600)),
            Tensor.Vector(0, 0));
        Assert.Equal([501.0, 602], g[0].ToArray());
    }

    [Fact]
    public void Concat_gradients_agree_with_finite_differences_along_every_axis_including_negative_ones()
    {
        for (int axis = -3; axis < 3; axis++)
        {
            int ax = axis < 0 ? axis + 3 : axis;
            int[] sa = [2, 3, 2], sb = [2, 3, 2];
            sb[ax] = 1;
            int na = 12, nb = sb[0] * sb[1] * sb[2];
            int nw = na + nb;
            double[] weights = Wave(7, nw);
            int capturedAxis = axis;
            Func<Var[], Var> f = v =>
            {
                var a = VarTensors.FromVars(v[..na], sa);
                var b = VarTensors.FromVars(v[na..], sb);
                var y = Concat(capturedAxis, Tanh(a), Square(b));
                return Sum(Sin(y.Reshape(nw) * Tensor.FromArray(weights, nw)));
            };

            GradCheck.Assert(f, Wave(axis + 11, na + nb));
        }
    }

    // ---- Stack ----

    [Fact]
    public void Stack_along_axis_0_makes_the_inputs_rows_and_along_axis_minus_1_their_columns()
    {
        var a = Tensor.Vector(1, 2, 3);
        var b = Tensor.Vector(4, 5, 6);
        var rows = Stack(0, a, b);
        Assert.Equal([2, 3], rows.Shape);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], rows.ToArray());

        var columns = Stack(-1, a, b);
        Assert.Equal([3, 2], columns.Shape);
        Assert.Equal([1.0, 4, 2, 5, 3, 6], columns.ToArray());
        Assert.Equal(columns.ToArray(), Stack(1, a, b).ToArray());
        Assert.Equal(rows.ToArray(), Stack(-2, a, b).ToArray());
    }

    [Fact]
    public void Stack_of_matrices_along_the_middle_axis_matches_elementwise_indexing()
    {
        double[] a = Seq(6), b = Seq(6, 10), c = Seq(6, 20);
        var y = Stack(1, Tensor.FromArray(a, 2, 3), Tensor.FromArray(b, 2, 3), Tensor.FromArray(c, 2, 3));
        int[] sy = [2, 3, 3];
        Assert.Equal(sy, y.Shape);
        var ys = y.ToArray();
        double[][] inputs = [a, b, c];
        for (int i = 0; i < 2; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                for (int j = 0; j < 3; j++)
                {
                    Assert.Equal(inputs[k][i * 3 + j], At(ys, sy, i, k, j));
                }
            }
        }
    }

    [Fact]
    public void Stack_of_Vars_makes_a_vector_whose_gradient_reaches_each_Var()
    {
        // y = Σᵢ wᵢ · stack(x₀², x₀x₁, sin x₁)ᵢ.
        double[] x = [0.7, -1.3];
        var g = AD.Grad(v => (Var)Sum(Stack(0, v[0] * v[0], v[0] * v[1], Sin(v[1])) * Tensor.Vector(2, 3, 5)), x);
        Assert.Equal(2 * 2 * x[0] + 3 * x[1], g[0], 1e-14);
        Assert.Equal(3 * x[0] + 5 * Math.Cos(x[1]), g[1], 1e-14);
    }

    [Fact]
    public void Stack_gradients_agree_with_finite_differences_for_every_axis()
    {
        for (int axis = -3; axis <= 2; axis++)
        {
            int capturedAxis = axis;
            double[] weights = Wave(3, 18);
            Func<Var[], Var> f = v =>
            {
                var a = VarTensors.FromVars(v[..6], 2, 3);
                var b = VarTensors.FromVars(v[6..12], 2, 3);
                var y = Stack(capturedAxis, Exp(a), a * b, Tensor.FromArray(Seq(6), 2, 3));
                return Sum(Tanh(y.Reshape(18) * Tensor.FromArray(weights, 18)));
            };

            GradCheck.Assert(f, Wave(axis + 20, 12));
        }
    }

    // ---- Rows ----

    [Fact]
    public void Rows_selects_first_axis_slices_in_the_given_order_with_repeats()
    {
        var x = Tensor.FromArray(Seq(12), 4, 3);
        var y = Rows(x, [3, 0, 3]);
        Assert.Equal([3, 3], y.Shape);
        Assert.Equal([10.0, 11, 12, 1, 2, 3, 10, 11, 12], y.ToArray());
        Assert.Equal(y.ToArray(), x.Rows(3, 0, 3).ToArray());
        Assert.Equal(y.ToArray(), Rows(x, new[] { 3, 0, 3 }).ToArray());

        Assert.Equal([30.0, 10], Tensor.Vector(10, 20, 30).Rows(2, 0).ToArray()); // a vector's rows are its elements
        var none = x.Rows();
        Assert.Equal([0, 3], none.Shape);
        Assert.Empty(none.ToArray());
    }

    [Fact]
    public void Rows_and_CrossEntropy_take_indices_and_labels_as_tensors_of_whole_numbers()
    {
        var x = Tensor.FromArray(Seq(12), 4, 3);
        Assert.Equal([10.0, 11, 12, 1, 2, 3, 10, 11, 12], Rows(x, Tensor.Vector(3, 0, 3)).ToArray());
        Assert.Equal([4.0, 5, 6], x.Rows(Tensor.Scalar(1)).ToArray());

        // y = Σ w ∘ x[idx]: ∂y/∂x[r] = Σ_{p: idx[p] = r} w[p], as with int indices; the indices get no gradient.
        double[] w = Seq(8, 1);
        var g = AD.Grad(t => Sum(Rows(t[0], t[1]) * Tensor.FromArray(w, 4, 2)), Tensor.Zeros(4, 2), Tensor.Vector(2, 0, 2, 2));
        Assert.Equal([3.0, 4, 0, 0, 1 + 5 + 7, 2 + 6 + 8, 0, 0], g[0].ToArray());
        Assert.Equal([0.0, 0, 0, 0], g[1].ToArray());

        Assert.Contains("2.5 at position 1", Assert.Throws<ArgumentException>(() => Rows(x, Tensor.Vector(0, 2.5))).Message);
        Assert.Contains("index 4 at position 0", Assert.Throws<ArgumentOutOfRangeException>(() => Rows(x, Tensor.Vector(4))).Message);
        Assert.Contains("[1, 2]", Assert.Throws<ArgumentException>(() => Rows(x, Tensor.Zeros(1, 2))).Message);

        // CE = Σₙ lse(θₙ) − θₙ,yₙ, the same for labels as an int[] or as a tensor.
        var logits = Tensor.FromArray([0.5, -1.0, 2.0, 0.0, 1.5, -0.5], 2, 3);
        Assert.Equal(CrossEntropy(logits, [2, 1]).Item(), CrossEntropy(logits, Tensor.Vector(2, 1)).Item());
        Assert.Equal(
            AD.Grad(p => CrossEntropy(p[0], [2, 1], Reduction.Mean), logits)[0].ToArray(),
            AD.Grad(p => CrossEntropy(p[0], Tensor.Vector(2, 1), Reduction.Mean), logits)[0].ToArray());
        Assert.Contains("label 0.5 at position 0", Assert.Throws<ArgumentException>(() => CrossEntropy(logits, Tensor.Vector(0.5, 1))).Message);
        Assert.Contains("label 3 at position 1", Assert.Throws<ArgumentException>(() => CrossEntropy(logits, Tensor.Vector(0, 3))).Message);
    }

    // NumPy: x = arange(1, 13).reshape(4, 3); x[1] is [4, 5, 6] of shape (3,), x[[1]] is [[4, 5, 6]] of shape (1, 3).
    // A rank-0 index tensor is x[i]; a vector of indices (and int indices, always a list) is x[[…]].
    [Fact]
    public void Rows_with_a_rank_0_index_drops_the_axis_as_NumPy_does_and_its_gradient_goes_into_that_row()
    {
        var x = Tensor.FromArray(Seq(12), 4, 3);
        var row = Rows(x, Tensor.Scalar(1));
        Assert.Equal([3], row.Shape);
        Assert.Equal([4.0, 5, 6], row.ToArray());
        Assert.Equal([1, 3], Rows(x, Tensor.Vector(1)).Shape);
        Assert.Equal([1, 3], x.Rows(1).Shape);

        // A vector's element is a rank-0 tensor (a Var); a rank-3 tensor's row a matrix: x[2] of 4×3×2 is 3×2.
        var element = Tensor.Vector(10, 20, 30).Rows(Tensor.Scalar(2));
        Assert.Equal([], element.Shape);
        Assert.Equal(30.0, element.Item());
        var slab = Rows(Tensor.FromArray(Seq(24), 4, 3, 2), Tensor.Scalar(2));
        Assert.Equal([3, 2], slab.Shape);
        Assert.Equal(Seq(6, 13), slab.ToArray());

        // The row is a vector, so it multiplies a matrix as one: W·x[1] = [4 + 12, 8 + 5 + 6] for W = [[1, 0, 2], [2, 1, 1]].
        var w = Tensor.FromArray([1, 0, 2, 2, 1, 1], 2, 3);
        Assert.Equal([16.0, 19], w.MatMul(row).ToArray());

        // f(x) = v·(W·x[i]) = (Wᵀv)·x[i]: ∂f/∂x is Wᵀv = [1·1 + 2·(−1), 0 − 1, 2 − 1] = [−1, −1, 1] in row i, 0 elsewhere; the
        // index, an argument, gets 0. Recorded, and compiled and replayed at another index.
        var v = Tensor.Vector(1, -1);
        Func<Tensor[], Tensor> f = p => Sum(v * w.MatMul(Rows(p[0], p[1])));
        var (value, g) = AD.ValueAndGrad(f, x, Tensor.Scalar(1));
        Assert.Equal(16.0 - 19.0, value);
        Assert.Equal([0.0, 0, 0, -1, -1, 1, 0, 0, 0, 0, 0, 0], g[0].ToArray());
        Assert.Equal([], g[1].Shape);
        Assert.Equal(0.0, g[1].Item());

        var compiled = AD.Compile(f, x, Tensor.Scalar(1));
        var (replayed, rg) = compiled.ValueAndGrad(x, Tensor.Scalar(3));
        Assert.Equal((10.0 + 24.0) - (20.0 + 11.0 + 12.0), replayed); // W·[10, 11, 12] = [34, 43]
        Assert.Equal([0.0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 1], rg[0].ToArray());

        // Second order through the selection: f(t) = t[1]² has Hessian 2 at (1, 1) only.
        var h = AD.Hessian(t => Square(Rows(t, Tensor.Scalar(1))), Tensor.Vector(0.5, -2, 3)).ToArray();
        Assert.Equal([0.0, 0, 0, 0, 2, 0, 0, 0, 0], h);
    }

    [Fact]
    public void Index_and_label_tensors_name_the_parameter_and_the_entry_in_any_culture()
    {
        var logits = Tensor.FromArray([0.0, 1, 2, 3], 2, 2);
        var huge = Assert.Throws<ArgumentException>(() => CrossEntropy(logits, Tensor.Vector(0, 3e9)));
        Assert.Contains("label 3000000000 at position 1 is out of range", huge.Message, StringComparison.Ordinal);
        Assert.Equal("labels", huge.ParamName);
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => Rows(logits, Tensor.Vector(double.NaN))).ParamName);

        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // A decimal comma, as de-DE's, built from the invariant culture so it exists in invariant-globalization mode too.
            var comma = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            System.Globalization.CultureInfo.CurrentCulture = comma;
            Assert.Equal("2,5", 2.5.ToString(comma));
            Assert.Contains("index 2.5 at position 1", Assert.Throws<ArgumentException>(() => Rows(logits, Tensor.Vector(0, 2.5))).Message, StringComparison.Ordinal);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Rows_of_a_rank_3_tensor_keeps_the_trailing_shape()
    {
        var x = Tensor.FromArray(Seq(24), 4, 3, 2);
        var y = x.Rows(1, 1);
        Assert.Equal([2, 3, 2], y.Shape);
        Assert.Equal([.. Seq(6, 7), .. Seq(6, 7)], y.ToArray());
    }

    [Fact]
    public void Rows_gradient_adds_up_over_repeated_indices_and_is_zero_for_rows_not_drawn()
    {
        // y = Σ w ∘ x[idx]: ∂y/∂x[r] = Σ_{p: idx[p] = r} w[p].
        int[] idx = [2, 0, 2, 2];
        double[] w = Seq(8, 1); // 4 × 2: rows (1,2), (3,4), (5,6), (7,8)
        var g = AD.Grad(t => Sum(Rows(t[0], idx) * Tensor.FromArray(w, 4, 2)), Tensor.Zeros(4, 2))[0];
        Assert.Equal([3.0, 4, 0, 0, 1 + 5 + 7, 2 + 6 + 8, 0, 0], g.ToArray());
    }

    [Fact]
    public void Rows_gradient_agrees_with_finite_differences()
    {
        int[] idx = [1, 1, 0, 3];
        double[] weights = Wave(5, 12);
        Func<Var[], Var> f = v =>
        {
            var x = VarTensors.FromVars(v, 4, 3);
            var batch = Rows(Sin(x), idx);
            return Sum(Square(batch * Tensor.FromArray(weights, 4, 3))) + Sum(Exp(x.Rows(2)));
        };

        GradCheck.Assert(f, Wave(9, 12));
    }

    [Fact]
    public void Rows_copies_its_indices_so_reusing_the_buffer_does_not_change_the_gradient()
    {
        using var scope = AutoDiff.Tape.Scope();
        var x = Tensor.Leaf(Tensor.Vector(1, 2, 3));
        int[] idx = [0, 0];
        var y = Rows(x, idx);
        idx[0] = 2;
        idx[1] = 2;
        Sum(y).Backward();
        Assert.Equal([2.0, 0, 0], x.Grad.ToArray());
    }

    // ---- Recording ----

    [Fact]
    public void Concat_copies_its_tensor_list_so_reusing_the_array_does_not_change_the_gradient()
    {
        using var scope = AutoDiff.Tape.Scope();
        var a = Tensor.Leaf(Tensor.Vector(1, 2));
        var b = Tensor.Leaf(Tensor.Vector(3));
        var list = new[] { a, b };
        var y = Concat(0, list);
        list[0] = b;
        list[1] = a;
        Sum(y * Tensor.Vector(10, 20, 30)).Backward();
        Assert.Equal([10.0, 20], a.Grad.ToArray());
        Assert.Equal([30.0], b.Grad.ToArray());
    }

    [Fact]
    public void Constant_inputs_give_constant_results_and_record_nothing()
    {
        using var scope = AutoDiff.Tape.Scope();
        var tape = AutoDiff.Tape.Current;
        int nodes = tape.NodeCount;
        var c = Tensor.Vector(1, 2);
        Assert.True(Concat(0, c, c).IsConstant);
        Assert.True(Stack(0, c, c).IsConstant);
        Assert.True(c.Rows(1, 0).IsConstant);
        Assert.Equal(nodes, tape.NodeCount);

        var v = Tensor.Leaf(c);
        Assert.False(Concat(0, c, v).IsConstant);
        Assert.False(Stack(0, v, c).IsConstant);
        Assert.False(v.Rows(0).IsConstant);

        using (AutoDiff.Tape.NoGrad())
        {
            Assert.True(Concat(0, v, v).IsConstant);
            Assert.True(v.Rows(0).IsConstant);
        }
    }

    [Fact]
    public void A_tensor_used_after_its_scope_ended_is_rejected()
    {
        Tensor stale;
        using (AutoDiff.Tape.Scope())
        {
            stale = Tensor.Leaf(Tensor.Vector(1, 2));
        }

        Assert.Throws<InvalidOperationException>(() => Concat(0, Tensor.Vector(0), stale));
        Assert.Throws<InvalidOperationException>(() => Stack(0, stale, stale));
        Assert.Throws<InvalidOperationException>(() => stale.Rows(0));
    }

    // ---- Errors ----

    [Fact]
    public void Concat_shape_mismatch_names_the_axis_both_shapes_and_the_dimension()
    {
        var error = Assert.Throws<ArgumentException>(() => Concat(1, Tensor.Zeros(2, 3), Tensor.Zeros(3, 3)));
        Assert.Contains("Concat: along axis 1, shapes [2, 3] and [3, 3] differ in dimension 0", error.Message);

        error = Assert.Throws<ArgumentException>(() => Concat(0, Tensor.Zeros(2, 3), Tensor.Zeros(2, 3), Tensor.Zeros(2, 4)));
        Assert.Contains("Concat: along axis 0, shapes [2, 3] and [2, 4] differ in dimension 1 (tensors 0 and 2)", error.Message);

        error = Assert.Throws<ArgumentException>(() => Concat(0, Tensor.Zeros(2, 3), Tensor.Zeros(3)));
        Assert.Contains("Concat: along axis 0, shapes [2, 3] and [3] have different ranks (2 vs 1)", error.Message);
    }

    [Fact]
    public void Concat_axis_out_of_range_names_the_axis_and_the_rank()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Concat(2, Tensor.Zeros(2, 3), Tensor.Zeros(2, 3)));
        Assert.Contains("Concat: axis 2 is out of range for tensors of rank 2 (shape [2, 3]); it must lie in [-2, 1]", error.Message);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => Concat(-3, Tensor.Zeros(2, 3)));
        Assert.Contains("axis -3", error.Message);
        Assert.Equal("axis", error.ParamName);
    }

    [Fact]
    public void Concat_and_Stack_reject_an_empty_list_and_Concat_rejects_scalars()
    {
        Assert.Contains("Concat: needs at least one tensor", Assert.Throws<ArgumentException>(() => Concat(0)).Message);
        Assert.Contains("Stack: needs at least one tensor", Assert.Throws<ArgumentException>(() => Stack(0)).Message);
        Assert.Contains("Concat: tensor 1 has rank 0", Assert.Throws<ArgumentException>(() => Concat(0, Tensor.Vector(1), Tensor.Scalar(2))).Message);
        Assert.Throws<ArgumentNullException>(() => Concat(0, Tensor.Vector(1), null!));
        Assert.Throws<ArgumentNullException>(() => Stack(0, (Tensor[])null!));
    }

    [Fact]
    public void Stack_shape_mismatch_and_axis_out_of_range_are_named()
    {
        var error = Assert.Throws<ArgumentException>(() => Stack(0, Tensor.Zeros(2, 3), Tensor.Zeros(3, 3)));
        Assert.Contains("Stack: along new axis 0, shapes [2, 3] and [3, 3] differ (tensors 0 and 1)", error.Message);

        var range = Assert.Throws<ArgumentOutOfRangeException>(() => Stack(3, Tensor.Zeros(2, 3), Tensor.Zeros(2, 3)));
        Assert.Contains("Stack: axis 3 is out of range for stacking tensors of rank 2", range.Message);
        Assert.Contains("it must lie in [-3, 2]", range.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Stack(-4, Tensor.Zeros(2, 3)));
        Assert.Equal([1, 2, 3], Stack(-3, Tensor.Zeros(2, 3)).Shape);
    }

    [Fact]
    public void Rows_index_out_of_range_names_the_index_its_position_and_the_number_of_rows()
    {
        var x = Tensor.Zeros(4, 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => x.Rows(0, 3, 4));
        Assert.Contains("Rows: index 4 at position 2 is out of range for a tensor with 4 rows (shape [4, 2])", error.Message);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => Rows(x, [-1]));
        Assert.Contains("index -1 at position 0", error.Message);
        Assert.Contains("shape []", Assert.Throws<ArgumentException>(() => Tensor.Scalar(1).Rows(0)).Message);
    }
}
