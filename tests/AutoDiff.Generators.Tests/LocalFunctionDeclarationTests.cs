using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>
/// <c>[Differentiable]</c> and <c>[Derivative]</c> on local functions, which C# allows (both attributes target methods).
/// The generator read only method declarations, so both were ignored without a word: a local function marked
/// <c>[Differentiable]</c> got no overloads and no error, and a local rule was dropped while its function took the rule
/// derived from the body instead (Abs′(0) = 0 where the declared rule said 1). Now a local function is AD1002, a local rule
/// AD1010, each at the local function's name.
/// </summary>
public class LocalFunctionDeclarationTests
{
    [Fact]
    public void A_local_differentiable_function_is_AD1002() => AssertSingle("AD1002", """
        using AutoDiff;
        public static partial class C
        {
            public static double Host(double v)
            {
                [Differentiable] static double [|Local|](double x) => x * x;
                return Local(v);
            }
        }
        """, "C.Host(double)");

    [Fact]
    public void A_local_rule_is_AD1010_and_its_function_emits_nothing() => AssertSingle("AD1010", """
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable] public static double F(double x) => Math.Abs(x);

            public static double Host(double v)
            {
                [Derivative(nameof(F))] static double [|FD|](double x) => x >= 0 ? 1.0 : -1.0;
                return FD(v);
            }
        }
        """, "local function");

    private static void AssertSingle(string id, string markup, string inMessage)
    {
        var source = MarkedSource.Parse(markup);
        GeneratorResult result = GeneratorHarness.Run(source.Text);

        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Contains(inMessage, diagnostic.GetMessage());
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.Empty(result.Sources);
    }
}
