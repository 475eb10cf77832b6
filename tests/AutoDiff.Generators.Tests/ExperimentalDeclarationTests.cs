using System;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>
/// <c>[Experimental]</c> on a declared function or rule: a call of an experimental method is an error (with the
/// attribute's own id) unless the caller is experimental too, so the generated overloads, which call the function and its
/// rules, did not compile. As with <c>[Obsolete]</c> (<see cref="ObsoleteDeclarationTests"/>), a function's attribute is
/// copied onto the generated members that call it, and an experimental rule is AD1010 at the rule.
/// </summary>
public class ExperimentalDeclarationTests
{
    private const string Source = """
        #pragma warning disable CS1591
        using System;
        using System.Diagnostics.CodeAnalysis;
        using AutoDiff;

        namespace Models.Preview;

        public static partial class Preview
        {
            [Experimental("PREVIEW001")]
            [Differentiable] public static double Wave(double x) => Math.Sin(x) * x;

            [Experimental("PREVIEW002", UrlFormat = "https://example.invalid/{0}")]
            [Differentiable] public static double Scaled(double a, double b) => a * Math.Exp(b);
        }
        """;

    [Fact]
    public void An_experimental_function_compiles_and_its_overloads_are_experimental_too()
    {
        GeneratorResult result = GeneratorHarness.Run(Source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));

        Type type = GeneratorHarness.CompileAndLoad(Source, "ExperimentalFunctions", "Models.Preview.Preview");
        Assert.Empty(DeclaredOpSweep.Run(type).Failures);
        Assert.Equal("PREVIEW001", type.GetMethod("Wave", [typeof(Var)])!.GetCustomAttribute<ExperimentalAttribute>()!.DiagnosticId);
        var scaled = type.GetMethod("Scaled", [typeof(double), typeof(Tensor)])!.GetCustomAttribute<ExperimentalAttribute>()!;
        Assert.Equal("PREVIEW002", scaled.DiagnosticId);
        Assert.Equal("https://example.invalid/{0}", scaled.UrlFormat);
    }

    [Fact]
    public void An_experimental_rule_is_AD1010_at_the_rule()
    {
        var source = MarkedSource.Parse("""
            using System.Diagnostics.CodeAnalysis;
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static double F(double x) => x * x;
                [Experimental("PREVIEW003")] [Derivative(nameof(F))] static double [|FD|](double x) => 2.0 * x;
            }
            """);
        GeneratorResult result = GeneratorHarness.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("AD1010", diagnostic.Id);
        Assert.Contains("[Experimental]", diagnostic.GetMessage());
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.Empty(result.Sources);
    }
}
