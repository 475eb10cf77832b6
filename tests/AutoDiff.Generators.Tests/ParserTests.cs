using System.Linq;
using System.Threading;
using AutoDiff.Generators.Model;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoDiff.Generators.Tests;

public class ParserTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        namespace Models.Stats;

        public static partial class Densities
        {
            [Differentiable]
            public static double Softsign(double x) => x / (1.0 + Math.Abs(x));

            [Derivative(nameof(Softsign))]
            private static double SoftsignDerivative(double x) => 1.0 / ((1.0 + Math.Abs(x)) * (1.0 + Math.Abs(x)));

            [Differentiable]
            internal static double Hypot(double a, double b) => Math.Sqrt(a * a + b * b);

            [Derivative(nameof(Hypot), "a")]
            private static double HypotDa(double result, double a) => a / result;

            [Derivative(withRespectTo: "b", function: nameof(Hypot))]
            private static double HypotDb(double b, double result) => b / result;

            [Differentiable]
            public static double LogNormal(double y, double mu, double sigma) => 0.0;

            [Derivative(nameof(LogNormal), "y")]
            private static double LogNormalDy(double y, double mu, double sigma) => 0.0;

            [Derivative(nameof(LogNormal), "mu")]
            private static double LogNormalDmu(double sigma, double mu, double y) => (y - mu) / (sigma * sigma);

            [Derivative(nameof(LogNormal), "sigma")]
            private static double LogNormalDsigma(double y, double sigma, double mu) => ((y - mu) * (y - mu) / (sigma * sigma) - 1.0) / sigma;
        }
        """;

    private static (IMethodSymbol Method, AttributeData Attribute) Method(Compilation compilation, string name)
    {
        IMethodSymbol method = compilation.GetTypeByMetadataName("Models.Stats.Densities")!.GetMembers(name).OfType<IMethodSymbol>().Single();
        return (method, method.GetAttributes().Single());
    }

    private static FunctionModel Function(string name)
    {
        var (method, attribute) = Method(GeneratorHarness.Compile([Source]), name);
        return Parser.ParseFunction(method, attribute, CancellationToken.None);
    }

    private static DerivativeModel Derivative(string name)
    {
        var (method, attribute) = Method(GeneratorHarness.Compile([Source]), name);
        return Parser.ParseDerivative(method, attribute, CancellationToken.None);
    }

    [Fact]
    public void A_function_model_names_its_class_namespace_accessibility_and_inputs()
    {
        FunctionModel hypot = Function("Hypot");

        Assert.Equal("global::Models.Stats.Densities", hypot.ContainingType);
        Assert.Equal("Models.Stats", hypot.Namespace);
        Assert.Equal("Densities", hypot.ClassName);
        Assert.Equal("Hypot", hypot.Name);
        Assert.Equal("internal", hypot.Accessibility);
        Assert.Equal(["a", "b"], hypot.Inputs.Select(i => i.Name));
        Assert.Null(hypot.Operator);
        Assert.Empty(hypot.Diagnostics);
    }

    [Fact]
    public void A_function_model_points_at_the_method_identifier()
    {
        FunctionModel softsign = Function("Softsign");

        // Line 8 (0-based) is "public static double Softsign(double x) => ..."; the identifier starts at column 25.
        Assert.Equal(8, softsign.Location!.LineSpan.Start.Line);
        Assert.Equal(25, softsign.Location.LineSpan.Start.Character);
        Assert.Equal("Softsign".Length, softsign.Location.TextSpan.Length);
    }

    [Fact]
    public void A_derivative_model_records_its_function_input_and_the_parameters_it_reads_in_order()
    {
        DerivativeModel da = Derivative("HypotDa");

        Assert.Equal("global::Models.Stats.Densities", da.ContainingType);
        Assert.Equal("HypotDa", da.MethodName);
        Assert.Equal("Hypot", da.Function);
        Assert.Equal("a", da.WithRespectTo);
        Assert.Equal(["result", "a"], da.Parameters.Select(p => p.Name));
        Assert.True(da.IsValid);
    }

    [Fact]
    public void A_derivative_with_named_attribute_arguments_is_read_by_name_not_position()
    {
        DerivativeModel db = Derivative("HypotDb");

        Assert.Equal("Hypot", db.Function);
        Assert.Equal("b", db.WithRespectTo);
        Assert.Equal(["b", "result"], db.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void A_rule_that_is_one_quotient_by_inputs_keeps_its_numerator_its_divisor_and_what_the_divisor_reads()
    {
        // A divisor that is one input, or an expression of inputs (the same input twice is read once).
        const string V = VectorTranslator.VectorClass;
        Assert.Equal(
            new QuotientModel($"return ((((y - mu) * (y - mu)) / (sigma * sigma)) - {V}.Create(1.0));", "return sigma;", new[] { "sigma" }.ToEquatableArray()),
            DerivativeWithBody("LogNormalDsigma").Quotient);
        Assert.Equal(
            new QuotientModel("return (y - mu);", "return (sigma * sigma);", new[] { "sigma" }.ToEquatableArray()),
            DerivativeWithBody("LogNormalDmu").Quotient);
        Assert.Equal(
            new QuotientModel($"return {V}.Create(1.0);", $"return (({V}.Create(1.0) + {V}.Abs(x)) * ({V}.Create(1.0) + {V}.Abs(x)));", new[] { "x" }.ToEquatableArray()),
            DerivativeWithBody("SoftsignDerivative").Quotient);

        // a / result divides by the result, which changes along every row; 0.0 is no quotient at all.
        Assert.Null(DerivativeWithBody("HypotDa").Quotient);
        Assert.Null(DerivativeWithBody("LogNormalDy").Quotient);

        // Without the body's semantic model there is nothing to read.
        Assert.Null(Derivative("HypotDa").Quotient);
    }

    private static DerivativeModel DerivativeWithBody(string name)
    {
        Compilation compilation = GeneratorHarness.Compile([Source]);
        var (method, attribute) = Method(compilation, name);
        SemanticModel semanticModel = compilation.GetSemanticModel(method.DeclaringSyntaxReferences[0].SyntaxTree);
        return Parser.ParseDerivative(method, attribute, CancellationToken.None, semanticModel);
    }

    [Fact]
    public void A_one_input_derivative_has_no_withRespectTo()
    {
        DerivativeModel d = Derivative("SoftsignDerivative");

        Assert.Equal("Softsign", d.Function);
        Assert.Null(d.WithRespectTo);
        Assert.Equal(["x"], d.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void Binding_orders_the_rules_by_input_and_keeps_each_rules_own_argument_order()
    {
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(GeneratorHarness.Compile([Source]));
        FunctionSpec[] specs = TrackedOutputs<FunctionSpec>(driver, TrackingNames.Specs);
        FunctionSpec logNormal = specs.Single(s => s.Function.Name == "LogNormal");

        Assert.True(logNormal.CanEmit);
        Assert.Equal(["LogNormalDy", "LogNormalDmu", "LogNormalDsigma"], logNormal.Partials.Select(p => p.MethodName));
        Assert.Equal(["sigma", "mu", "y"], logNormal.Partials[1].Arguments);
        Assert.Equal(["y", "sigma", "mu"], logNormal.Partials[2].Arguments);

        FunctionSpec hypot = specs.Single(s => s.Function.Name == "Hypot");
        Assert.Equal(["HypotDa", "HypotDb"], hypot.Partials.Select(p => p.MethodName));
        Assert.Equal(["result", "a"], hypot.Partials[0].Arguments);
        Assert.False(hypot.EmitOperator);
    }

    [Fact]
    public void An_operator_is_read_and_kept_when_the_compilation_declares_Var()
    {
        const string library = """
            namespace AutoDiff;

            public static partial class Ops
            {
                [Differentiable(Operator = "*")]
                public static double Multiply(double a, double b) => a * b;

                [Derivative(nameof(Multiply), "a")]
                private static double MultiplyDa(double b) => b;

                [Derivative(nameof(Multiply), "b")]
                private static double MultiplyDb(double a) => a;
            }
            """;
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true)
            .RunGenerators(GeneratorHarness.Compile(GeneratorHarness.WithLibrary(library), referenceRuntime: false));

        FunctionSpec multiply = TrackedOutputs<FunctionSpec>(driver, TrackingNames.Specs).Single();
        Assert.Equal("*", multiply.Function.Operator);
        Assert.True(multiply.EmitOperator);
        Assert.Equal(["b"], multiply.Partials[0].Arguments);
        Assert.Equal(["a"], multiply.Partials[1].Arguments);
    }

    internal static T[] TrackedOutputs<T>(GeneratorDriver driver, string stepName) =>
        driver.GetRunResult().Results.Single().TrackedSteps[stepName]
            .SelectMany(step => step.Outputs)
            .Select(output => (T)output.Value)
            .ToArray();
}

public class BranchPointTests
{
    [Fact]
    public void Comparisons_of_inputs_with_constants_in_the_body_and_in_rules_become_branch_point_attributes()
    {
        GeneratorResult result = GeneratorHarness.Run("""
            using System;
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static double Ramp(double x, double k) => x < 20 ? k * x : 2.0 * x - 20;
                [Derivative(nameof(Ramp), "x")] static double RampDx(double x, double k) => 0.5 >= x ? k : (x < 20 ? k : 2.0);
                [Derivative(nameof(Ramp), "k")] static double RampDk(double x, double result) => result > 1.0 && x < 20 ? x : 0.0;
            }
            """);

        Assert.Empty(result.Diagnostics);
        string source = result.Source("C.Ramp.g.cs");
        Assert.Contains("[global::AutoDiff.BranchPoint(\"x\", 20)]", source, System.StringComparison.Ordinal);
        Assert.Contains("[global::AutoDiff.BranchPoint(\"x\", 0.5)]", source, System.StringComparison.Ordinal);

        // Once per point, however often it is compared; a comparison of `result` is not an input's branch point.
        Assert.Equal(2, source.Split("BranchPoint(").Length - 1);
    }

    [Fact]
    public void A_magnitude_compared_with_a_constant_branches_at_both_signs_in_the_body_and_in_the_rule()
    {
        // The reported Huber: the body switches at |r| = 5, the mistyped rule at |r| = 4. The sweep can only catch the
        // rule on 4 < |r| < 5 if all four points are marked.
        GeneratorResult result = GeneratorHarness.Run("""
            using System;
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static double Huber(double r) => Math.Abs(r) <= 5.0 ? 0.5 * r * r : 5.0 * (Math.Abs(r) - 2.5);
                [Derivative(nameof(Huber))] static double HuberD(double r) => 4.0 >= Math.Abs(r) ? r : 5.0 * Math.Sign(r);
            }
            """);

        Assert.Empty(result.Diagnostics);
        // And 0, where |r| and sign r have their own kinks.
        Assert.Equal(
            [("r", -5.0), ("r", -4.0), ("r", 0.0), ("r", 4.0), ("r", 5.0)],
            BranchPoints(result.Source("C.Huber.g.cs")));
    }

    [Fact]
    public void Affine_forms_of_one_input_named_constants_and_locals_initialized_once_are_solved_for_the_input()
    {
        GeneratorResult result = GeneratorHarness.Run("""
            using System;
            using AutoDiff;
            public static partial class C
            {
                private const double Limit = 3.0;

                [Differentiable]
                public static double Forms(double x, double y)
                {
                    const double lo = -1.5;
                    double a = Math.Abs(y);
                    double b = x;
                    b = b * b;
                    double s = 0.0;
                    if (2.0 > Math.Abs(x)) s += 1.0;          // x = ±2
                    if (x - 0.25 >= 0) s += 1.0;              // x = 0.25
                    if (-x <= lo) s += 1.0;                   // x = 1.5 (a const local)
                    if (2.0 * x + 1.0 < 7.0) s += 1.0;        // x = 3
                    if (y > Limit) s += 1.0;                  // y = 3 (a const field)
                    if (Math.Abs(y - 1.0) < 0.5) s += 1.0;    // y = 0.5, 1.5
                    if (a > 10.0) s += 1.0;                   // y = ±10 (a local initialized once)
                    if (x < y) s += 1.0;                      // two inputs: a line, no single point
                    if (x * y < 1.0) s += 1.0;                // neither is affine in one input
                    if (Math.Sin(x) < 0.5) s += 1.0;          // not affine
                    if (Math.Abs(x) < -1.0) s += 1.0;         // never true: no point
                    if (b < 4.0) s += 1.0;                    // b is reassigned: not x = 4
                    if (x / 4.0 == 0.5) s += 1.0;             // x = 2, already marked
                    return s;
                }

                [Derivative(nameof(Forms), "x")] static double FormsDx() => 0.0;
                [Derivative(nameof(Forms), "y")] static double FormsDy() => 0.0;
            }
            """);

        Assert.Empty(result.Diagnostics);
        // And the kinks of the magnitudes themselves: |x| and |y| at 0, |y − 1| at 1.
        Assert.Equal(
            [("x", -2.0), ("x", 0.0), ("x", 0.25), ("x", 1.5), ("x", 2.0), ("x", 3.0), ("y", -10.0), ("y", 0.0), ("y", 0.5), ("y", 1.0), ("y", 1.5), ("y", 3.0), ("y", 10.0)],
            BranchPoints(result.Source("C.Forms.g.cs")));
    }

    [Fact]
    public void Kinks_of_Max_Min_Abs_Sign_and_Clamp_are_marked_without_a_comparison()
    {
        // Math.Max(x, y) switches on the line x = y though nothing compares x and y; a rule written with Math.Sign or
        // Math.Max instead of a comparison switches on the line or at the point where its argument is 0.
        GeneratorResult result = GeneratorHarness.Run("""
            using System;
            using AutoDiff;
            public static partial class C
            {
                [Differentiable]
                public static double Kinks(double x, double y, double z) =>
                    Math.Max(x, y) + Math.Min(2.0 * x, 3.0) + Math.Abs(z + 1.0) + Math.Clamp(z, -2.0, 4.0) + Math.Max(val2: y, val1: z - 1.0);

                [Derivative(nameof(Kinks), "x")] static double KinksDx() => 0.0;
                [Derivative(nameof(Kinks), "y")] static double KinksDy(double y) => Math.Sign(y - 0.5);
                [Derivative(nameof(Kinks), "z")] static double KinksDz() => 0.0;
            }
            """);

        Assert.Empty(result.Diagnostics);
        string source = result.Source("C.Kinks.g.cs");
        // Min(2x, 3) at x = 1.5, |z + 1| at −1, the clamp at −2 and 4, the rule's sign(y − 0.5) at 0.5.
        Assert.Equal([("x", 1.5), ("y", 0.5), ("z", -2.0), ("z", -1.0), ("z", 4.0)], BranchPoints(source));
        // Max(x, y) on x = y; Max(z − 1, y), its arguments named out of order, on y = z − 1.
        Assert.Equal([("x", "y", 1.0, 0.0), ("y", "z", 1.0, -1.0)], BranchSurfaces(source));
    }

    [Fact]
    public void An_integer_division_of_integer_locals_truncates_as_CSharp_does()
    {
        // int n = 5: n / 2 is 2, not 2.5, and −7 / 2 is −3 (towards 0), so x > n / 2 branches at 2. A double division
        // (n / 2.0) is 2.5.
        GeneratorResult result = GeneratorHarness.Run("""
            using System;
            using AutoDiff;
            public static partial class C
            {
                [Differentiable]
                public static double Steps(double x)
                {
                    int n = 5;
                    int m = -7;
                    double half = n / 2;
                    double s = 0.0;
                    if (x > half) s += 1.0;          // x = 2 (the local's initializer is an integer division)
                    if (x < m / 2) s += 1.0;         // x = −3
                    if (x - n / 2.0 > 0.0) s += 1.0; // x = 2.5
                    return s;
                }

                [Derivative(nameof(Steps))] static double StepsD() => 0.0;
            }
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Equal([("x", -3.0), ("x", 2.0), ("x", 2.5)], BranchPoints(result.Source("C.Steps.g.cs")));
    }

    [Fact]
    public void Comparisons_affine_in_two_inputs_become_branch_surfaces_solved_for_the_input_declared_first()
    {
        GeneratorResult result = GeneratorHarness.Run("""
            using System;
            using AutoDiff;
            public static partial class C
            {
                [Differentiable]
                public static double Lines(double x, double y, double k)
                {
                    const double gap = 2.0;
                    double d = x - 0.5 * y;
                    double s = 0.0;
                    if (x < y) s += 1.0;                       // x = y
                    if (x - y < 0.0) s += 1.0;                 // x = y again
                    if (2.0 * y > 2.0 * x) s += 1.0;           // x = y again
                    if (x - y > gap) s += 1.0;                 // x = y + 2 (a const local)
                    if (2 * x <= y + 1) s += 1.0;              // x = y/2 + 1/2
                    if (y > 3.0 * x) s += 1.0;                 // x = y/3
                    if (-x >= y - 4.0) s += 1.0;               // x = −y + 4
                    if (Math.Abs(x - y) < 1.0) s += 1.0;       // x = y ± 1
                    if (d > 4.0) s += 1.0;                     // x = y/2 + 4 (a local initialized once)
                    if (k < y) s += 1.0;                       // y = k: y is declared before k
                    if (x < x / 2.0 + y) s += 1.0;             // x/2 = y: x = 2y
                    if (x + y < k) s += 1.0;                   // three inputs: not a line of two
                    if (x * y < 1.0) s += 1.0;                 // not affine
                    if (Math.Abs(x) < y) s += 1.0;             // |x| = y is not a line
                    if (x + y < y + 3.0) s += 1.0;             // y cancels: the point x = 3
                    return s;
                }

                [Derivative(nameof(Lines), "x")] static double LinesDx() => 0.0;

                // A rule that declares y first: y = x + 3 is the function's x = y − 3. A comparison with result is no input's.
                [Derivative(nameof(Lines), "y")] static double LinesDy(double y, double x, double result) => y > x + 3.0 && result > x ? 1.0 : 0.0;

                [Derivative(nameof(Lines), "k")] static double LinesDk() => 0.0;
            }
            """);

        Assert.Empty(result.Diagnostics);
        string source = result.Source("C.Lines.g.cs");
        Assert.Equal(
            [("x", "y", -1.0, 4.0), ("x", "y", 1.0 / 3.0, 0.0), ("x", "y", 0.5, 0.5), ("x", "y", 0.5, 4.0), ("x", "y", 1.0, -3.0),
                ("x", "y", 1.0, -1.0), ("x", "y", 1.0, 0.0), ("x", "y", 1.0, 1.0), ("x", "y", 1.0, 2.0), ("x", "y", 2.0, 0.0),
                ("y", "k", 1.0, 0.0)],
            BranchSurfaces(source));
        Assert.Equal([("x", 0.0), ("x", 3.0)], BranchPoints(source)); // |x| has its kink at 0
        Assert.Equal(11, source.Split("BranchSurface(").Length - 1); // each line once, however often and however written
    }

    [Fact]
    public void A_line_marked_in_the_body_and_in_a_rule_is_emitted_once_on_the_var_overload_only()
    {
        GeneratorResult result = GeneratorHarness.Run("""
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static double Hinge(double a, double b) => a - b > 0.0 ? a - b : 0.0;
                [Derivative(nameof(Hinge), "a")] static double HingeDa(double a, double b) => a > b ? 1.0 : 0.0;
                [Derivative(nameof(Hinge), "b")] static double HingeDb(double b, double a) => b < a ? -1.0 : 0.0;
            }
            """);

        Assert.Empty(result.Diagnostics);
        string source = result.Source("C.Hinge.g.cs");
        Assert.Equal([("a", "b", 1.0, 0.0)], BranchSurfaces(source));
        int attribute = source.IndexOf("[global::AutoDiff.BranchSurface(", System.StringComparison.Ordinal);
        int varOverload = source.IndexOf("Hinge(global::AutoDiff.Var a, global::AutoDiff.Var b)", System.StringComparison.Ordinal);
        Assert.True(attribute >= 0 && varOverload > attribute, source);
        Assert.DoesNotContain("BranchSurface(", source.Substring(varOverload), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Var_overloads_of_three_or_more_variables_that_reach_the_C_library_are_not_inlined_and_the_others_are()
    {
        GeneratorResult result = GeneratorHarness.Run("""
            using System;
            using AutoDiff;
            public static partial class C
            {
                // Only what the JIT compiles itself: arithmetic, Math.Sqrt, Abs, Max, FusedMultiplyAdd, double.IsNaN, and a
                // helper of this compilation that does arithmetic.
                [Differentiable] public static double Plain(double x, double y, double z) =>
                    double.IsNaN(x) ? x : Math.Sqrt(Math.FusedMultiplyAdd(x, x, Math.Abs(y))) + Math.Max(x, z);
                [Derivative(nameof(Plain), "x")] static double PlainDx(double x) => Twice(x);
                [Derivative(nameof(Plain), "y")] static double PlainDy(double y) => Math.Min(y, 0.0);
                [Derivative(nameof(Plain), "z")] static double PlainDz(double z) => 1.0;
                static double Twice(double x) => x + x;

                // Math.Log in the body.
                [Differentiable] public static double LogOf(double x, double y, double z) => Math.Log(x) + y + z;

                // Math.Exp two calls down, through helpers of this compilation, one of them recursive.
                [Differentiable] public static double Indirect(double x, double y, double z) => Outer(x) + y + z;
                [Derivative(nameof(Indirect), "x")] static double IndirectDx(double x) => 1.0;
                [Derivative(nameof(Indirect), "y")] static double IndirectDy(double y) => 1.0;
                [Derivative(nameof(Indirect), "z")] static double IndirectDz(double z) => 1.0;
                static double Outer(double x) => x > 10.0 ? Outer(x - 1.0) : Inner(x);
                static double Inner(double x) => Math.Exp(x);

                // Only a rule calls the C library.
                [Differentiable] public static double RuleOnly(double x, double y, double z) => x * y * z;
                [Derivative(nameof(RuleOnly), "x")] static double RuleOnlyDx(double y, double z) => y * z + 0.0 * Math.Cos(y);
                [Derivative(nameof(RuleOnly), "y")] static double RuleOnlyDy(double x, double z) => x * z;
                [Derivative(nameof(RuleOnly), "z")] static double RuleOnlyDz(double x, double y) => x * y;
            }
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(0, NotInlined(result.Source("C.Plain.g.cs")));

        // Of the seven Var overloads of each, only (Var, Var, Var) builds spans of its inputs and partials, in a local
        // function; the overload itself, which hands a constant input to the overload taking it as a double, inlines.
        Assert.Equal(1, NotInlined(result.Source("C.LogOf.g.cs")));
        Assert.Equal(1, NotInlined(result.Source("C.Indirect.g.cs")));
        Assert.Equal(1, NotInlined(result.Source("C.RuleOnly.g.cs")));
        string logOf = result.Source("C.LogOf.g.cs");
        int attribute = logOf.IndexOf("MethodImplOptions.NoInlining)]", System.StringComparison.Ordinal);
        Assert.StartsWith(
            "static global::AutoDiff.Var __record(global::AutoDiff.Var x, global::AutoDiff.Var y, global::AutoDiff.Var z)",
            logOf.Substring(attribute + "MethodImplOptions.NoInlining)]".Length).TrimStart());
        int overload = logOf.IndexOf("public static global::AutoDiff.Var LogOf(global::AutoDiff.Var x, global::AutoDiff.Var y, global::AutoDiff.Var z)", System.StringComparison.Ordinal);
        Assert.InRange(overload, 0, attribute);
        Assert.DoesNotContain("NoInlining", logOf.Substring(0, overload), System.StringComparison.Ordinal);
    }

    // How many methods of a generated file carry MethodImplOptions.NoInlining.
    private static int NotInlined(string source) =>
        System.Text.RegularExpressions.Regex.Matches(source, @"MethodImplOptions\.NoInlining\)\]").Count;

    // The (input, other, slope, offset) of the emitted line attributes, sorted.
    private static (string Input, string Other, double Slope, double Offset)[] BranchSurfaces(string source) =>
        System.Text.RegularExpressions.Regex.Matches(source, @"\[global::AutoDiff\.BranchSurface\(""(\w+)"", ""(\w+)"", ([^,]+), ([^)]+)\)\]")
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, Number(m.Groups[3].Value), Number(m.Groups[4].Value)))
            .OrderBy(p => p.Item1, System.StringComparer.Ordinal).ThenBy(p => p.Item2, System.StringComparer.Ordinal).ThenBy(p => p.Item3).ThenBy(p => p.Item4)
            .ToArray();

    private static double Number(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    // The (input, value) pairs of the emitted attributes, sorted, each once.
    private static (string Input, double Value)[] BranchPoints(string source) =>
        System.Text.RegularExpressions.Regex.Matches(source, @"\[global::AutoDiff\.BranchPoint\(""(\w+)"", ([^)]+)\)\]")
            .Select(m => (m.Groups[1].Value, double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(p => p.Item1, System.StringComparer.Ordinal).ThenBy(p => p.Item2)
            .ToArray();
}
