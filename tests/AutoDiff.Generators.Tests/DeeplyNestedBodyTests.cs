using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>
/// A body nested deeper than the generator's recursive walks survive: a sum of a few thousand terms, which the compiler
/// itself binds and compiles (it walks left-deep operator chains without recursion). The symbolic differentiator and the
/// vector translator recursed once per term, and the stack overflowed — a crash no handler catches, which took the
/// compiler process (or the IDE's analyzer host) down. Now the differentiator reports AD1015 at the expression it could not
/// descend into, and the translator leaves the body without vector form; with declared rules the function is emitted and
/// runs.
/// </summary>
public class DeeplyNestedBodyTests
{
    private const int Terms = 6000;

    // A left-deep sum x·0.5 + x·1.5 + …: Σ (k + ½)·x.
    private static readonly string Sum = string.Join(" + ", Enumerable.Range(0, Terms).Select(k => $"x * {k}.5"));

    private static readonly double Slope = Enumerable.Range(0, Terms).Sum(k => k + 0.5);

    // The generator on a thread with a 1 MB stack, as compiler threads have on Windows, so the depth that used to overflow
    // does not depend on the test host's thread.
    private static T OnSmallStack<T>(Func<T> run)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = run();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, 1024 * 1024);
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException("the generator run failed", failure);
    }

    [Fact]
    public void A_body_too_deep_to_differentiate_is_AD1015_not_a_crash()
    {
        string source = $$"""
            using System;
            using AutoDiff;
            public static partial class C
            {
                [Differentiable] public static double F(double x) => {{Sum}};
            }
            """;
        GeneratorResult result = OnSmallStack(() => GeneratorHarness.Run(source));

        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("AD1015", diagnostic.Id);
        Assert.Contains("nested too deeply", diagnostic.GetMessage());
        Assert.True(source.IndexOf("x * 0.5", StringComparison.Ordinal) <= diagnostic.Location.SourceSpan.Start);
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void A_body_too_deep_for_a_vector_form_with_a_declared_rule_is_emitted_and_runs()
    {
        string source = $$"""
            #pragma warning disable CS1591
            using System;
            using AutoDiff;

            namespace Models.Deep;

            public static partial class Deep
            {
                [Differentiable] public static double F(double x) => {{Sum}};
                [Derivative(nameof(F))] private static double FD() => {{Slope}}.0;
            }
            """;
        GeneratorResult result = OnSmallStack(() => GeneratorHarness.Run(source));
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));

        Type type = GeneratorHarness.CompileAndLoad(source, "DeepFunctions", "Models.Deep.Deep");
        var f = type.GetMethod("F", [typeof(Var)])!;
        using (Tape.Scope())
        {
            var x = Var.Leaf(2.0);
            var y = (Var)f.Invoke(null, [x])!;
            y.Backward();
            Assert.Equal(Slope, x.Grad);
        }
    }
}
