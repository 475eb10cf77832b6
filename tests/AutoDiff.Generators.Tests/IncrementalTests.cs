using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>The pipeline's caching: unrelated edits re-run nothing, and an edit to one function re-emits only it.</summary>
public class IncrementalTests
{
    private const string Exp2File = """
        using System;
        using AutoDiff;

        public static partial class Functions
        {
            [Differentiable]
            public static double Exp2(double x) => Math.Pow(2.0, x);

            [Derivative(nameof(Exp2))]
            private static double Exp2Derivative(double result) => result * Math.Log(2.0);
        }
        """;

    private const string HypotFile = """
        using System;
        using AutoDiff;

        public static partial class Functions
        {
            [Differentiable]
            public static double Hypot(double a, double b) => Math.Sqrt(a * a + b * b);

            [Derivative(nameof(Hypot), "a")]
            private static double HypotDa(double a, double result) => a / result;

            [Derivative(nameof(Hypot), "b")]
            private static double HypotDb(double b, double result) => b / result;
        }
        """;

    private static readonly string[] s_stepNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    [Fact]
    public void Adding_an_unrelated_file_reruns_nothing()
    {
        Compilation compilation = GeneratorHarness.Compile([Exp2File, HypotFile]);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        driver = driver.RunGenerators(compilation.AddSyntaxTrees(Parse("public static class Unrelated { public static int One() => 1; }")));

        AssertNothingReran(driver.GetRunResult().Results.Single());
    }

    [Fact]
    public void Editing_an_unrelated_file_reruns_nothing()
    {
        SyntaxTree unrelated = Parse("public static class Unrelated { public static int One() => 1; }");
        Compilation compilation = GeneratorHarness.Compile([Exp2File, HypotFile]).AddSyntaxTrees(unrelated);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(
            unrelated, Parse("public static class Unrelated { public static int Two() => 2; }")));

        AssertNothingReran(driver.GetRunResult().Results.Single());
    }

    [Fact]
    public void Editing_a_function_body_re_emits_nothing()
    {
        Compilation compilation = GeneratorHarness.Compile([Exp2File, HypotFile]);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        // The generated overloads only call the function. (The derivative below it moves, and its model carries
        // locations for diagnostics, and the function's model carries the derivation of its body, used only for inputs
        // without a rule, so the parse steps may report Modified; the bound specs, which hold no location of a valid
        // declaration and no unused derivation, must not change.)
        driver = driver.RunGenerators(Replace(compilation, 0, Exp2File.Replace("Math.Pow(2.0, x)", "Math.Pow(Math.E, x * Math.Log(2.0))", StringComparison.Ordinal)));

        AssertNothingReran(driver.GetRunResult().Results.Single(), TrackingNames.Specs, TrackingNames.DerivativeDiagnostics);
    }

    [Fact]
    public void Editing_one_functions_declaration_regenerates_only_that_function()
    {
        Compilation compilation = GeneratorHarness.Compile([Exp2File, HypotFile]);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        // The derivative now reads the input instead of the result: Exp2's binding, and so its code, changes.
        driver = driver.RunGenerators(Replace(compilation, 0, Exp2File.Replace(
            "Exp2Derivative(double result) => result * Math.Log(2.0)", "Exp2Derivative(double x) => Math.Pow(2.0, x) * Math.Log(2.0)", StringComparison.Ordinal)));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        var specs = result.TrackedSteps[TrackingNames.Specs].SelectMany(s => s.Outputs).ToArray();
        Assert.Equal(2, specs.Length);
        Assert.Equal(IncrementalStepRunReason.Modified, specs.Single(o => Name(o.Value) == "Exp2").Reason);
        Assert.Contains(specs.Single(o => Name(o.Value) == "Hypot").Reason, s_notRerun);

        // Of the source outputs, only Exp2's ran again.
        var outputs = result.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs).ToArray();
        Assert.Single(outputs, o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
        Assert.Contains("Exp2Derivative(x.Value)", result.GeneratedSources.Single(s => s.HintName == "Functions.Exp2.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_the_implementing_declaration_of_a_partial_function_in_another_file_regenerates_it()
    {
        // The body of a partial function is read from its implementing declaration, wherever it is; an edit there must
        // reach the derived rule although the attributed declaration's file did not change.
        const string declaration = "using AutoDiff; public static partial class Functions { [Differentiable] public static partial double Cube(double x); }";
        const string implementation = "public static partial class Functions { public static partial double Cube(double x) => x * x * x; }";
        Compilation compilation = GeneratorHarness.Compile([declaration, implementation]);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        string before = driver.GetRunResult().GeneratedTrees.Single().ToString();

        driver = driver.RunGenerators(Replace(compilation, 1, implementation.Replace("x * x * x", "3.0 * x", StringComparison.Ordinal)));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        Assert.Empty(result.Diagnostics);
        Assert.Equal(IncrementalStepRunReason.Modified, result.TrackedSteps[TrackingNames.Specs].SelectMany(s => s.Outputs).Single().Reason);
        string after = result.GeneratedSources.Single().SourceText.ToString();
        Assert.NotEqual(before, after);
        Assert.Contains("private static double __Cube_d_x(double x)\n    {\n        return 3.0;\n    }", after, StringComparison.Ordinal);
    }

    [Fact]
    public void No_pipeline_model_holds_symbols_syntax_locations_or_compilations()
    {
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true)
            .RunGenerators(GeneratorHarness.Compile([Exp2File, HypotFile, "using AutoDiff; static partial class Functions { [Derivative(\"Nope\")] static double D() => 1.0; }"]));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        foreach (string name in s_stepNames)
        {
            foreach (var output in result.TrackedSteps[name].SelectMany(s => s.Outputs))
            {
                AssertNoRoslynObjects(output.Value, name, new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    private static readonly IncrementalStepRunReason[] s_notRerun = [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];

    private static void AssertNothingReran(GeneratorRunResult result, params string[] stepNames)
    {
        foreach (string name in stepNames.Length == 0 ? s_stepNames : stepNames)
        {
            Assert.True(result.TrackedSteps.ContainsKey(name), $"Step {name} was not tracked.");
            Assert.All(
                result.TrackedSteps[name].SelectMany(s => s.Outputs),
                output => Assert.True(s_notRerun.Contains(output.Reason), $"{name}: {output.Reason}"));
        }

        Assert.All(
            result.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs),
            output => Assert.True(s_notRerun.Contains(output.Reason), $"source output: {output.Reason}"));
    }

    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null or string or DiagnosticDescriptor || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(
            value is ISymbol or SyntaxNode or SyntaxTree or SemanticModel or Compilation or Location,
            $"{path} holds a {value.GetType().Name}, which would keep the compilation alive and defeat caching.");

        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                AssertNoRoslynObjects(item, $"{path}[{i++}]", seen);
            }

            return;
        }

        foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0)
            {
                AssertNoRoslynObjects(property.GetValue(value), $"{path}.{property.Name}", seen);
            }
        }
    }

    private static string? Name(object value) => (value as Model.FunctionSpec)?.Function.Name;

    private static SyntaxTree Parse(string source) => CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions);

    private static Compilation Replace(Compilation compilation, int index, string source)
    {
        SyntaxTree old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: old.FilePath));
    }
}
