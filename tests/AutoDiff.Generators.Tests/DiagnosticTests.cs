using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>One error per ID, each at the exact span marked <c>[|…|]</c> in the source.</summary>
public class DiagnosticTests
{
    [Fact]
    public void AD1001_function_not_static() => AssertSingle("AD1001", """
        using AutoDiff;
        public static partial class C
        {
            [Differentiable] public double [|F|](double x) => x;
            [Derivative(nameof(F))] static double FD() => 1.0;
        }
        """);

    [Theory]
    [InlineData("public partial class C { [Differentiable] public static double [|F|](double x) => x; [Derivative(nameof(F))] static double FD() => 1.0; }")]
    [InlineData("public static class C { [Differentiable] public static double [|F|](double x) => x; [Derivative(nameof(F))] static double FD() => 1.0; }")]
    [InlineData("public static partial class C<T> { [Differentiable] public static double [|F|](double x) => x; [Derivative(nameof(F))] static double FD() => 1.0; }")]
    [InlineData("public static partial class O { public static partial class C { [Differentiable] public static double [|F|](double x) => x; [Derivative(nameof(F))] static double FD() => 1.0; } }")]
    public void AD1002_containing_type_not_a_top_level_non_generic_static_partial_class(string declaration) =>
        AssertSingle("AD1002", "using AutoDiff;\n" + declaration);

    [Fact]
    public void AD1003_no_inputs()
    {
        Diagnostic d = AssertSingle("AD1003", """
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static double [|F|]() => 1.0;
            }
            """);
        Assert.Contains("takes 0 inputs", d.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void AD1003_five_inputs()
    {
        Diagnostic d = AssertSingle("AD1003", """
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static double [|F|](double a, double b, double c, double d, double e) => a;
            }
            """);
        Assert.Contains("takes 5 inputs", d.GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public static double F(double a, float [|b|]) => a;")]
    [InlineData("public static double F(double a, ref double [|b|]) => a;")]
    [InlineData("public static double F(double a, in double [|b|]) => a;")]
    [InlineData("public static [|float|] F(double a, double b) => 0f;")]
    public void AD1004_input_or_return_not_double_by_value(string function) => AssertSingle("AD1004", $$"""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable] {{function}}
            [Derivative(nameof(F), "a")] static double Fa() => 1.0;
            [Derivative(nameof(F), "b")] static double Fb() => 1.0;
        }
        """);

    [Theory]
    [InlineData("public static double F(double a, float [|b|]) => a * b;")]
    [InlineData("public static double F(double a, ref double [|b|]) => a * b;")]
    [InlineData("public static double F(double a, in double [|b|]) => a * b;")]
    [InlineData("public static [|float|] F(double a, double b) => (float)(a * b);")]
    public void AD1004_is_the_only_error_of_a_function_without_rules(string function) =>
        // Nothing is derived from a function whose signature is not differentiable; the missing rules were also reported,
        // as AD1005 at each input (the derivation was not attempted) or AD1015 at the float body.
        AssertSingle("AD1004", $$"""
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] {{function}}
            }
            """);

    [Fact]
    public void AD1014_is_the_only_error_of_a_generic_function_without_rules() => AssertSingle("AD1014", """
        using AutoDiff;
        public static partial class C
        {
            [Differentiable] public static double [|F|]<T>(double x) => x;
        }
        """);

    [Theory]
    [InlineData("[Differentiable] public static partial double F(double x);\n    public static partial double F(double x) => x * x;")]
    [InlineData("public static partial double F(double x);\n    [Differentiable] public static partial double F(double x) => x * x;")]
    public void A_partial_function_whose_implementing_declaration_can_be_derived_has_no_error(string declarations)
    {
        GeneratorResult result = GeneratorHarness.Run(
            "using AutoDiff;\npublic static partial class C\n{\n    " + declarations + "\n}\n");

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["C.F.g.cs"], result.HintNames);
        Assert.DoesNotContain(GeneratorHarness.ErrorsAndWarnings(result.Output), d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void A_partial_function_without_implementing_declaration_is_left_to_the_compiler()
    {
        // CS8795 says what is wrong; an AD1005 beside it ("no [Derivative]") was a second error for the same problem.
        GeneratorResult result = GeneratorHarness.Run("""
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static partial double F(double x);
            }
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Sources);
        Assert.Contains(result.Output.GetDiagnostics(), d => d.Id == "CS8795");
    }

    [Fact]
    public void AD1005_for_a_partial_function_whose_implementing_declaration_names_the_inputs_differently()
    {
        // The generated code names the inputs as the attributed declaration does; a body that names them otherwise is not
        // read (no error from the compiler), so an input without a rule has nothing to be derived from.
        Diagnostic d = AssertSingle("AD1005", """
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static partial double F(double [|x|]);
                public static partial double F(double y) => y * y;
            }
            """);
        Assert.Contains("[Derivative(nameof(F))]", d.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void AD1005_missing_derivative_of_a_body_that_cannot_be_analysed_is_reported_at_the_input()
    {
        Diagnostic d = AssertSingle("AD1005", """
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static extern double F(double a, double [|b|]);
                [Derivative(nameof(F), "a")] static double Fa(double b) => b;
            }
            """);
        Assert.Contains("[Derivative(nameof(F), \"b\")]", d.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void AD1015_a_non_differentiable_call_in_a_body_without_derivative_is_reported_at_the_call()
    {
        Diagnostic d = AssertSingle("AD1015", """
            using System;
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static double F(double a, double b) => a * [|Math.Floor(b)|];
                [Derivative(nameof(F), "a")] static double Fa(double b) => Math.Floor(b);
            }
            """);
        Assert.Contains("'Math.Floor'", d.GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains("declare [Derivative(nameof(F), \"b\")] explicitly", d.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void AD1015_a_call_to_a_method_that_is_not_differentiable_is_reported_at_the_call()
    {
        Diagnostic d = AssertSingle("AD1015", """
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static double F(double x) => 2.0 * [|Helper(x + 1.0)|];
                static double Helper(double x) => x;
            }
            """);
        Assert.Contains("'C.Helper'", d.GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains("[Derivative(nameof(F))]", d.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void AD1015_an_integer_value_that_is_not_a_constant_is_reported_at_the_value_with_its_type()
    {
        // Integer constants, and conditionals choosing among them, are read as the doubles C# converts them to; other
        // integer values are not differentiable, and the error says which value and why (before, it named the whole
        // conditional: "the expression 'x > 1 ? 1 : Math.Sign(x)' is not supported").
        Diagnostic d = AssertSingle("AD1015", """
            using System;
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static double F(double x) => x * (x > 1 ? 1 : [|Math.Sign(x)|]);
            }
            """);
        Assert.Contains("the 'int' value 'Math.Sign(x)' is not supported", d.GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains("only constants and conditionals choosing among constants", d.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void AD1015_a_loop_is_reported_at_the_statement() => AssertSingle("AD1015", """
        using AutoDiff;
        public static partial class C
        {
            [Differentiable] public static double F(double x)
            {
                double y = x;
                [|for (int i = 0; i < 3; i++) { y = y * x; }|]
                return y;
            }
        }
        """);

    [Fact]
    public void No_AD1015_when_every_input_declares_its_derivative() => Assert.Empty(GeneratorHarness.Run("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable] public static double F(double x) => Math.Floor(x);
            [Derivative(nameof(F))] static double FD() => 0.0;
        }
        """).Diagnostics);

    [Fact]
    public void AD1006_derivative_of_an_unknown_function() => AssertSingle("AD1006", """
        using AutoDiff;
        public static partial class C
        {
            [Derivative([|"Nope"|])] static double D(double x) => 1.0;
        }
        """);

    [Fact]
    public void AD1006_derivative_of_a_function_in_another_class() => AssertSingle("AD1006", emitted: ["C.F.g.cs"], markup: """
        using AutoDiff;
        public static partial class C
        {
            [Differentiable] public static double F(double x) => x;
            [Derivative(nameof(F))] static double FD() => 1.0;
        }
        public static partial class Other
        {
            [Derivative([|"F"|])] static double FD() => 1.0;
        }
        """);

    [Fact]
    public void AD1007_withRespectTo_is_not_an_input()
    {
        Diagnostic d = AssertSingle("AD1007", """
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static double F(double a, double b) => a * b;
                [Derivative(nameof(F), "a")] static double Fa(double b) => b;
                [Derivative(nameof(F), "b")] static double Fb(double a) => a;
                [Derivative(nameof(F), [|"z"|])] static double Fz() => 0.0;
            }
            """);
        Assert.Contains("'a', 'b'", d.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void AD1007_withRespectTo_missing_for_two_inputs() => AssertSingle("AD1007", """
        using AutoDiff;
        public static partial class C
        {
            [Differentiable] public static double F(double a, double b) => a * b;
            [Derivative(nameof(F), "a")] static double Fa(double b) => b;
            [Derivative(nameof(F), "b")] static double Fb(double a) => a;
            [[|Derivative(nameof(F))|]] static double Fboth() => 0.0;
        }
        """);

    [Fact]
    public void AD1008_duplicate_derivative_is_reported_at_the_second() => AssertSingle("AD1008", """
        using AutoDiff;
        public static partial class C
        {
            [Differentiable] public static double F(double x) => x;
            [Derivative(nameof(F))] static double FD() => 1.0;
            [Derivative(nameof(F), "x")] static double [|FD2|]() => 1.0;
        }
        """);

    [Fact]
    public void AD1009_derivative_parameter_is_neither_input_nor_result() => AssertSingle("AD1009", """
        using AutoDiff;
        public static partial class C
        {
            [Differentiable] public static double F(double x) => x;
            [Derivative(nameof(F))] static double FD(double result, double [|z|]) => 1.0;
        }
        """);

    [Theory]
    [InlineData("[Derivative(nameof(F))] double [|FD|]() => 1.0;")]
    [InlineData("[Derivative(nameof(F))] static float [|FD|]() => 1.0f;")]
    [InlineData("[Derivative(nameof(F))] static double FD(ref double [|x|]) => 1.0;")]
    [InlineData("[Derivative(nameof(F))] static double FD(int [|x|]) => 1.0;")]
    [InlineData("[Derivative(nameof(F))] static double [|FD|]<T>() => 1.0;")]
    public void AD1010_derivative_signature(string derivative) => AssertSingle("AD1010", $$"""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable] public static double F(double x) => x;
            {{derivative}}
        }
        """);

    [Fact]
    public void AD1011_overloaded_function_is_reported_at_the_second() => AssertSingle("AD1011", """
        using AutoDiff;
        public static partial class C
        {
            [Differentiable] public static double F(double x) => x;
            [Differentiable] public static double [|F|](double a, double b) => a;
            [Derivative(nameof(F))] static double FD() => 1.0;
        }
        """);

    [Theory]
    [InlineData("""[Differentiable([|Operator = "%"|])] public static double F(double a, double b) => a % b;""")]
    [InlineData("""[Differentiable([|Operator = "*"|])] private static double F(double a, double b) => a * b;""")]
    public void AD1012_invalid_operator_in_the_library(string function) => AssertSingle("AD1012", $$"""
        namespace AutoDiff;
        public static partial class Ops
        {
            {{function}}
            [Derivative(nameof(F), "a")] static double Fa() => 1.0;
            [Derivative(nameof(F), "b")] static double Fb() => 1.0;
        }
        """, library: true);

    [Fact]
    public void AD1012_binary_operator_on_a_unary_function() => AssertSingle("AD1012", """
        namespace AutoDiff;
        public static partial class Ops
        {
            [Differentiable([|Operator = "+"|])] public static double F(double x) => x;
            [Derivative(nameof(F))] static double FD() => 1.0;
        }
        """, library: true);

    [Fact]
    public void AD1012_operator_defined_twice_is_reported_at_the_second() => AssertSingle("AD1012", emitted: ["AutoDiff.Ops.Add.g.cs"], markup: """
        namespace AutoDiff;
        public static partial class Ops
        {
            [Differentiable(Operator = "+")] public static double Add(double a, double b) => a + b;
            [Derivative(nameof(Add), "a")] static double AddA() => 1.0;
            [Derivative(nameof(Add), "b")] static double AddB() => 1.0;
            [Differentiable([|Operator = "+"|])] public static double Plus(double a, double b) => a + b;
            [Derivative(nameof(Plus), "a")] static double PlusA() => 1.0;
            [Derivative(nameof(Plus), "b")] static double PlusB() => 1.0;
        }
        """, library: true);

    [Fact]
    public void AD1012_operator_outside_the_AutoDiff_library()
    {
        Diagnostic d = AssertSingle("AD1012", """
            using AutoDiff;
            namespace User;
            public static partial class C
            {
                [Differentiable([|Operator = "+"|])] public static double Plus(double a, double b) => a + b;
                [Derivative(nameof(Plus), "a")] static double PlusA() => 1.0;
                [Derivative(nameof(Plus), "b")] static double PlusB() => 1.0;
            }
            """);
        Assert.Contains("only the AutoDiff library", d.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void AD1013_input_named_result() => AssertSingle("AD1013", """
        using AutoDiff;
        public static partial class C
        {
            [Differentiable] public static double F(double [|result|]) => result;
            [Derivative(nameof(F))] static double FD() => 1.0;
        }
        """);

    [Fact]
    public void AD1014_generic_function() => AssertSingle("AD1014", """
        using AutoDiff;
        public static partial class C
        {
            [Differentiable] public static double [|F|]<T>(double x) => x;
            [Derivative(nameof(F))] static double FD() => 1.0;
        }
        """);

    [Fact]
    public void Every_diagnostic_is_an_error_in_the_generator_category()
    {
        var descriptors = typeof(Diagnostics)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToArray();

        Assert.Equal(Enumerable.Range(1001, 16).Select(i => "AD" + i), descriptors.Select(d => d.Id).Order());
        Assert.All(descriptors, d =>
        {
            Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity);
            Assert.Equal("AutoDiff.Generator", d.Category);
        });
    }

    [Fact]
    public void A_function_with_an_error_emits_nothing_while_its_valid_neighbours_still_emit()
    {
        GeneratorResult result = GeneratorHarness.Run("""
            using AutoDiff;
            internal static partial class C
            {
                [Differentiable] public static double Broken(double a, double b) => System.Math.Floor(a) * b;
                [Derivative(nameof(Broken), "a")] static double BrokenA(double b) => b;

                [Differentiable] public static double Fine(double x) => x;
                [Derivative(nameof(Fine))] static double FineD() => 1.0;
            }
            """);

        Assert.Equal("AD1015", Assert.Single(result.Diagnostics).Id);
        Assert.Equal(["C.Fine.g.cs"], result.HintNames);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));
    }

    [Fact]
    public void Functions_whose_names_differ_only_in_case_get_files_of_their_own()
    {
        // Hint names are compared ignoring case: Sq and SQ (and namespaces Models and models) crashed the generator
        // (CS8785), and every function of the project lost its overloads (helper-51).
        GeneratorResult result = GeneratorHarness.Run(
            """
            using AutoDiff;
            namespace Models
            {
                internal static partial class C
                {
                    [Differentiable] public static double Sq(double x) => x * x;
                    [Differentiable] public static double SQ(double x) => 2.0 * x * x;
                    [Differentiable] public static double Cube(double x) => x * x * x;
                    public static Var Use(Var x) => Sq(x) + SQ(x) + Cube(x);
                }
            }
            namespace models
            {
                internal static partial class C
                {
                    [Differentiable] public static double Sq(double x) => 3.0 * x * x;
                    public static Var Use(Var x) => Sq(x);
                }
            }
            """);

        Assert.Empty(result.Diagnostics);
        var errors = GeneratorHarness.ErrorsAndWarnings(result.Output);
        Assert.True(errors.IsEmpty, string.Join("\n", errors));
        Assert.Equal(4, result.HintNames.Count());
        Assert.Equal(4, result.HintNames.Distinct(System.StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains("Models.C.Cube.g.cs", result.HintNames);
    }

    [Theory]
    [InlineData(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp12, "12.0")]
    [InlineData(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp10, "10.0")]
    public void AD1016_a_project_older_than_CSharp_13_is_told_so_instead_of_getting_code_that_does_not_compile(
        Microsoft.CodeAnalysis.CSharp.LanguageVersion version, string shown)
    {
        // Below C# 13 the generated overloads failed with CS1501 (params spans), CS9058 (collection expressions) or
        // CS8706 (static abstract members), and nothing said why (helper-51).
        var options = new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(version, DocumentationMode.Diagnose);
        Compilation compilation = GeneratorHarness.Compile(["""
            using AutoDiff;
            internal static partial class C
            {
                [Differentiable] public static double Sq(double x) => x * x;
                [Differentiable] public static double Three(double x, double y, double z) => x * y * z;
            }
            """]);
        foreach (var tree in compilation.SyntaxTrees.ToArray())
        {
            compilation = compilation.ReplaceSyntaxTree(tree, tree.WithRootAndOptions(tree.GetRoot(), options));
        }

        var driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create([new AutoDiffGenerator().AsSourceGenerator()], parseOptions: options);
        var run = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.Empty(run.GeneratedSources);
        Assert.Equal(["AD1016", "AD1016"], run.Diagnostics.Select(d => d.Id));
        Assert.All(run.Diagnostics, d => Assert.Contains("C# " + shown, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains(run.Diagnostics, d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("'Three'"));
    }

    [Fact]
    public void A_function_whose_derivative_is_invalid_emits_nothing()
    {
        GeneratorResult result = GeneratorHarness.Run("""
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static double F(double x) => x;
                [Derivative(nameof(F))] static double FD(ref double x) => 1.0;
            }
            """);

        Assert.Equal("AD1010", Assert.Single(result.Diagnostics).Id);
        Assert.Empty(result.Sources);
    }

    // F's vector bodies call G through G's kernel struct, which is not emitted while G has an error: F then keeps its
    // scalar loops (which call G itself), and G's error is the build's only one, not also a CS0246 in F's generated file.
    [Theory]
    [InlineData("AD1015", "[Differentiable] public static double G(double x) => [|Math.Floor(x)|];")]
    [InlineData("AD1013", "[Differentiable] public static double G(double [|result|]) => 2.0 * result;")]
    [InlineData("AD1005", "[Differentiable] public static extern double G(double [|x|]);")]
    [InlineData("AD1011", "[Differentiable] public static double G(double x) => x; [Differentiable] public static double [|G|](double x, double y) => x * y;")]
    public void A_function_calling_a_declared_function_that_emits_nothing_still_compiles(string id, string callee)
    {
        string markup = $$"""
            using System;
            using AutoDiff;
            public static partial class C
            {
                {{callee}}
                [Differentiable] public static double F(double x, double y) => G(x) * y + Math.Exp(y);
                [Derivative(nameof(F), "x")] static double Fx(double x, double y) => G(x) * y + Math.Log(x * x + 1.0);
                [Derivative(nameof(F), "y")] static double Fy(double x, double y, double result) => G(x) + Math.Exp(y);
            }
            """;
        AssertSingle(id, markup, emitted: ["C.F.g.cs"]);
        GeneratorResult result = GeneratorHarness.Run(MarkedSource.Parse(markup).Text);
        Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    // The same F beside a G without errors: F's vector bodies call G's kernel.
    [Fact]
    public void A_function_calling_a_declared_function_that_emits_calls_its_kernel()
    {
        GeneratorResult result = GeneratorHarness.Run("""
            using System;
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static double G(double x) => 2.0 * x;
                [Differentiable] public static double F(double x, double y) => G(x) * y + Math.Exp(y);
                [Derivative(nameof(F), "x")] static double Fx(double x, double y) => G(x) * y + Math.Log(x * x + 1.0);
                [Derivative(nameof(F), "y")] static double Fy(double x, double y, double result) => G(x) + Math.Exp(y);
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        string f = result.Sources.Single(s => s.HintName == "C.F.g.cs").SourceText.ToString();
        Assert.Contains("Value<__GKernel>", f, System.StringComparison.Ordinal);
    }

    private static Diagnostic AssertSingle(string id, string markup, bool library = false, string[]? emitted = null)
    {
        MarkedSource source = MarkedSource.Parse(markup);
        GeneratorResult result = library
            ? GeneratorHarness.Run(GeneratorHarness.Compile(GeneratorHarness.WithLibrary(source.Text), referenceRuntime: false))
            : GeneratorHarness.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        Assert.Equal(library ? "Source1.cs" : "Source0.cs", span.Path);
        Assert.Equal(source.Start, span.StartLinePosition);
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);

        // An erroneous function must not leave generated code behind (which could itself fail to compile).
        Assert.Equal(emitted ?? [], result.HintNames);
        return diagnostic;
    }
}
