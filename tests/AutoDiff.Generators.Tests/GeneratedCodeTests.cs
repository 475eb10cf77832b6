using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>
/// The generated overloads compiled into a user assembly, loaded, and run on the real tape: gradients must match the
/// closed-form partials, which are written here independently of the rules in <see cref="UserFunctions"/>.
/// </summary>
public class GeneratedCodeTests
{
    private const double Tolerance = 1e-12;

    private static readonly Lazy<Type> s_densities =
        new(() => GeneratorHarness.CompileAndLoad(UserFunctions.Source, "GeneratedUserFunctions", "Models.Stats.Densities"));

    private static T Overload<T>(string name, params Type[] parameters)
        where T : Delegate =>
        s_densities.Value.GetMethod(name, BindingFlags.Public | BindingFlags.Static, parameters)!.CreateDelegate<T>();

    [Fact]
    public void Awkward_user_names_compile_keywords_dunder_locals_and_names_that_shadow_methods()
    {
        // An input named like a generated local, a keyword input, and an input named like its own derivative method:
        // each would break naive generated code (a duplicate local, a syntax error, a parameter shadowing a method).
        GeneratorResult result = GeneratorHarness.Run("""
            using AutoDiff;

            internal static partial class Awkward
            {
                [Differentiable]
                public static double F(double __result, double @in, double FDin, double __inputs) => __result * @in * FDin * __inputs;

                [Derivative(nameof(F), "__result")] static double FDresult(double @in, double FDin, double __inputs) => @in * FDin * __inputs;
                [Derivative(nameof(F), "in")] static double FDin(double __result, double FDin, double __inputs) => __result * FDin * __inputs;
                [Derivative(nameof(F), "FDin")] static double FDfdin(double __result, double @in, double __inputs) => __result * @in * __inputs;
                [Derivative(nameof(F), "__inputs")] static double FDinputs(double result, double __inputs) => result / __inputs;
            }
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));
        string code = result.Source("Awkward.F.g.cs");
        Assert.Contains("double __result_ =", code, StringComparison.Ordinal);
        Assert.Contains("@in.Value", code, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.3, 0.4, 0.7)]
    [InlineData(-2.0, 1.5, 3.0)]
    [InlineData(0.25, 0.25, 0.1)]
    public void LogNormal_gradient_matches_the_closed_form(double yValue, double muValue, double sigmaValue)
    {
        var logNormal = Overload<Func<Var, Var, Var, Var>>("LogNormal", typeof(Var), typeof(Var), typeof(Var));
        double r = yValue - muValue, s2 = sigmaValue * sigmaValue;

        using (Tape.Scope())
        {
            Var y = Var.Leaf(yValue), mu = Var.Leaf(muValue), sigma = Var.Leaf(sigmaValue);
            Var lp = logNormal(y, mu, sigma);
            lp.Backward();

            Assert.Equal(-0.5 * Math.Log(2.0 * Math.PI) - Math.Log(sigmaValue) - (r * r / (2.0 * s2)), lp.Value, Tolerance);
            Assert.Equal(-r / s2, y.Grad, Tolerance);
            Assert.Equal(r / s2, mu.Grad, Tolerance);
            Assert.Equal((-1.0 / sigmaValue) + (r * r / (s2 * sigmaValue)), sigma.Grad, Tolerance);
        }
    }

    [Fact]
    public void LogNormal_with_a_constant_input_differentiates_only_the_variables()
    {
        var logNormal = Overload<Func<Var, Var, Var, Var>>("LogNormal", typeof(Var), typeof(Var), typeof(Var));
        const double yValue = 2.5, muValue = 1.0, sigmaValue = 0.5;
        double r = yValue - muValue, s2 = sigmaValue * sigmaValue;

        using (Tape.Scope())
        {
            Var mu = Var.Leaf(muValue), sigma = Var.Leaf(sigmaValue);
            Var lp = logNormal(yValue, mu, sigma);
            lp.Backward();

            Assert.Equal(r / s2, mu.Grad, Tolerance);
            Assert.Equal((-1.0 / sigmaValue) + (r * r / (s2 * sigmaValue)), sigma.Grad, Tolerance);
        }
    }

    [Fact]
    public void Every_two_input_overload_records_the_partials_of_its_variables()
    {
        const double a = 3.0, b = -4.0, h = 5.0;
        var both = Overload<Func<Var, Var, Var>>("Hypot", typeof(Var), typeof(Var));
        var left = Overload<Func<Var, double, Var>>("Hypot", typeof(Var), typeof(double));
        var right = Overload<Func<double, Var, Var>>("Hypot", typeof(double), typeof(Var));

        using (Tape.Scope())
        {
            Var x = Var.Leaf(a), y = Var.Leaf(b);
            Var r = both(x, y);
            r.Backward();
            Assert.Equal(h, r.Value, Tolerance);
            Assert.Equal(a / h, x.Grad, Tolerance);
            Assert.Equal(b / h, y.Grad, Tolerance);

            Var rl = left(x, b);
            rl.Backward();
            Assert.Equal(h, rl.Value, Tolerance);
            Assert.Equal(a / h, x.Grad, Tolerance);

            Var rr = right(a, y);
            rr.Backward();
            Assert.Equal(h, rr.Value, Tolerance);
            Assert.Equal(b / h, y.Grad, Tolerance);
        }
    }

    [Fact]
    public void Every_mix_of_Var_and_double_and_every_mix_with_a_Tensor_has_its_own_overload()
    {
        // Var: every mix of Var and double with at least one Var (2ᵏ − 1); Tensor: every mix of Tensor, Var and double
        // with at least one Tensor (3ᵏ − 2ᵏ). Together with the double function they cover all 3ᵏ argument types once.
        int Count(string name, Type returns) => s_densities.Value.GetMethods().Count(m => m.Name == name && m.ReturnType == returns);
        Assert.Equal(7, Count("LogNormal", typeof(Var)));
        Assert.Equal(19, Count("LogNormal", typeof(Tensor)));
        Assert.Equal(15, Count("Product4", typeof(Var)));
        Assert.Equal(65, Count("Product4", typeof(Tensor)));
        Assert.Equal(3, Count("Hypot", typeof(Var)));
        Assert.Equal(5, Count("Hypot", typeof(Tensor)));
    }

    [Fact]
    public void Every_call_mixing_Tensor_Var_and_double_resolves_to_the_overload_of_exactly_its_argument_types()
    {
        // Tensor and Var convert into each other implicitly, so a call that relied on conversions would be ambiguous
        // (CS0121) or pick the Var overload for a tensor; each of the 27 calls must bind without error to the overload
        // whose parameters are exactly its arguments' types (the double function for three doubles).
        string[] kinds = ["t", "v", "d"];
        var calls = (from a in kinds from b in kinds from c in kinds select $"LogNormal({a}, {b}, {c})").ToArray();
        string source = UserFunctions.Source + $$"""

            /// <summary>Calls.</summary>
            public static class Calls
            {
                /// <summary>All 27.</summary>
                public static void All(AutoDiff.Tensor t, AutoDiff.Var v, double d)
                {
            {{string.Join("\n", calls.Select(c => "        _ = Models.Stats.Densities." + c + ";"))}}
                }
            }
            """;
        GeneratorResult result = GeneratorHarness.Run(GeneratorHarness.Compile([source]));
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));

        var tree = result.Output.SyntaxTrees.First();
        var model = result.Output.GetSemanticModel(tree);
        var invocations = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>()
            .Where(i => i.Expression.ToString() == "Models.Stats.Densities.LogNormal").ToArray();
        Assert.Equal(27, invocations.Length);
        foreach (var invocation in invocations)
        {
            var method = (IMethodSymbol)model.GetSymbolInfo(invocation).Symbol!;
            string[] expected = invocation.ArgumentList.Arguments
                .Select(a => a.ToString() switch { "t" => "Tensor", "v" => "Var", _ => "Double" }).ToArray();
            Assert.Equal(expected, method.Parameters.Select(p => p.Type.Name).ToArray());
        }
    }

    [Fact]
    public void A_Math_call_of_constants_in_a_vector_body_is_the_scalar_call_broadcast()
    {
        // Math.Log(2π) would otherwise be a vector log per block of a tensor kernel; Math.Log(σ) stays a vector log.
        GeneratorResult result = GeneratorHarness.Run("""
            using System;
            using AutoDiff;

            internal static partial class Fns
            {
                [Differentiable]
                public static double LogNormal(double y, double mu, double sigma) =>
                    -Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI) - (y - mu) * (y - mu) / (2 * sigma * sigma);
            }
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));
        string code = result.Source("Fns.LogNormal.g.cs");
        Assert.Contains("global::System.Runtime.Intrinsics.Vector256.Create(global::System.Math.Log(6.283185307179586))", code, StringComparison.Ordinal);
        Assert.Contains("global::AutoDiff.VectorMath.Log(sigma)", code, StringComparison.Ordinal);
        Assert.DoesNotContain("VectorMath.Log(global::System.Runtime.Intrinsics.Vector256.Create(", code, StringComparison.Ordinal);
    }

    [Fact]
    public void Expensive_calls_of_two_to_four_input_kernels_get_cached_forms_with_one_slot_per_call_site()
    {
        // Log(sigma) in the value, Exp twice in ∂/∂a and once in ∂/∂b (shared slots), a local named like the cache, and
        // a one-input function (no broadcasting, no cached forms).
        GeneratorResult result = GeneratorHarness.Run("""
            using System;
            using AutoDiff;

            internal static partial class Fns
            {
                [Differentiable]
                public static double LogNormal(double y, double mu, double sigma) =>
                    -Math.Log(sigma) - (y - mu) * (y - mu) / (2 * sigma * sigma);

                [Differentiable]
                public static double Pair(double a, double b)
                {
                    double callCache = a * b;
                    return Math.Exp(a) + Math.Log(b) + callCache;
                }

                [Derivative(nameof(Pair), "a")]
                private static double PairDa(double a, double b) => Math.Exp(a) + Math.Exp(-a) * 0.0 + b;

                [Derivative(nameof(Pair), "b")]
                private static double PairDb(double a, double b) => 1.0 / b + Math.Exp(a) * 0.0 + a;

                [Differentiable]
                public static double Soft(double x) => Math.Log(1.0 + Math.Exp(x));
            }
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));
        string logNormal = result.Source("Fns.LogNormal.g.cs");
        Assert.Contains("public static bool UsesCallCache => true;", logNormal, StringComparison.Ordinal);
        Assert.Contains("global::AutoDiff.VectorMath.Log(sigma)", logNormal, StringComparison.Ordinal);
        Assert.Contains("__callCache.Log(0, sigma)", logNormal, StringComparison.Ordinal);
        Assert.Contains("ref global::AutoDiff.CallCache256 __callCache", logNormal, StringComparison.Ordinal);
        Assert.Contains("ref global::AutoDiff.CallCache512 __callCache", logNormal, StringComparison.Ordinal);

        string pair = result.Source("Fns.Pair.g.cs");
        Assert.Contains("var __callCache = (a * b);", pair, StringComparison.Ordinal);
        Assert.Contains("___callCache.Exp(0, a)", pair, StringComparison.Ordinal);
        Assert.Contains("___callCache.Log(1, b)", pair, StringComparison.Ordinal);
        Assert.Contains("___callCache.Exp(0, a) + (___callCache.Exp(1, (-a))", pair, StringComparison.Ordinal);
        Assert.Contains("___callCache.Exp(2, a)", pair, StringComparison.Ordinal);

        string soft = result.Source("Fns.Soft.g.cs");
        Assert.DoesNotContain("UsesCallCache", soft, StringComparison.Ordinal);
        Assert.DoesNotContain("$C$", soft, StringComparison.Ordinal);
    }

    [Fact]
    public void Call_sites_beyond_the_runtime_cache_slots_are_called_directly()
    {
        // The generator numbers slots up to the runtime's CallCache256.Slots (the compilation references the real runtime,
        // so a slot it does not have would fail at run time, not here).
        Assert.Equal(AutoDiff.CallCache256.Slots, CallSites.Slots);
        GeneratorResult result = GeneratorHarness.Run("""
            using System;
            using AutoDiff;

            internal static partial class Fns
            {
                [Differentiable]
                public static double Five(double a, double b) => Math.Exp(a) + Math.Exp(2 * a) + Math.Exp(3 * a) + Math.Exp(4 * a) + Math.Log(b);
            }
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));
        string cached = result.Source("Fns.Five.g.cs").Split('\n').First(line => line.Contains("ref global::AutoDiff.CallCache256", StringComparison.Ordinal) && line.Contains(" Value(", StringComparison.Ordinal));
        Assert.Contains("__callCache.Exp(3, ", cached, StringComparison.Ordinal);
        Assert.DoesNotContain("__callCache.Log(", cached, StringComparison.Ordinal);
        Assert.Contains("global::AutoDiff.VectorMath.Log(b)", cached, StringComparison.Ordinal);
    }

    [Fact]
    public void Quotient_rules_by_inputs_emit_their_numerators_and_divisors_and_a_quotient_by_the_result_does_not()
    {
        GeneratorResult result = GeneratorHarness.Run(UserFunctions.Source);

        string squareOver = result.Source("Models.Stats.Densities.SquareOver.g.cs");
        Assert.Contains("public static global::AutoDiff.PartialReads DerivativeADivisorReads => global::AutoDiff.PartialReads.Input1;", squareOver, StringComparison.Ordinal);
        Assert.Contains("public static global::AutoDiff.PartialReads DerivativeBDivisorReads => global::AutoDiff.PartialReads.Input1;", squareOver, StringComparison.Ordinal);
        Assert.Contains("DerivativeBDivisor(global::System.Runtime.Intrinsics.Vector256<double> a, global::System.Runtime.Intrinsics.Vector256<double> b) => b;", squareOver, StringComparison.Ordinal);

        // A divisor that is an expression of inputs: s·s·s, read once per row where s is broadcast.
        string squareOverSquare = result.Source("Models.Stats.Densities.SquareOverSquare.g.cs");
        Assert.Contains("public static global::AutoDiff.PartialReads DerivativeBDivisorReads => global::AutoDiff.PartialReads.Input1;", squareOverSquare, StringComparison.Ordinal);
        Assert.Contains("DerivativeBDivisor(global::System.Runtime.Intrinsics.Vector256<double> a, global::System.Runtime.Intrinsics.Vector256<double> s) => ((s * s) * s);", squareOverSquare, StringComparison.Ordinal);
        Assert.Contains("DerivativeANumerator(global::System.Runtime.Intrinsics.Vector512<double> a, global::System.Runtime.Intrinsics.Vector512<double> b, global::System.Runtime.Intrinsics.Vector512<double> result) => (global::System.Runtime.Intrinsics.Vector512.Create(2.0) * a);", squareOver, StringComparison.Ordinal);
        Assert.Contains("DerivativeBNumerator(global::System.Runtime.Intrinsics.Vector256<double> a, global::System.Runtime.Intrinsics.Vector256<double> b, global::System.Runtime.Intrinsics.Vector256<double> result) => (-result);", squareOver, StringComparison.Ordinal);

        // Four inputs: what each divisor reads, by the partial's index (∂/∂x = 1/(a·b·c) too).
        string ratio = result.Source("Models.Stats.Densities.Ratio4.g.cs");
        Assert.Contains(
            "__input switch { 0 => global::AutoDiff.PartialReads.Input1 | global::AutoDiff.PartialReads.Input2 | global::AutoDiff.PartialReads.Input3, "
            + "1 => global::AutoDiff.PartialReads.Input1 | global::AutoDiff.PartialReads.Input2 | global::AutoDiff.PartialReads.Input3,",
            ratio,
            StringComparison.Ordinal);
        Assert.Contains("private static global::System.Runtime.Intrinsics.Vector256<double> Divisor1(", ratio, StringComparison.Ordinal);

        // Hypot's rules divide by the result, which changes along every row: nothing to take out of the sum.
        Assert.DoesNotContain("Divisor", result.Source("Models.Stats.Densities.Hypot.g.cs"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(37)]
    public void Quotient_rules_summed_into_a_broadcast_input_give_the_closed_form_gradient(int n)
    {
        // Σ xᵢ²/s: ∂/∂s = −Σxᵢ²/s² (the quotient rule summed, s broadcast); Σ p²/xᵢ: ∂/∂p = Σ 2p/xᵢ (the divisor per element).
        var squareOver = Overload<Func<Tensor, Tensor, Tensor>>("SquareOver", typeof(Tensor), typeof(Tensor));
        double[] xs = [.. Enumerable.Range(0, n).Select(i => 0.5 + Math.Abs(Math.Sin(0.7 * i)))];
        const double s = 1.75, p = -0.6;
        var gradients = AD.Grad(q => Ops.Sum(squareOver(Tensor.Vector(xs), q[0]) + squareOver(q[1], Tensor.Vector(xs))), Tensor.Scalar(s), Tensor.Scalar(p));

        Assert.Equal(-xs.Sum(x => x * x) / (s * s), gradients[0].Item(), Tolerance);
        Assert.Equal(xs.Sum(x => 2 * p / x), gradients[1].Item(), Tolerance);

        // Σ xᵢ²/(s·s): ∂/∂s = −2Σxᵢ²/s³, the rule a quotient by the expression s·s·s of the broadcast s.
        var squareOverSquare = Overload<Func<Tensor, Tensor, Tensor>>("SquareOverSquare", typeof(Tensor), typeof(Tensor));
        var bySquare = AD.Grad(q => Ops.Sum(squareOverSquare(Tensor.Vector(xs), q[0])), Tensor.Scalar(s));
        Assert.Equal(-2 * xs.Sum(x => x * x) / (s * s * s), bySquare[0].Item(), Tolerance);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(17)]
    public void A_quotient_rule_at_a_zero_divisor_is_NaN_as_per_element_at_every_length(int n)
    {
        // Σ aᵢ·√s at s = 0: every ∂/∂s = ½·0/0 is NaN (the numerator y is 0), however the row splits into vectors and a tail.
        var sqrtScale = Overload<Func<Tensor, Tensor, Tensor>>("SqrtScale", typeof(Tensor), typeof(Tensor));
        double[] xs = [.. Enumerable.Range(1, n).Select(i => (double)i)];
        var (value, gradients) = AD.ValueAndGrad(q => Ops.Sum(sqrtScale(Tensor.Vector(xs), q[0])), Tensor.Scalar(0.0));

        Assert.Equal(0.0, value);
        Assert.True(double.IsNaN(gradients[0].Item()), $"n = {n}: ∂/∂s = {gradients[0].Item():R}");
    }

    [Fact]
    public void Four_input_quotient_rules_summed_into_scalars_and_into_one_scalar_passed_twice_give_the_closed_form()
    {
        // Σ xᵢ/(a·b·c) with a, b, c scalars: ∂/∂a = −Σxᵢ/(a²bc) and so on, each rule a quotient by a product of the
        // scales; then Σ xᵢ/(a·a·c), a passed as two inputs: ∂/∂a = −2Σxᵢ/(a³c), the two quotient sums added together.
        var ratio = Overload<Func<Tensor, Tensor, Tensor, Tensor, Tensor>>("Ratio4", typeof(Tensor), typeof(Tensor), typeof(Tensor), typeof(Tensor));
        const double a = 1.3, b = -0.7, c = 2.1;
        for (int n = 0; n <= 27; n++)
        {
            double[] xs = [.. Enumerable.Range(0, n).Select(i => Math.Cos(0.9 * i) - 0.2)];
            double sum = xs.Sum();
            var g = AD.Grad(p => Ops.Sum(ratio(Tensor.Vector(xs), p[0], p[1], p[2])), Tensor.Scalar(a), Tensor.Scalar(b), Tensor.Scalar(c));
            Assert.Equal(-sum / (a * a * b * c), g[0].Item(), Tolerance);
            Assert.Equal(-sum / (a * b * b * c), g[1].Item(), Tolerance);
            Assert.Equal(-sum / (a * b * c * c), g[2].Item(), Tolerance);

            var twice = AD.Grad(p => Ops.Sum(ratio(Tensor.Vector(xs), p[0], p[0], p[1])), Tensor.Scalar(a), Tensor.Scalar(c));
            Assert.Equal(-2 * sum / (a * a * a * c), twice[0].Item(), Tolerance);
            Assert.Equal(-sum / (a * a * c * c), twice[1].Item(), Tolerance);
        }
    }

    [Fact]
    public void Three_input_tensor_overload_broadcasts_and_its_gradient_is_the_closed_form()
    {
        // ∂/∂μ is declared as the quotient (y − μ)/(σ·σ), summed into the scalar μ as one division per row: every length
        // from no vector block to several, with the half-width block and the scalar tail.
        var logNormal = Overload<Func<Tensor, Tensor, Tensor, Tensor>>("LogNormal", typeof(Tensor), typeof(Tensor), typeof(Tensor));
        double muValue = 0.4, sigmaValue = 0.7;
        for (int n = 0; n <= 27; n++)
        {
            double[] ys = [.. Enumerable.Range(0, n).Select(i => 1.3 * Math.Sin(1.7 * i + 0.2))];
            var (value, gradients) = AD.ValueAndGrad(
                p => Ops.Sum(logNormal(Tensor.Vector(ys), p[0], p[1])), Tensor.Scalar(muValue), Tensor.Scalar(sigmaValue));

            // Σ log N(yᵢ; μ, σ); ∂/∂μ = Σ (yᵢ − μ)/σ², ∂/∂σ = Σ ((yᵢ − μ)² − σ²)/σ³.
            double s2 = sigmaValue * sigmaValue;
            Assert.Equal(ys.Sum(y => -0.5 * Math.Log(2 * Math.PI) - Math.Log(sigmaValue) - (y - muValue) * (y - muValue) / (2 * s2)), value, Tolerance);
            Assert.Equal(ys.Sum(y => (y - muValue) / s2), gradients[0].Item(), Tolerance);
            Assert.Equal(ys.Sum(y => ((y - muValue) * (y - muValue) - s2) / (s2 * sigmaValue)), gradients[1].Item(), Tolerance);
        }
    }

    [Fact]
    public void Four_input_tensor_overload_gradient_is_the_product_of_the_other_inputs()
    {
        var product = Overload<Func<Tensor, Tensor, Tensor, Tensor, Tensor>>("Product4", typeof(Tensor), typeof(Tensor), typeof(Tensor), typeof(Tensor));
        double[][] v = [[1.5, -2.0, 0.25], [0.5, 3.0, -1.0], [2.0, 2.0, 2.0], [-0.5, 1.0, 4.0]];
        var (value, gradients) = AD.ValueAndGrad(
            p => Ops.Sum(product(p[0], p[1], p[2], p[3])), v.Select(Tensor.Vector).ToArray());

        Assert.Equal(Enumerable.Range(0, 3).Sum(j => v[0][j] * v[1][j] * v[2][j] * v[3][j]), value, Tolerance);
        for (int i = 0; i < 4; i++)
        {
            double[] expected = Enumerable.Range(0, 3)
                .Select(j => Enumerable.Range(0, 4).Where(k => k != i).Aggregate(1.0, (acc, k) => acc * v[k][j])).ToArray();
            Assert.Equal(expected, gradients[i].ToArray());
        }
    }

    [Fact]
    public void Four_input_function_gradient_is_the_product_of_the_other_inputs()
    {
        var product = Overload<Func<Var, Var, Var, Var, Var>>("Product4", typeof(Var), typeof(Var), typeof(Var), typeof(Var));
        double[] v = [1.5, -2.0, 0.5, 3.0];

        using (Tape.Scope())
        {
            Var[] x = v.Select(Var.Leaf).ToArray();
            Var p = product(x[0], x[1], x[2], x[3]);
            p.Backward();

            Assert.Equal(v[0] * v[1] * v[2] * v[3], p.Value, Tolerance);
            for (int i = 0; i < 4; i++)
            {
                double others = Enumerable.Range(0, 4).Where(j => j != i).Aggregate(1.0, (acc, j) => acc * v[j]);
                Assert.Equal(others, x[i].Grad, Tolerance);
            }
        }
    }
}
