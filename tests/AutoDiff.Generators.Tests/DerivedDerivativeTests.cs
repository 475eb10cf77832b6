using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using AutoDiff.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>
/// Derivatives omitted and derived from the function body: the derived partials in the model, and the generated code
/// compiled, loaded and run on the real tape against closed-form partials written here independently.
/// </summary>
public class DerivedDerivativeTests
{
    private const double Tolerance = 1e-12;

    private const string Source = """
        using System;
        using AutoDiff;

        namespace Models.Derived;

        internal static partial class Derived
        {
            [Differentiable]
            public static double LogNormal(double y, double mu, double sigma) =>
                -Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI) - (y - mu) * (y - mu) / (2 * sigma * sigma);

            // Piecewise: quadratic inside |x| <= 1, linear outside.
            [Differentiable]
            public static double Huber(double x) => Math.Abs(x) <= 1.0 ? 0.5 * x * x : Math.Abs(x) - 0.5;

            [Differentiable]
            public static double Mix(double a, double b)
            {
                double z = a * b;
                return Math.Exp(z) + Math.Sqrt(a) + Math.Pow(b, 3) + Ops.Softplus(z) / 2;
            }

            // x² where x is finite, else 0: the condition reads x·0 as IEEE arithmetic computes it (NaN for ±∞), so the
            // derived rule must not fold x·0 to 0.
            [Differentiable]
            public static double SquareIfFinite(double x) => x * 0.0 != 0.0 ? 0.0 : x * x;

            // Derived as the library's Abs, Max and Min rules: NaN at a NaN argument (the derivative is undefined there),
            // 0 for Max's other operand beside it.
            [Differentiable]
            public static double AbsOf(double x) => Math.Abs(x);

            [Differentiable]
            public static double MaxOf(double a, double b) => Math.Max(a, b);

            // A losing side whose own derivative is infinite: ∛x′ is +∞ at 0, where 1 wins and the function is flat.
            [Differentiable]
            public static double FloorAtOne(double x) => Math.Max(Math.Cbrt(x), 1.0);

            [Differentiable]
            public static double CappedRoot(double a, double b) => Ops.Min(a, Math.Cbrt(b));

            // Undefined below 0: the NaN constant's derivative is NaN, not the 0 of a constant.
            [Differentiable]
            public static double SquareFromZero(double x) => x < 0.0 ? double.NaN : x * x;

            // A condition calling double.IsNaN, as the library's rules do.
            [Differentiable]
            public static double TripleOrZero(double x) => double.IsNaN(x) ? 0.0 : 3.0 * x;

            // Derived as the library's Sqrt and Log rules: +∞ at either zero, not −∞ at −0.
            [Differentiable]
            public static double Roots(double x) => Math.Sqrt(x) + Ops.Sqrt(x);

            [Differentiable]
            public static double Logs(double x) => Math.Log(x) + Math.Log10(x) + Math.Log2(x) + Ops.Log(x);

            // A chain-rule factor of 0 beside an infinite one (found by DeclaredFunctionFuzzTests): σ′(x·y) = 0 at x = ∞
            // where ∂(x·y)/∂y = ∞; x·0/e^(1000x), 0 for every finite x, where e^(1000x) overflows; √ of a branch that
            // does not read y, where √′(0) = ∞. The limit, and the tape's composition of the same body, is 0 in each.
            [Differentiable]
            public static double SigmoidOfProduct(double x, double y) => Ops.Sigmoid(x * y);

            [Differentiable]
            public static double ZeroOverExp(double x) => x * 0.0 / Math.Exp(1000.0 * x);

            [Differentiable]
            public static double RootOfBranch(double x, double y) => Math.Sqrt(x > 0.0 ? y * y : 0.0);

            // The quotient by a literal 0 does not depend on x0: its derivative by x0 is 0, not 0/0 = NaN.
            [Differentiable]
            public static double QuotientByZero(double x0, double x1) => x1 / 0.0 + x0;

            // −z of a local holding 0 is −0, so the quotient is x/(−0) and its slope 1/(−0) = −∞.
            [Differentiable]
            public static double ByNegatedZeroLocal(double x)
            {
                double z = 0.0;
                return x / -z;
            }

            // The explicit rule wins over the derived one (2x), even though it is "wrong".
            [Differentiable]
            public static double Overridden(double x) => x * x;
            [Derivative(nameof(Overridden))]
            private static double OverriddenD() => 42.0;

            // One input explicit, the other derived.
            [Differentiable]
            public static double Half(double a, double b) => a * b;
            [Derivative(nameof(Half), "a")]
            private static double HalfDa() => 7.0;
        }
        """;

    private static readonly Lazy<Type> s_derived =
        new(() => GeneratorHarness.CompileAndLoad(Source, "DerivedUserFunctions", "Models.Derived.Derived"));

    private static T Overload<T>(string name, params Type[] parameters)
        where T : Delegate =>
        s_derived.Value.GetMethod(name, BindingFlags.Public | BindingFlags.Static, parameters)!.CreateDelegate<T>();

    [Fact]
    public void The_model_holds_one_derived_partial_per_input_with_shared_locals()
    {
        Compilation compilation = GeneratorHarness.Compile(["""
            using System;
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static double F(double x, double y) => x * y + Math.Exp(x);
            }
            """]);
        IMethodSymbol method = compilation.GetTypeByMetadataName("C")!.GetMembers("F").OfType<IMethodSymbol>().Single();
        FunctionModel model = Parser.ParseFunction(
            method, method.GetAttributes().Single(), System.Threading.CancellationToken.None, compilation.GetSemanticModel(compilation.SyntaxTrees.Single()));

        Assert.Null(model.DerivationError);
        Assert.Equal(
            ["double __t1 = global::System.Math.Exp(x);\ndouble __t3 = y + __t1;\nreturn __t3;", "return x;"],
            model.DerivedPartials);
    }

    [Fact]
    public void A_derived_rule_is_bound_like_a_declared_one_and_an_explicit_rule_wins()
    {
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(GeneratorHarness.Compile([Source]));
        FunctionSpec[] specs = ParserTests.TrackedOutputs<FunctionSpec>(driver, TrackingNames.Specs);

        FunctionSpec logNormal = specs.Single(s => s.Function.Name == "LogNormal");
        Assert.True(logNormal.CanEmit);
        Assert.Equal(["__LogNormal_d_y", "__LogNormal_d_mu", "__LogNormal_d_sigma"], logNormal.Partials.Select(p => p.MethodName));
        Assert.All(logNormal.Partials, p => Assert.Equal(["y", "mu", "sigma"], p.Arguments));

        FunctionSpec half = specs.Single(s => s.Function.Name == "Half");
        Assert.Equal(["HalfDa", "__Half_d_b"], half.Partials.Select(p => p.MethodName));
        Assert.Null(half.Partials[0].DerivedBody);
        Assert.Equal("return a;", half.Partials[1].DerivedBody);
    }

    [Theory]
    [InlineData(1.3, 0.4, 0.7)]
    [InlineData(-2.0, 1.5, 3.0)]
    [InlineData(0.25, 0.25, 0.1)]
    public void Derived_LogNormal_gradient_matches_the_closed_form(double yValue, double muValue, double sigmaValue)
    {
        var logNormal = Overload<Func<Var, Var, Var, Var>>("LogNormal", typeof(Var), typeof(Var), typeof(Var));
        double r = yValue - muValue, s2 = sigmaValue * sigmaValue;

        using (Tape.Scope())
        {
            Var y = Var.Leaf(yValue), mu = Var.Leaf(muValue), sigma = Var.Leaf(sigmaValue);
            Var lp = logNormal(y, mu, sigma);
            lp.Backward();

            Assert.Equal(-Math.Log(sigmaValue) - (0.5 * Math.Log(2.0 * Math.PI)) - (r * r / (2.0 * s2)), lp.Value, Tolerance);
            Assert.Equal(-r / s2, y.Grad, Tolerance);
            Assert.Equal(r / s2, mu.Grad, Tolerance);
            Assert.Equal((-1.0 / sigmaValue) + (r * r / (s2 * sigmaValue)), sigma.Grad, Tolerance);
        }
    }

    [Theory]
    [InlineData(0.3, 0.3)]
    [InlineData(-0.8, -0.8)]
    [InlineData(2.5, 1.0)]
    [InlineData(-4.0, -1.0)]
    public void Derived_piecewise_gradient_takes_the_branch_of_its_input(double x, double expected)
    {
        var huber = Overload<Func<Var, Var>>("Huber", typeof(Var));
        using (Tape.Scope())
        {
            Var v = Var.Leaf(x);
            huber(v).Backward();
            Assert.Equal(expected, v.Grad, Tolerance);
        }
    }

    [Theory]
    [InlineData(0.7, 1.2)]
    [InlineData(2.0, -0.5)]
    public void Derived_gradient_through_locals_math_and_library_functions(double a, double b)
    {
        var mix = Overload<Func<Var, Var, Var>>("Mix", typeof(Var), typeof(Var));
        double z = a * b, sigmoid = 1.0 / (1.0 + Math.Exp(-z));
        using (Tape.Scope())
        {
            Var va = Var.Leaf(a), vb = Var.Leaf(b);
            mix(va, vb).Backward();
            Assert.Equal((b * Math.Exp(z)) + (0.5 / Math.Sqrt(a)) + (b * sigmoid / 2), va.Grad, Tolerance);
            Assert.Equal((a * Math.Exp(z)) + (3 * b * b) + (a * sigmoid / 2), vb.Grad, Tolerance);
        }
    }

    [Theory]
    [InlineData(3.0, 6.0)]
    [InlineData(-0.5, -1.0)]
    [InlineData(double.PositiveInfinity, 0.0)]
    [InlineData(double.NegativeInfinity, 0.0)]
    public void A_derived_rule_keeps_a_product_with_zero_that_the_declaration_tests(double x, double expected)
    {
        var squareIfFinite = Overload<Func<Var, Var>>("SquareIfFinite", typeof(Var));
        using (Tape.Scope())
        {
            Var v = Var.Leaf(x);
            squareIfFinite(v).Backward();
            Assert.Equal(expected, v.Grad);
        }
    }

    [Theory]
    [InlineData("SigmoidOfProduct", double.PositiveInfinity, 1.3)]
    [InlineData("SigmoidOfProduct", double.NegativeInfinity, -0.4)]
    [InlineData("ZeroOverExp", 1.0, double.NaN)]
    [InlineData("ZeroOverExp", 0.75, double.NaN)]
    [InlineData("RootOfBranch", -1.0, 2.0)]
    [InlineData("RootOfBranch", 0.0, -3.5)]
    public void A_zero_factor_in_the_chain_rule_gives_0_beside_an_infinite_one_as_the_limit(string name, double x, double y)
    {
        // Each function is flat in every input at these points (σ saturated, a constant 0, a branch that reads no
        // input), so every partial is 0; before, 0·∞ made the derived ones NaN.
        double[] gradient = double.IsNaN(y)
            ? AD.Grad(v => Overload<Func<Var, Var>>(name, typeof(Var))(v[0]), [x])
            : AD.Grad(v => Overload<Func<Var, Var, Var>>(name, typeof(Var), typeof(Var))(v[0], v[1]), [x, y]);
        Assert.All(gradient, g => Assert.Equal(0.0, g));
    }

    [Theory]
    [InlineData(-2.0, -1.0, 3.0, 0.0)]
    [InlineData(0.0, 0.0, 3.0, 0.0)]
    [InlineData(3.0, 1.0, 3.0, 0.0)]
    [InlineData(double.NaN, double.NaN, 0.0, double.NaN)]
    public void Derived_rules_are_NaN_where_the_argument_is_NaN_as_the_library_rules(double x, double absSlope, double tripleSlope, double absCurvature)
    {
        var absOf = Overload<Func<Var, Var>>("AbsOf", typeof(Var));
        var tripleOrZero = Overload<Func<Var, Var>>("TripleOrZero", typeof(Var));
        Assert.Equal([absSlope], AD.Grad(v => absOf(v[0]), [x]));
        Assert.Equal([tripleSlope], AD.Grad(v => tripleOrZero(v[0]), [x]));

        // Abs″: 0 off the kink, NaN at NaN (the derived rule's NaN branch, differentiated once more).
        Assert.Equal(absCurvature, AD.Hessian(v => absOf(v[0]), [x])[0, 0]);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(-3.0)]
    public void A_derived_rule_keeps_the_zero_derivative_of_a_quotient_by_a_literal_zero(double x1)
    {
        // Found by GeneratedRuleFuzzTests: x1 / 0.0 differentiated by x0 was 0.0 / 0.0 folded, NaN.
        var quotientByZero = Overload<Func<Var, Var, Var>>("QuotientByZero", typeof(Var), typeof(Var));
        var (value, gradient) = AD.ValueAndGrad(v => quotientByZero(v[0], v[1]), [0.5, x1]);
        Assert.Equal((x1 / 0.0) + 0.5, value);
        Assert.Equal(1.0, gradient[0]);
    }

    [Theory]
    [InlineData(2.0, double.NegativeInfinity)]
    [InlineData(-2.0, double.NegativeInfinity)]
    public void A_negated_local_holding_zero_is_negative_zero_in_a_derived_rule(double x, double slope)
    {
        // d(x/(−z))/dx = 1/(−z) = 1/(−0) at z = 0: −∞, as the tape's x / (−z) gives.
        var byNegatedZeroLocal = Overload<Func<Var, Var>>("ByNegatedZeroLocal", typeof(Var));
        Assert.Equal([slope], AD.Grad(v => byNegatedZeroLocal(v[0]), [x]));
        double z = 0.0;
        Assert.Equal([slope], AD.Grad(v => v[0] / -z, [x]));
    }

    [Fact]
    public void A_derived_Max_gives_a_NaN_operand_NaN_and_the_other_0_and_a_NaN_branch_is_NaN()
    {
        var maxOf = Overload<Func<Var, Var, Var>>("MaxOf", typeof(Var), typeof(Var));
        Assert.Equal([double.NaN, 0.0], AD.Grad(v => maxOf(v[0], v[1]), [double.NaN, 1.0]));
        Assert.Equal([0.0, double.NaN], AD.Grad(v => maxOf(v[0], v[1]), [1.0, double.NaN]));
        Assert.Equal([0.5, 0.5], AD.Grad(v => maxOf(v[0], v[1]), [1.0, 1.0]));

        var squareFromZero = Overload<Func<Var, Var>>("SquareFromZero", typeof(Var));
        Assert.Equal([double.NaN], AD.Grad(v => squareFromZero(v[0]), [-1.0]));
        Assert.Equal([3.0], AD.Grad(v => squareFromZero(v[0]), [1.5]));
    }

    [Fact]
    public void A_derived_Max_or_Min_takes_the_winning_side_s_derivative_even_where_the_losing_side_s_is_infinite()
    {
        // max(∛x, 1) is 1 for x < 1: slope and curvature 0 at x = 0, where ∛′ is +∞ and 0·∞ would be NaN. Past 1 it is
        // ∛x: slope 1/(3x^(2/3)) = 1/12 and curvature −2/(9x^(5/3)) = −1/144 at x = 8.
        var floorAtOne = Overload<Func<Var, Var>>("FloorAtOne", typeof(Var));
        Assert.Equal([0.0], AD.Grad(v => floorAtOne(v[0]), [0.0]));
        Assert.Equal(0.0, AD.Hessian(v => floorAtOne(v[0]), [0.0])[0, 0]);
        Assert.Equal(1.0 / 12.0, AD.Grad(v => floorAtOne(v[0]), [8.0])[0], Tolerance);
        Assert.Equal(-1.0 / 144.0, AD.Hessian(v => floorAtOne(v[0]), [8.0])[0, 0], Tolerance);

        // min(a, ∛b) at (−1, 0) is a: gradient (1, 0), Hessian 0.
        var cappedRoot = Overload<Func<Var, Var, Var>>("CappedRoot", typeof(Var), typeof(Var));
        Assert.Equal([1.0, 0.0], AD.Grad(v => cappedRoot(v[0], v[1]), [-1.0, 0.0]));
        var hessian = AD.Hessian(v => cappedRoot(v[0], v[1]), [-1.0, 0.0]);
        Assert.Equal(new double[,] { { 0.0, 0.0 }, { 0.0, 0.0 } }, hessian);

        // The fused tensor kernel (vector body and scalar tail) gives the same slopes lane by lane.
        var tensorFloorAtOne = Overload<Func<Tensor, Tensor>>("FloorAtOne", typeof(Tensor));
        var gradient = AD.Grad(t => Ops.Sum(tensorFloorAtOne(t[0])), Tensor.Vector(0.0, 0.0, 8.0, 0.0, 0.0, -0.0, 0.0, 0.0, 0.0))[0].ToArray();
        Assert.Equal([0.0, 0.0, 1.0 / 12.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], gradient, (x, y) => Math.Abs(x - y) <= Tolerance);
    }

    [Fact]
    public void Derived_Sqrt_and_Log_rules_are_plus_infinity_at_either_zero()
    {
        var roots = Overload<Func<Var, Var>>("Roots", typeof(Var));
        var logs = Overload<Func<Var, Var>>("Logs", typeof(Var));
        foreach (double zero in new[] { 0.0, -0.0 })
        {
            Assert.Equal([double.PositiveInfinity], AD.Grad(v => roots(v[0]), [zero]));
            Assert.Equal([double.PositiveInfinity], AD.Grad(v => logs(v[0]), [zero]));
        }

        // Elsewhere 2·½/√x and (2 + 1/ln 10 + 1/ln 2)/x.
        Assert.Equal(0.5, AD.Grad(v => roots(v[0]), [4.0])[0], Tolerance);
        Assert.Equal((2 + (1 / Math.Log(10)) + (1 / Math.Log(2))) / 4, AD.Grad(v => logs(v[0]), [4.0])[0], Tolerance);
    }

    [Fact]
    public void An_explicit_derivative_overrides_the_derived_one()
    {
        var overridden = Overload<Func<Var, Var>>("Overridden", typeof(Var));
        var half = Overload<Func<Var, Var, Var>>("Half", typeof(Var), typeof(Var));
        using (Tape.Scope())
        {
            Var x = Var.Leaf(3.0);
            overridden(x).Backward();
            Assert.Equal(42.0, x.Grad, Tolerance);

            Var a = Var.Leaf(2.0), b = Var.Leaf(5.0);
            half(a, b).Backward();
            Assert.Equal(7.0, a.Grad, Tolerance);
            Assert.Equal(2.0, b.Grad, Tolerance);
        }
    }
    /// <summary>
    /// Functions whose names and inputs spell one another's generated member names when joined with the separators: each
    /// pair below made one name twice in the class (CS0111, CS0121, CS0102), so none of them compiled.
    /// </summary>
    private const string CollidingSource = """
        using System;
        using AutoDiff;

        namespace Models.Derived;

        internal static partial class Colliding
        {
            // F's input d_x and F_d's input x: both derived partials were named __F_d_d_x.
            [Differentiable] public static double F(double d_x) => d_x * d_x;
            [Differentiable] public static double F_d(double x) => x * x * x;

            // G's derived partial (input dd_a) and the second derivative of H's rule G_d in a: both __G_d_dd_a.
            [Differentiable] public static double G(double dd_a) => Math.Exp(dd_a);
            [Differentiable] public static double H(double a) => Math.Sin(a);
            [Derivative(nameof(H))] private static double G_d(double a) => Math.Cos(a);

            // K's derived partial (input yKernel) and K_d_y's kernel struct: both __K_d_yKernel.
            [Differentiable] public static double K(double yKernel) => yKernel * yKernel * yKernel * yKernel;
            [Differentiable] public static double K_d_y(double t) => Math.Sqrt(t);
        }
        """;

    private static readonly Lazy<Type> s_colliding =
        new(() => GeneratorHarness.CompileAndLoad(CollidingSource, "CollidingUserFunctions", "Models.Derived.Colliding"));

    [Fact]
    public void Generated_member_names_never_collide_whatever_the_functions_and_inputs_are_called()
    {
        GeneratorResult result = GeneratorHarness.Run(GeneratorHarness.Compile([CollidingSource]));
        Assert.Empty(result.Diagnostics);
        var errors = GeneratorHarness.ErrorsAndWarnings(result.Output);
        Assert.True(errors.IsEmpty, string.Join(Environment.NewLine, errors));

        // The identifiers' underscores are doubled, so the separators' single ones cannot be confused with them.
        (string File, string Member)[] names =
        [
            ("F", "private static double __F_d_d__x(double d_x)"),
            ("F_d", "private static double __F__d_d_x(double x)"),
            ("G", "private static double __G_d_dd__a(double dd_a)"),
            ("H", "private static double __G__d_dd_a(double a)"),
            ("K", "private static double __K_d_yKernel(double yKernel)"),
            ("K_d_y", "private readonly struct __K__d__yKernel"),
        ];
        foreach (var (file, member) in names)
        {
            Assert.Contains(member, result.Source($"Models.Derived.Colliding.{file}.g.cs"), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0.7)]
    [InlineData(-1.3)]
    public void Functions_with_colliding_helper_names_compute_their_own_derivatives_at_both_orders(double x) =>
        AssertFirstAndSecondDerivatives(
            s_colliding.Value,
            ("F", x, 2 * x, 2.0),
            ("F_d", x, 3 * x * x, 6 * x),
            ("G", x, Math.Exp(x), Math.Exp(x)),
            ("H", x, Math.Cos(x), -Math.Sin(x)),
            ("K", x, 4 * x * x * x, 12 * x * x),
            ("K_d_y", Math.Abs(x), 0.5 / Math.Sqrt(Math.Abs(x)), -0.25 / (Math.Abs(x) * Math.Sqrt(Math.Abs(x)))));

    /// <summary>
    /// Piecewise functions written with integer literals, which C# converts to double. A conditional whose branches are
    /// both integers is itself an int, converted as a whole: the differentiator read only double expressions and rejected
    /// it (AD1015 "the expression 'x > 0 ? 1 : 0' is not supported"). A conditional with one double branch
    /// (<c>x > 0 ? x : 0</c>) is a double and was already read.
    /// </summary>
    private const string IntegerPiecewiseSource = """
        using System;
        using AutoDiff;

        namespace Models.Derived;

        internal static partial class IntegerPiecewise
        {
            [Differentiable] public static double Step(double x) => x > 0 ? 1 : 0;

            [Differentiable] public static double Relu(double x) => x > 0 ? x : 0;

            // x·s with s = 1, 0 or -1 by a nested integer conditional: the derivative is s.
            [Differentiable] public static double Clip(double x) => x * (x > 1 ? 1 : x < -1 ? -1 : 0);

            [Differentiable]
            public static double Block(double x)
            {
                double k = x >= 2 ? 3 : 2;
                return k * x * x;
            }
        }
        """;

    /// <summary>
    /// Declared rules with integer conditionals: their second derivatives are derived from their bodies by the same
    /// differentiator, which rejected them, so the generated second-order rule threw NotSupportedException and
    /// <c>AD.Hessian</c> could not pass through the function.
    /// </summary>
    private const string IntegerRuleSource = """
        using System;
        using AutoDiff;

        namespace Models.Derived;

        internal static partial class IntegerRules
        {
            [Differentiable] public static double Hinge(double x) => Math.Max(x, 0.0);
            [Derivative(nameof(Hinge))] private static double HingeD(double x) => x > 0 ? 1 : 0;

            [Differentiable] public static double Cubic(double x) => x > 0 ? x * x * x : x * x * x / 3.0;
            [Derivative(nameof(Cubic))] private static double CubicD(double x) => (x > 0 ? 3 : 1) * x * x;
        }
        """;

    private static readonly Lazy<Type> s_integerPiecewise =
        new(() => GeneratorHarness.CompileAndLoad(IntegerPiecewiseSource, "IntegerPiecewiseFunctions", "Models.Derived.IntegerPiecewise"));

    private static readonly Lazy<Type> s_integerRules =
        new(() => GeneratorHarness.CompileAndLoad(IntegerRuleSource, "IntegerRuleFunctions", "Models.Derived.IntegerRules"));

    [Theory]
    [InlineData(0.7)]
    [InlineData(-0.4)]
    [InlineData(1.5)]
    [InlineData(-2.5)]
    [InlineData(3.0)]
    public void Integer_literals_in_derived_conditionals_are_the_double_constants_at_both_orders(double x) =>
        AssertFirstAndSecondDerivatives(
            s_integerPiecewise.Value,
            ("Step", x, 0.0, 0.0),
            ("Relu", x, x > 0 ? 1.0 : 0.0, 0.0),
            ("Clip", x, x > 1 ? 1.0 : x < -1 ? -1.0 : 0.0, 0.0),
            ("Block", x, x >= 2 ? 6 * x : 4 * x, x >= 2 ? 6.0 : 4.0));

    [Theory]
    [InlineData(0.7)]
    [InlineData(-0.4)]
    [InlineData(2.5)]
    public void Declared_rules_with_integer_conditionals_have_a_Hessian(double x) =>
        AssertFirstAndSecondDerivatives(
            s_integerRules.Value,
            ("Hinge", x, x > 0 ? 1.0 : 0.0, 0.0),
            ("Cubic", x, x > 0 ? 3 * x * x : x * x, x > 0 ? 6 * x : 2 * x));

    // The vector translator read only double-to-double conversions, so every body with an integer conditional ran its
    // tensor kernel lane by lane through the scalar function (correct, slower; helper-55).
    [Fact]
    public void Integer_conditionals_get_vector_bodies_with_the_scalar_bits()
    {
        GeneratorResult result = GeneratorHarness.Run(IntegerPiecewiseSource, IntegerRuleSource);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));
        foreach (string name in new[] { "IntegerPiecewise.Step", "IntegerPiecewise.Clip", "IntegerPiecewise.Block", "IntegerRules.Hinge", "IntegerRules.Cubic" })
        {
            Assert.Contains("public static bool IsValueVectorized => true;", result.Source($"Models.Derived.{name}.g.cs"), StringComparison.Ordinal);
        }

        foreach (string name in new[] { "IntegerPiecewise.Step", "IntegerPiecewise.Clip", "IntegerPiecewise.Block", "IntegerRules.Hinge", "IntegerRules.Cubic" })
        {
            Assert.Contains("public static bool IsDerivativeVectorized => true;", result.Source($"Models.Derived.{name}.g.cs"), StringComparison.Ordinal);
        }

        // 37 points: a 512-bit loop, a 256-bit step and a scalar tail, both sides of every branch point and the points
        // themselves. Values and gradients of the tensor path against the scalar function and the closed forms.
        double[] xs = [.. Enumerable.Range(0, 37).Select(i => -3.0 + (i / 6.0))];
        foreach (var (type, name, derivative) in new (Type, string, Func<double, double>)[]
        {
            (s_integerPiecewise.Value, "Step", x => 0.0),
            (s_integerPiecewise.Value, "Clip", x => x > 1 ? 1.0 : x < -1 ? -1.0 : 0.0),
            (s_integerPiecewise.Value, "Block", x => x >= 2 ? 6 * x : 4 * x),
            (s_integerRules.Value, "Hinge", x => x > 0 ? 1.0 : 0.0),
            (s_integerRules.Value, "Cubic", x => x > 0 ? 3 * x * x : x * x),
        })
        {
            var scalar = type.GetMethod(name, BindingFlags.Public | BindingFlags.Static, [typeof(double)])!.CreateDelegate<Func<double, double>>();
            var tensor = type.GetMethod(name, BindingFlags.Public | BindingFlags.Static, [typeof(Tensor)])!.CreateDelegate<Func<Tensor, Tensor>>();
            var (_, gradients) = AD.ValueAndGrad(p => Ops.Sum(tensor(p[0])), Tensor.Vector(xs));
            double[] values = tensor(Tensor.Vector(xs)).ToArray(), gradient = gradients[0].ToArray();
            for (int i = 0; i < xs.Length; i++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(scalar(xs[i])), BitConverter.DoubleToInt64Bits(values[i]));
                Assert.True(Math.Abs(derivative(xs[i]) - gradient[i]) <= 1e-12 * Math.Max(1.0, Math.Abs(gradient[i])), $"{name}'({xs[i]}) = {gradient[i]}, expected {derivative(xs[i])}");
            }
        }
    }

    /// <summary>
    /// Functions without rules whose derived partials have vector forms: one to three inputs, Math.Exp, Log, Sqrt, Sin,
    /// a conditional, a constant of Math functions and a local.
    /// </summary>
    private const string VectorDerivedSource = """
        using System;
        using AutoDiff;

        namespace Models.Derived;

        internal static partial class VectorDerived
        {
            [Differentiable]
            public static double LogNormal(double y, double mu, double sigma) =>
                -Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI) - (y - mu) * (y - mu) / (2 * sigma * sigma);

            [Differentiable] public static double Wave(double x) => Math.Sin(x) * Math.Exp(-0.5 * x);

            [Differentiable]
            public static double Ramp(double a, double b)
            {
                double s = Math.Sqrt(a * a + b * b + 1.0);
                return a > b ? s * a : s - b;
            }
        }
        """;

    private static readonly Lazy<Type> s_vectorDerived =
        new(() => GeneratorHarness.CompileAndLoad(VectorDerivedSource, "VectorDerivedFunctions", "Models.Derived.VectorDerived"));

    // A derived rule existed only as text, so it had no vector form: a tensor kernel of a function declared without rules
    // (the issue's own LogNormal example) computed every partial lane by lane through the scalar helper.
    [Fact]
    public void Derived_partials_get_vector_bodies_that_agree_with_the_scalar_rules_and_the_closed_forms()
    {
        GeneratorResult result = GeneratorHarness.Run(VectorDerivedSource);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));
        foreach (string name in new[] { "LogNormal", "Wave", "Ramp" })
        {
            Assert.Contains("public static bool IsDerivativeVectorized => true;", result.Source($"Models.Derived.VectorDerived.{name}.g.cs"), StringComparison.Ordinal);
        }

        Type type = s_vectorDerived.Value;
        const int n = 37;
        double[] y = [.. Enumerable.Range(0, n).Select(i => Math.Sin(0.9 * i) * 2.0)];
        double[] mu = [.. Enumerable.Range(0, n).Select(i => Math.Cos(0.4 * i))];
        double[] sigma = [.. Enumerable.Range(0, n).Select(i => 0.5 + (0.05 * i))];
        double[] x = [.. Enumerable.Range(0, n).Select(i => -4.0 + (0.23 * i))];

        var logNormal = type.GetMethod("LogNormal", [typeof(Tensor), typeof(Tensor), typeof(Tensor)])!;
        var ln = AD.Grad(p => Ops.Sum((Tensor)logNormal.Invoke(null, [p[0], p[1], p[2]])!), Tensor.Vector(y), Tensor.Vector(mu), Tensor.Vector(sigma));
        var wave = type.GetMethod("Wave", [typeof(Tensor)])!;
        var wv = AD.Grad(p => Ops.Sum((Tensor)wave.Invoke(null, [p[0]])!), Tensor.Vector(x));
        var ramp = type.GetMethod("Ramp", [typeof(Tensor), typeof(Tensor)])!;
        var rp = AD.Grad(p => Ops.Sum((Tensor)ramp.Invoke(null, [p[0], p[1]])!), Tensor.Vector(x), Tensor.Vector(y));
        for (int i = 0; i < n; i++)
        {
            double r = y[i] - mu[i], s2 = sigma[i] * sigma[i];
            AssertClose("∂LogNormal/∂y", -r / s2, ln[0].ToArray()[i]);
            AssertClose("∂LogNormal/∂μ", r / s2, ln[1].ToArray()[i]);
            AssertClose("∂LogNormal/∂σ", (r * r / s2 - 1.0) / sigma[i], ln[2].ToArray()[i]);
            AssertClose("Wave′", Math.Exp(-0.5 * x[i]) * (Math.Cos(x[i]) - 0.5 * Math.Sin(x[i])), wv[0].ToArray()[i]);
            double a = x[i], b = y[i], root = Math.Sqrt(a * a + b * b + 1.0);
            AssertClose("∂Ramp/∂a", a > b ? root + a * a / root : a / root, rp[0].ToArray()[i]);
            AssertClose("∂Ramp/∂b", a > b ? a * b / root : b / root - 1.0, rp[1].ToArray()[i]);
        }

        static void AssertClose(string what, double expected, double actual) =>
            Assert.True(Math.Abs(expected - actual) <= 1e-13 * Math.Max(1.0, Math.Abs(expected)), $"{what} = {actual:R}, expected {expected:R}");
    }

    // Math.Max(x, x) without rules: the derived rules compare x > x and x == x, four CS1718 warnings in the generated
    // file that broke builds with TreatWarningsAsErrors (helper-61).
    [Fact]
    public void A_body_comparing_an_input_with_itself_generates_no_warnings()
    {
        const string source = """
            using System;
            using AutoDiff;

            namespace Models.Derived;

            internal static partial class SelfMax
            {
                [Differentiable] public static double Twice(double x) => Math.Max(x, x) + x;
            }
            """;
        GeneratorResult result = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));
        AssertFirstAndSecondDerivatives(
            GeneratorHarness.CompileAndLoad(source, "SelfMaxFunctions", "Models.Derived.SelfMax"),
            ("Twice", 0.7, 2.0, 0.0),
            ("Twice", -1.3, 2.0, 0.0));
    }

    // A cast to double written out, (double)x of a double or (double)(c ? 1 : 0) of an integer conditional, is the value
    // C# converts implicitly elsewhere; it was AD1015 ("the expression '(double)x' is not supported").
    [Fact]
    public void A_written_cast_to_double_is_differentiated_as_the_implicit_conversion()
    {
        const string source = """
            using System;
            using AutoDiff;

            namespace Models.Derived;

            internal static partial class Casts
            {
                [Differentiable] public static double SquareCast(double x) => (double)x * x;
                [Differentiable] public static double RampCast(double x) => (double)(x > 0 ? 1 : 0) * x * x + (double)(float)0.5;
            }
            """;
        GeneratorResult result = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);

        // x²: 2x and 2. x² on x > 0, else 0: 2x or 0, and 2 or 0.
        AssertFirstAndSecondDerivatives(
            GeneratorHarness.CompileAndLoad(source, "CastFunctions", "Models.Derived.Casts"),
            ("SquareCast", 1.5, 3.0, 2.0),
            ("SquareCast", -0.5, -1.0, 2.0),
            ("RampCast", 1.5, 3.0, 2.0),
            ("RampCast", -0.5, 0.0, 0.0));
    }

    [Fact]
    public void Integer_piecewise_functions_pass_the_declared_op_sweep_with_second_order_rules()
    {
        foreach (Type type in new[] { s_integerPiecewise.Value, s_integerRules.Value })
        {
            DeclaredOpSweepReport report = DeclaredOpSweep.Run(type);

            Assert.Empty(report.Failures);
            Assert.Empty(report.WithoutSecondOrder);
        }
    }

    /// <summary>
    /// Partial methods: a function or rule declared by a defining declaration and implemented by another, in the same file
    /// or in another one. The body is the implementing declaration's; it was not read (the defining declaration has none),
    /// so every input of a function without rules was AD1005, and a partial rule had no second derivative.
    /// </summary>
    private static readonly string[] s_partialSources =
    [
        """
        using System;
        using AutoDiff;

        namespace Models.Derived;

        internal static partial class Partials
        {
            [Differentiable] public static partial double Cube(double x);
            public static partial double Cube(double x) => x * x * x;

            // Implemented in the other file.
            [Differentiable] public static partial double Wave(double x);

            // Declared on the implementing declaration: read as always.
            public static partial double Square(double x);
            [Differentiable] public static partial double Square(double x) => x * x;

            [Differentiable] public static double Quartic(double x) => x * x * x * x;
            [Derivative(nameof(Quartic))] private static partial double QuarticD(double x);
            private static partial double QuarticD(double x) => 4 * x * x * x;
        }
        """,
        """
        using System;

        namespace Models.Derived;

        internal static partial class Partials
        {
            public static partial double Wave(double x) => Math.Sin(x) * x;
        }
        """,
    ];

    private static readonly Lazy<Type> s_partials =
        new(() => GeneratorHarness.CompileAndLoad(s_partialSources, "PartialFunctions", "Models.Derived.Partials"));

    [Theory]
    [InlineData(0.7)]
    [InlineData(-1.3)]
    public void Partial_functions_and_rules_are_read_from_their_implementing_declarations(double x) =>
        AssertFirstAndSecondDerivatives(
            s_partials.Value,
            ("Cube", x, 3 * x * x, 6 * x),
            ("Wave", x, (Math.Cos(x) * x) + Math.Sin(x), (-Math.Sin(x) * x) + (2 * Math.Cos(x))),
            ("Square", x, 2 * x, 2.0),
            ("Quartic", x, 4 * x * x * x, 12 * x * x));

    [Fact]
    public void A_partial_function_gets_its_vector_body_from_the_implementing_declaration_unless_it_calls_itself()
    {
        GeneratorResult result = GeneratorHarness.Run(GeneratorHarness.Compile(
        [
            .. s_partialSources,
            """
            using AutoDiff;

            namespace Models.Derived;

            internal static partial class Partials
            {
                // A vector body evaluates both arms, so a recursive one would never end: it keeps the scalar loop.
                [Differentiable] public static partial double Halving(double x);
                public static partial double Halving(double x) => x > 1.0 ? 2.0 * Halving(0.5 * x) : x;
                [Derivative(nameof(Halving))] private static double HalvingD() => 1.0;
            }
            """,
        ]));

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));
        Assert.Contains("public static bool IsValueVectorized => true;", result.Source("Models.Derived.Partials.Wave.g.cs"), StringComparison.Ordinal);
        Assert.DoesNotContain("IsValueVectorized", result.Source("Models.Derived.Partials.Halving.g.cs"), StringComparison.Ordinal);
    }

    /// <summary>
    /// For each case, the one-input function <c>Name</c> of <paramref name="type"/> on the real tape: its gradient and its
    /// Hessian at <c>X</c> against the closed forms <c>First</c> and <c>Second</c>.
    /// </summary>
    private static void AssertFirstAndSecondDerivatives(Type type, params (string Name, double X, double First, double Second)[] cases)
    {
        foreach (var (name, x, first, second) in cases)
        {
            var f = type.GetMethod(name, BindingFlags.Public | BindingFlags.Static, [typeof(Var)])!.CreateDelegate<Func<Var, Var>>();
            using (Tape.Scope())
            {
                Var v = Var.Leaf(x);
                f(v).Backward();
                Assert.True(Math.Abs(first - v.Grad) <= Tolerance * Math.Max(1.0, Math.Abs(first)), $"{name}'({x}) = {v.Grad}, expected {first}");
            }

            double hessian = AD.Hessian(v => f(v[0]), [x])[0, 0];
            Assert.True(Math.Abs(second - hessian) <= Tolerance * Math.Max(1.0, Math.Abs(second)), $"{name}''({x}) = {hessian}, expected {second}");
        }
    }
}
