using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoDiff.Tests.Simd;
using Xunit;
using static AutoDiff.Tests.Ulp;
using AutoDiff.Benchmarks.Workloads;
using static AutoDiff.Tests.Tensors.FusedFunctions;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// Declared functions of three and four inputs over tensors: one fused pass and one tape record, checked against the
/// double function (values), finite differences (gradients, with broadcasting), the scalar fallback (the vector loops),
/// the Var path (element by element) and finite differences of the AD gradient (Hessians).
/// </summary>
public class FusedKernelTests
{
    private sealed record Function(
        string Name, int Arity, bool Exact, Func<Tensor[], Tensor> OnTensors, Func<double[], double> OnDoubles, Func<Var[], Var> OnVars,
        Func<Random, double> Draw);

    private static double Anything(Random r) => 6 * r.NextDouble() - 3;

    private static double Positive(Random r) => 0.5 + 1.5 * r.NextDouble();

    // Exact: the vector body is the same IEEE arithmetic as the double function (or there is none), so values agree bit
    // for bit; LogNormal's vector Log is within 1 ulp of Math.Log.
    private static readonly Function[] Functions =
    [
        new("Blend", 3, true, t => Blend(t[0], t[1], t[2]), d => Blend(d[0], d[1], d[2]), v => Blend(v[0], v[1], v[2]), Anything),
        new("Piecewise4", 4, true, t => Piecewise4(t[0], t[1], t[2], t[3]), d => Piecewise4(d[0], d[1], d[2], d[3]), v => Piecewise4(v[0], v[1], v[2], v[3]), Anything),
        new("TanhMix", 3, true, t => TanhMix(t[0], t[1], t[2]), d => TanhMix(d[0], d[1], d[2]), v => TanhMix(v[0], v[1], v[2]), Anything),
        new("LogNormal", 3, false, t => DeclaredDensities.LogNormal(t[0], t[1], t[2]), d => DeclaredDensities.LogNormal(d[0], d[1], d[2]),
            v => DeclaredDensities.LogNormal(v[0], v[1], v[2]), Positive),
    ];

    public static IEnumerable<object[]> Names() => Functions.Select(f => new object[] { f.Name });

    private static Function Named(string name) => Functions.Single(f => f.Name == name);

    private const long CloseUlps = 4;

    // A random output shape of rank 0–3, and for each input a broadcastable shape: leading dimensions dropped, some
    // extents 1.
    private static (int[] Output, int[][] Inputs) Shapes(Random random, int arity)
    {
        int[] output = [.. Enumerable.Range(0, random.Next(4)).Select(_ => random.Next(1, 5))];
        var inputs = new int[arity][];
        for (int k = 0; k < arity; k++)
        {
            int drop = random.Next(output.Length + 1);
            inputs[k] = [.. output.Skip(drop).Select(e => random.Next(3) == 0 ? 1 : e)];
        }

        // What they broadcast to: every extent is the drawn one or 1, so the largest, aligned from the right.
        int rank = inputs.Max(s => s.Length);
        int[] result = [.. Enumerable.Range(0, rank).Select(d => inputs.Max(s => d - (rank - s.Length) >= 0 ? s[d - (rank - s.Length)] : 1))];
        return (result, inputs);
    }

    private static double[] Draw(Random random, Function f, int[] shape) =>
        [.. Enumerable.Range(0, shape.Aggregate(1, (a, e) => a * e)).Select(_ => f.Draw(random))];

    // The element of an input that output element i reads under NumPy broadcasting, computed here independently.
    private static int SourceIndex(int[] output, int[] input, int i)
    {
        int offset = 0, stride = 1;
        for (int d = output.Length - 1, j = input.Length - 1; d >= 0; d--, j--)
        {
            int coordinate = i % output[d];
            i /= output[d];
            if (j >= 0)
            {
                offset += (input[j] == 1 ? 0 : coordinate) * stride;
                stride *= input[j];
            }
        }

        return offset;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Values_equal_the_double_function_elementwise_with_broadcasting(string name)
    {
        var f = Named(name);
        var random = new Random(17 + name.Length);
        for (int trial = 0; trial < 40; trial++)
        {
            var (output, shapes) = Shapes(random, f.Arity);
            double[][] values = [.. shapes.Select(s => Draw(random, f, s))];
            var y = f.OnTensors([.. values.Select((v, k) => Tensor.FromArray(v, shapes[k]))]);
            Assert.Equal(output, y.Shape);
            double[] actual = y.ToArray();
            for (int i = 0; i < actual.Length; i++)
            {
                double expected = f.OnDoubles([.. values.Select((v, k) => v[SourceIndex(output, shapes[k], i)])]);
                Assert.True(
                    f.Exact ? BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual[i]) : Ulps(expected, actual[i]) <= CloseUlps,
                    $"{name} element {i} of {string.Join("x", output)}: double function {expected:R}, tensor {actual[i]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradients_match_finite_differences_with_broadcasting_and_constant_inputs(string name)
    {
        var f = Named(name);
        var random = new Random(31 + name.Length);
        for (int trial = 0; trial < 25; trial++)
        {
            var (output, shapes) = Shapes(random, f.Arity);
            double[][] values = [.. shapes.Select(s => Draw(random, f, s))];
            double[] weights = Draw(random, Named("Blend"), output);

            // Some inputs are variables (at least one), the others constants captured by the function.
            bool[] variable = [.. Enumerable.Range(0, f.Arity).Select(_ => random.Next(3) != 0)];
            variable[random.Next(f.Arity)] = true;
            int[] vars = [.. Enumerable.Range(0, f.Arity).Where(k => variable[k])];
            Tensor Objective(Tensor[] p, double[][] at)
            {
                var inputs = Enumerable.Range(0, f.Arity)
                    .Select(k => variable[k] ? p[Array.IndexOf(vars, k)] : Tensor.FromArray(at[k], shapes[k])).ToArray();
                return AutoDiff.Ops.Sum(Tensor.FromArray(weights, output) * f.OnTensors(inputs));
            }

            var (_, gradients) = AD.ValueAndGrad(p => Objective(p, values), [.. vars.Select(k => Tensor.FromArray(values[k], shapes[k]))]);
            for (int v = 0; v < vars.Length; v++)
            {
                int k = vars[v];
                Assert.Equal(shapes[k], gradients[v].Shape);
                double[] g = gradients[v].ToArray();
                for (int j = 0; j < values[k].Length; j++)
                {
                    double Evaluate(double shift)
                    {
                        double[][] at = [.. values.Select(a => (double[])a.Clone())];
                        at[k][j] += shift;
                        return Objective([.. vars.Select(q => Tensor.FromArray(at[q], shapes[q]))], at).Item();
                    }

                    double h = 1e-5 * Math.Max(1.0, Math.Abs(values[k][j]));
                    double fd = (8 * (Evaluate(h) - Evaluate(-h)) - (Evaluate(2 * h) - Evaluate(-2 * h))) / (12 * h);
                    Assert.True(
                        Math.Abs(fd - g[j]) <= 1e-6 * Math.Max(1.0, Math.Abs(fd)),
                        $"{name} ∂/∂input {k}[{j}], shapes {string.Join(" ", shapes.Select(s => "[" + string.Join(",", s) + "]"))}: AD {g[j]:R}, FD {fd:R}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Tensor_values_and_gradients_equal_the_Var_path_elementwise(string name)
    {
        var f = Named(name);
        var random = new Random(5 + name.Length);
        const int n = 27;
        double[][] values = [.. Enumerable.Range(0, f.Arity).Select(_ => Draw(random, f, [n]))];
        double[] weights = Draw(random, Named("Blend"), [n]);
        Tensor y = null!;
        var (_, gradients) = AD.ValueAndGrad(
            p =>
            {
                y = f.OnTensors(p).Detach();
                return AutoDiff.Ops.Sum(Tensor.Vector(weights) * f.OnTensors(p));
            },
            [.. values.Select(Tensor.Vector)]);

        for (int i = 0; i < n; i++)
        {
            using (AutoDiff.Tape.Scope())
            {
                Var[] x = [.. values.Select(v => Var.Leaf(v[i]))];
                Var r = f.OnVars(x);
                r.Backward();
                AssertSame(f, $"value [{i}]", r.Value, y.ToArray()[i]);
                for (int k = 0; k < f.Arity; k++)
                {
                    // The tensor gradient is 0 + w·p accumulated into a zeroed adjoint, so −0 from w·p compares as 0.
                    AssertSame(f, $"∂/∂input {k} [{i}]", 0.0 + weights[i] * x[k].Grad, gradients[k].ToArray()[i]);
                }
            }
        }
    }

    private static void AssertSame(Function f, string what, double expected, double actual) =>
        Assert.True(
            f.Exact ? BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual) : Ulps(expected, actual) <= CloseUlps,
            $"{f.Name} {what}: Var path {expected:R}, tensor path {actual:R}");

    [Fact]
    public void The_declared_rules_pass_the_declared_op_sweep_at_both_orders()
    {
        // The rules the kernels evaluate, checked by finite differences at ordinary and edge points.
        DeclaredOpSweep.Assert(typeof(FusedFunctions));
        DeclaredOpSweep.Assert(typeof(DeclaredDensities));
    }

    [Fact]
    public void A_fused_call_records_one_tensor_operation_and_no_temporaries()
    {
        using (AutoDiff.Tape.Scope())
        {
            var y = Tensor.Leaf(Tensor.Vector(1.0, 2.0, 3.0));
            var mu = Tensor.Leaf(Tensor.Scalar(0.5));
            int nodes = AutoDiff.Tape.Current.NodeCount;
            var r = DeclaredDensities.LogNormal(y, mu, 2.0);

            // Only the output's nodes: the declared function is one op, not the eight of its body.
            Assert.Equal(nodes + 3, AutoDiff.Tape.Current.NodeCount);
            Assert.Equal(r.Node, nodes);
        }
    }

    [Fact]
    public void Mixed_Tensor_Var_and_double_arguments_resolve_and_agree_with_the_all_Tensor_call()
    {
        using (AutoDiff.Tape.Scope())
        {
            var y = Tensor.Vector(1.0, -2.0, 0.5);
            Var mu = Var.Leaf(0.25);
            var mixed = DeclaredDensities.LogNormal(y, mu, 1.5);
            var tensors = DeclaredDensities.LogNormal(y, (Tensor)mu, Tensor.Scalar(1.5));
            Assert.Equal(tensors.ToArray(), mixed.ToArray());

            // Three doubles call the double function, and a double with Vars the scalar overload (one node, no edge for y).
            Assert.Equal(DeclaredDensities.LogNormal(1.0, 0.25, 1.5), DeclaredDensities.LogNormal(1.0, mu, 1.5).Value);
            int edges = AutoDiff.Tape.Current.EdgeCount;
            _ = DeclaredDensities.LogNormal(1.0, mu, Var.Leaf(1.5));
            Assert.Equal(edges + 2, AutoDiff.Tape.Current.EdgeCount);
        }
    }

    [Fact]
    public void The_benchmarks_declared_logistic_term_equals_the_composed_expression_and_its_gradient()
    {
        double[] labels = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1];
        double[] z = [-40.0, -3.0, -1.0, -0.25, 0.0, 0.3, 1.0, 2.5, 8.0, 35.0, 700.0];
        var y = Tensor.Vector(labels);
        var (composed, gc) = AD.ValueAndGrad(p => AutoDiff.Ops.Sum(y * AutoDiff.Ops.LogSigmoid(p[0]) + (1.0 - y) * AutoDiff.Ops.LogSigmoid(-p[0])), Tensor.Vector(z));
        var (declared, gd) = AD.ValueAndGrad(p => AutoDiff.Ops.Sum(DeclaredDensities.LogisticTerm(y, p[0])), Tensor.Vector(z));

        // log(1 + e^−|z|) instead of log1p costs at most 1e−16 absolute per term.
        Assert.Equal(composed, declared, 1e-12 * Math.Abs(composed));
        double[] expected = gc[0].ToArray(), actual = gd[0].ToArray();
        for (int i = 0; i < z.Length; i++)
        {
            Assert.Equal(labels[i] - 1.0 / (1.0 + Math.Exp(-z[i])), actual[i], 1e-15);
            Assert.Equal(expected[i], actual[i], 1e-15);
        }
    }

    [Fact]
    public void A_three_input_Var_call_records_one_node_and_the_same_edges_on_the_fast_and_the_checked_path()
    {
        // Blend(x, w, t) = w·x + (1 − w)·t at (2, 0.25, −1): ∂/∂x = 0.25, ∂/∂w = 3, ∂/∂t = 0.75.
        double[] Gradient(bool check)
        {
            using (AutoDiff.Tape.Scope())
            {
                // Unchecked, the inputs are of the innermost scope: the one-compare-per-input fast path. Under
                // CheckFinite every call takes the node builder.
                Var x = Var.Leaf(2.0), w = Var.Leaf(0.25), t = Var.Leaf(-1.0);
                using (check ? AutoDiff.Tape.CheckFinite() : (TapeScope?)null)
                {
                    int nodes = AutoDiff.Tape.Current.NodeCount, edges = AutoDiff.Tape.Current.EdgeCount;
                    Var r = Blend(x, w, t);
                    Assert.Equal(nodes + 1, AutoDiff.Tape.Current.NodeCount);
                    Assert.Equal(edges + 3, AutoDiff.Tape.Current.EdgeCount);
                    Assert.Equal(Blend(2.0, 0.25, -1.0), r.Value);
                    r.Backward();
                    return [x.Grad, w.Grad, t.Grad];
                }
            }
        }

        Assert.Equal([0.25, 3.0, 0.75], Gradient(check: false));
        Assert.Equal([0.25, 3.0, 0.75], Gradient(check: true));
    }

    [Fact]
    public void Shapes_that_do_not_broadcast_are_named_all_in_the_error()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Piecewise4(Tensor.Zeros(2, 3), Tensor.Zeros(3), Tensor.Zeros(4), Tensor.Zeros(1, 1)));
        Assert.Equal("Piecewise4: shapes [2, 3], [3], [4] and [1, 1] do not broadcast (dimension 1 of the result: 3 vs 3 vs 4 vs 1).", e.Message);
    }

    [Fact]
    public void CheckFinite_names_the_fused_op_and_the_inputs_of_the_first_non_finite_element()
    {
        using (AutoDiff.Tape.Scope())
        using (AutoDiff.Tape.CheckFinite())
        {
            var mu = Tensor.Leaf(Tensor.Vector(0.5, 0.25));
            var e = Assert.Throws<NonFiniteValueException>(() => DeclaredDensities.LogNormal(Tensor.Vector(1.0, 2.0), mu, Tensor.Vector(1.0, 0.0)));
            Assert.Contains("LogNormal", e.Message, StringComparison.Ordinal);
            Assert.Equal([2.0, 0.25, 0.0], e.Inputs);
        }
    }

    [Fact]
    public void All_constant_inputs_give_a_constant_and_record_nothing()
    {
        using (AutoDiff.Tape.Scope())
        {
            int nodes = AutoDiff.Tape.Current.NodeCount;
            var r = Blend(Tensor.Vector(1.0, 2.0), 0.25, Tensor.Vector(3.0, 5.0));
            Assert.True(r.IsConstant);
            Assert.Equal(nodes, AutoDiff.Tape.Current.NodeCount);
            Assert.Equal([Blend(1.0, 0.25, 3.0), Blend(2.0, 0.25, 5.0)], r.ToArray());
        }
    }

    // The loops themselves: every width against the scalar fallback (width 0), on every length 0…3·8+3, with NaN, ±∞,
    // ±0 and ordinary values, contiguous and broadcast (step 0) inputs, and some inputs without a partial (constants).
    private static readonly double[] Specials =
        [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 1e-310, 1e300, -1e300, 1.0, -1.0, 0.5, 2.0];

    private static double Special(Random random) => random.Next(3) == 0 ? Specials[random.Next(Specials.Length)] : 8 * random.NextDouble() - 4;

    [Theory]
    [MemberData(nameof(Names))]
    public void Vector_loops_equal_the_scalar_fallback_forward_and_backward(string name)
    {
        var f = Named(name);
        var loops = LoopsOf(name);
        var random = new Random(name.Length);
        foreach (int width in new[] { 256, 512 })
        {
            for (int n = 0; n <= 3 * 8 + 3; n++)
            {
                for (int trial = 0; trial < 4; trial++)
                {
                    // Contiguous rows first, then some inputs broadcast (step 0); some inputs constant (no adjoint span).
                    int[] steps = [.. Enumerable.Range(0, 4).Select(_ => trial == 0 || random.Next(3) != 0 ? 1 : 0)];
                    double[][] x = [.. steps.Select(s => Enumerable.Range(0, s == 0 ? 1 : n).Select(_ => Special(random)).ToArray())];
                    var ys = new double[n];
                    var yv = new double[n];
                    loops.Value(x, steps, ys, 0);
                    loops.Value(x, steps, yv, width);
                    for (int i = 0; i < n; i++)
                    {
                        AssertLanes(f, $"{name} width {width} n {n} value [{i}] at ({At(x, steps, i)})", ys[i], yv[i]);
                    }

                    // Backward from the scalar output, so only the partials are compared; a third of the adjoints are ±0.
                    double[] dy = [.. Enumerable.Range(0, n).Select(_ => random.Next(3) == 0 ? (random.Next(2) == 0 ? 0.0 : -0.0) : 2 * random.NextDouble() - 1)];
                    bool[] variable = [.. Enumerable.Range(0, 4).Select(_ => random.Next(4) != 0)];
                    double[][] start = [.. steps.Select((s, k) => variable[k] ? Enumerable.Range(0, s == 0 ? 1 : n).Select(_ => random.NextDouble()).ToArray() : [])];
                    double[][] ds = [.. start.Select(a => (double[])a.Clone())], dv = [.. start.Select(a => (double[])a.Clone())];
                    loops.Backward(x, steps, ys, dy, ds, 0);
                    loops.Backward(x, steps, ys, dy, dv, width);
                    for (int k = 0; k < f.Arity; k++)
                    {
                        for (int i = 0; i < ds[k].Length; i++)
                        {
                            string what = $"{name} width {width} n {n} ∂/∂input {k} [{i}] (step {steps[k]})";
                            if (steps[k] == 0)
                            {
                                // A broadcast input gets the row's sum, in lane order in the vector part: the orders differ by
                                // at most n·ε·Σ|cⱼ|, cⱼ each element's contribution (computed alone, by the scalar loop).
                                double bound = Math.Abs(start[k][0]) + Enumerable.Range(0, n).Sum(j => Math.Abs(Contribution(loops, x, steps, ys, dy, k, j)));
                                Assert.True(
                                    !double.IsFinite(bound) || ds[k][i] == dv[k][i] || Math.Abs(ds[k][i] - dv[k][i]) <= 4 * n * Math.ScaleB(bound, -52),
                                    $"{what}: scalar {ds[k][i]:R}, vector {dv[k][i]:R}");
                            }
                            else
                            {
                                AssertLanes(f, what + $" at ({At(x, steps, i)})", ds[k][i], dv[k][i]);
                                if (dy[i] == 0.0)
                                {
                                    // A zero adjoint contributes nothing, even where the partial is NaN or infinite.
                                    Assert.Equal(start[k][i], dv[k][i]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // At 512 bits four of the elements the 512-bit loop leaves go through the 256-bit body, so every element is computed
    // by the body the 256-bit loops use for it: the same bits at both widths, values and the adjoints of inputs with a
    // value per element (a broadcast input's sum adds its lanes in another order), with some inputs broadcast.
    [Theory]
    [MemberData(nameof(Names))]
    public void Loops_at_512_bits_equal_those_at_256_bits_bit_for_bit(string name)
    {
        var f = Named(name);
        var loops = LoopsOf(name);
        var random = new Random(StableSeed.Of(name));
        for (int n = 1; n <= 3 * 8 + 3; n++)
        {
            for (int trial = 0; trial < 4; trial++)
            {
                int[] steps = [.. Enumerable.Range(0, 4).Select(_ => trial == 0 || random.Next(3) != 0 ? 1 : 0)];
                double[][] x = [.. steps.Select(s => Enumerable.Range(0, s == 0 ? 1 : n).Select(_ => Special(random)).ToArray())];
                double[] y256 = new double[n], y512 = new double[n];
                loops.Value(x, steps, y256, 256);
                loops.Value(x, steps, y512, 512);
                VectorWidths.AssertSameBits($"{name} value, n {n}, steps ({string.Join(", ", steps)})", y256, y512);

                // One adjoint per element, or one for the whole row (a sum's uniform adjoint), and some constant inputs
                // (no adjoint span); trial 0 has every input variable.
                double[] dy = trial % 2 == 1
                    ? [2 * random.NextDouble() - 1]
                    : [.. Enumerable.Range(0, n).Select(_ => random.Next(3) == 0 ? 0.0 : 2 * random.NextDouble() - 1)];
                bool[] variable = [.. Enumerable.Range(0, 4).Select(_ => trial == 0 || random.Next(3) != 0)];
                double[][] d256 = [.. steps.Select((s, k) => variable[k] ? Enumerable.Range(0, s == 0 ? 1 : n).Select(_ => random.NextDouble()).ToArray() : [])];
                double[][] d512 = [.. d256.Select(a => (double[])a.Clone())];
                loops.Backward(x, steps, y256, dy, d256, 256);
                loops.Backward(x, steps, y256, dy, d512, 512);
                for (int k = 0; k < f.Arity; k++)
                {
                    if (steps[k] == 1)
                    {
                        VectorWidths.AssertSameBits($"{name} ∂/∂input {k}, n {n}, steps ({string.Join(", ", steps)}), {(dy.Length == 1 ? "uniform adjoint" : "adjoints")}", d256[k], d512[k]);
                    }
                }
            }
        }
    }

    // dy[j]·∂f/∂xₖ at element j alone: the scalar backward of the one-element row j.
    private static double Contribution(INaryLoops loops, double[][] x, int[] steps, double[] y, double[] dy, int k, int j)
    {
        double[][] row = [.. x.Select((v, q) => steps[q] == 0 ? v : v.Skip(j).Take(1).ToArray())];
        double[][] dx = [.. Enumerable.Range(0, 4).Select(q => q == k ? new double[1] : [])];
        loops.Backward(row, steps, [y[j]], [dy[j]], dx, 0);
        return dx[k][0];
    }

    private static string At(double[][] x, int[] steps, int i) => string.Join(", ", x.Select((v, k) => v[i * steps[k]].ToString("R")));

    private static INaryLoops LoopsOf(string name) =>
        (INaryLoops)Activator.CreateInstance(typeof(NaryLoops<>).MakeGenericType(
            (name == "LogNormal" ? typeof(DeclaredDensities) : typeof(FusedFunctions)).GetNestedType("__" + name + "Kernel", BindingFlags.Public | BindingFlags.NonPublic)!))!;

    [Fact]
    public void The_generator_vectorizes_three_and_four_input_kernels_whose_bodies_have_vector_forms()
    {
        Assert.True(LoopsOf("Blend").IsVectorized);
        Assert.True(LoopsOf("Piecewise4").IsVectorized);
        Assert.True(LoopsOf("LogNormal").IsVectorized);
        Assert.False(LoopsOf("TanhMix").IsVectorized);
    }

    private static void AssertLanes(Function f, string what, double scalar, double vector) =>
        Assert.True(
            f.Exact
                ? BitConverter.DoubleToInt64Bits(scalar) == BitConverter.DoubleToInt64Bits(vector) || (double.IsNaN(scalar) && double.IsNaN(vector))
                : Ulps(scalar, vector) <= CloseUlps || Math.Abs(scalar - vector) <= 1e-300,
            $"{what}: scalar {scalar:R}, vector {vector:R}");

    private interface INaryLoops
    {
        bool IsVectorized { get; }

        void Value(double[][] x, int[] steps, double[] y, int width);

        void Backward(double[][] x, int[] steps, double[] y, double[] dy, double[][] dx, int width);
    }

    private sealed class NaryLoops<TKernel> : INaryLoops
        where TKernel : struct, INaryKernel
    {
        public bool IsVectorized => TKernel.IsValueVectorized && TKernel.IsDerivativeVectorized;

        public void Value(double[][] x, int[] steps, double[] y, int width) =>
            ElementwiseLoops.NaryValue<TKernel>(x[0], steps[0], x[1], steps[1], x[2], steps[2], x[3], steps[3], y, width);

        public void Backward(double[][] x, int[] steps, double[] y, double[] dy, double[][] dx, int width) =>
            ElementwiseLoops.NaryBackward<TKernel>(
                x[0], steps[0], x[1], steps[1], x[2], steps[2], x[3], steps[3], y, dy, dx[0], dx[1], dx[2], dx[3], width);
    }
}
