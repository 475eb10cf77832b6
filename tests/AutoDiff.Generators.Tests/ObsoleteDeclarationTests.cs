using System;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>
/// <c>[Obsolete]</c> on a declared function or rule. The generated overloads and kernels call the function and its rules,
/// and a call of an obsolete method warns (CS0618) or, with <c>error: true</c>, does not compile (CS0619), in generated
/// code its author cannot edit: deprecating a function broke the build. A function's <c>[Obsolete]</c> is now copied onto
/// the generated members that call it (a call from an obsolete member is allowed), so its overloads also tell their
/// callers what the function tells its own; an obsolete rule is AD1010 at the rule, since copying its attribute would
/// make the function's overloads obsolete.
/// </summary>
public class ObsoleteDeclarationTests
{
    private const string Source = """
        #pragma warning disable CS1591
        using System;
        using AutoDiff;

        namespace Models.Deprecated;

        public static partial class Deprecated
        {
            [Obsolete("use Cube")]
            [Differentiable] public static double Square(double x) => x * x;

            [Obsolete("gone", true)]
            [Differentiable] public static double Product(double a, double b) => a * Math.Exp(b);
            [Derivative(nameof(Product), "a")] private static double ProductDa(double b) => Math.Exp(b);

            [Obsolete("gone", error: true, DiagnosticId = "DEP1")]
            [Differentiable] public static double Sum3(double x, double y, double z) => x * y + z;
        }
        """;

    [Fact]
    public void An_obsolete_function_compiles_and_its_overloads_are_obsolete_too()
    {
        GeneratorResult result = GeneratorHarness.Run(Source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));

        Type type = GeneratorHarness.CompileAndLoad(Source, "ObsoleteFunctions", "Models.Deprecated.Deprecated");
        DeclaredOpSweepReport report = DeclaredOpSweep.Run(type);
        Assert.Empty(report.Failures);
        Assert.Equal(3, report.TensorKernelsChecked.Count);

        var square = type.GetMethod("Square", [typeof(Var)])!.GetCustomAttribute<ObsoleteAttribute>()!;
        Assert.Equal("use Cube", square.Message);
        Assert.False(square.IsError);
        var product = type.GetMethod("Product", [typeof(Tensor), typeof(double)])!.GetCustomAttribute<ObsoleteAttribute>()!;
        Assert.True(product.IsError);
        Assert.Equal("DEP1", type.GetMethod("Sum3", [typeof(Var), typeof(double), typeof(Var)])!.GetCustomAttribute<ObsoleteAttribute>()!.DiagnosticId);
    }

    [Theory]
    [InlineData("[Obsolete(\"old\")]")]
    [InlineData("[Obsolete(\"old\", true)]")]
    public void An_obsolete_rule_is_AD1010_at_the_rule(string obsolete)
    {
        var source = MarkedSource.Parse($$"""
            using System;
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static double F(double x) => x * x;
                {{obsolete}} [Derivative(nameof(F))] static double [|FD|](double x) => 2.0 * x;
            }
            """);
        GeneratorResult result = GeneratorHarness.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("AD1010", diagnostic.Id);
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.Empty(result.Sources);
    }
}
