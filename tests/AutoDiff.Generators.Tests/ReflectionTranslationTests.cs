using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>
/// <see cref="VectorTranslator.TranslateReflection"/>: a one-input body at x and at −x side by side, with what the two
/// share written once, which is what lets a compiled trace compute LogSigmoid(z) and LogSigmoid(−z) from one exponential.
/// </summary>
public class ReflectionTranslationTests
{
    private const string EvenSource = """
        using System;
        using AutoDiff;

        public static partial class Even
        {
            [Differentiable]
            public static double SoftplusLike(double x)
            {
                double e = Math.Exp(-Math.Abs(x));
                double twice = 2.0 * x;
                double l = Math.Log(1.0 + e);
                return Math.Max(x, 0.0) + l + 0.0 * twice;
            }

            [Differentiable]
            public static double Mirrored(double x) => -SoftplusLike(-x);

            [Differentiable]
            public static double Odd(double x) => x * x * x;

            [Derivative(nameof(SoftplusLike))]
            private static double SoftplusLikeDerivative(double x, double result) => (x >= 0.0 ? 1.0 : Math.Exp(-Math.Abs(x))) * result;
        }
        """;

    private static string? Reflection(string name)
    {
        Compilation compilation = GeneratorHarness.Compile([EvenSource]);
        IMethodSymbol method = compilation.GetTypeByMetadataName("Even")!.GetMembers(name).OfType<IMethodSymbol>().Single();
        SemanticModel semanticModel = compilation.GetSemanticModel(method.DeclaringSyntaxReferences[0].SyntaxTree);
        return VectorTranslator.TranslateReflection(method, semanticModel, CancellationToken.None);
    }

    [Fact]
    public void A_reflection_computes_once_what_the_body_at_x_and_at_minus_x_share()
    {
        // e and l read x only through |x|: one local for both; twice reads x itself: a second local at −x.
        Assert.Equal(
            string.Join("\n",
                "var __e = $C$Exp((-__magnitude));",
                "var __twice = ($V$.Create(2.0) * x);",
                "var __l = $C$Log(($V$.Create(1.0) + __e));",
                "var __twice_minus = ($V$.Create(2.0) * (-x));",
                "__atX = (($V$.Max(x, $V$.Create(0.0)) + __l) + ($V$.Create(0.0) * __twice));",
                "__atMinusX = (($V$.Max((-x), $V$.Create(0.0)) + __l) + ($V$.Create(0.0) * __twice_minus));"),
            Reflection("SoftplusLike"));

        // A declared function of −x: called once for both, its results read in turn (f(x) = −g(−x), f(−x) = −g(x)).
        Assert.Equal(
            string.Join("\n",
                "global::AutoDiff.KernelVectors.ValueAndReflection<__SoftplusLikeKernel>((-x), __magnitude, out var __paired0, out var __paired0_minus);",
                "__atX = (-__paired0);",
                "__atMinusX = (-__paired0_minus);"),
            Reflection("Mirrored"));

        // A rule reads result at x and f(−x) at −x.
        Assert.Equal(
            string.Join("\n",
                "__atX = ($V$.ConditionalSelect($V$.GreaterThanOrEqual(x, $V$.Create(0.0)), $V$.Create(1.0), $C$Exp((-__magnitude))) * result);",
                "__atMinusX = ($V$.ConditionalSelect($V$.GreaterThanOrEqual((-x), $V$.Create(0.0)), $V$.Create(1.0), $C$Exp((-__magnitude))) * __reflectedResult);"),
            Reflection("SoftplusLikeDerivative"));

        // Nothing shared (x³ never reads |x|): no reflection, the pair would be two evaluations.
        Assert.Null(Reflection("Odd"));
    }

    [Fact]
    public void A_local_named_like_the_reflections_own_means_no_reflection_and_code_that_compiles()
    {
        // The reflection names its parameter __magnitude, its second copies __name_minus and its paired calls __paired0:
        // locals that would become those names (a very natural `magnitude`), or a parameter that could be one of them,
        // leave the function without a reflection.
        const string source = """
            using System;
            using AutoDiff;

            internal static partial class Clashing
            {
                [Differentiable]
                public static double Damped(double x)
                {
                    double magnitude = Math.Abs(x);
                    return x * Math.Exp(-magnitude);
                }

                [Derivative(nameof(Damped))]
                private static double DampedDerivative(double x)
                {
                    double magnitude = Math.Abs(x);
                    double e_minus = Math.Exp(-magnitude);
                    return (1.0 - magnitude) * e_minus;
                }

                [Differentiable]
                public static double Paired(double x)
                {
                    double paired0 = Damped(-x);
                    return paired0 + Math.Abs(x);
                }

                [Derivative(nameof(Paired))]
                private static double PairedDerivative(double x) => -Math.Abs(x);

                [Differentiable]
                public static double Prefixed(double __e_minus)
                {
                    double e = 2.0 * __e_minus;
                    return e + Math.Abs(__e_minus);
                }

                [Derivative(nameof(Prefixed))]
                private static double PrefixedDerivative(double __e_minus) => Math.Abs(__e_minus) + 2.0;
            }
            """;

        Compilation compilation = GeneratorHarness.Compile([source]);
        foreach (string name in new[] { "Damped", "DampedDerivative", "Paired", "Prefixed", "PrefixedDerivative" })
        {
            IMethodSymbol method = compilation.GetTypeByMetadataName("Clashing")!.GetMembers(name).OfType<IMethodSymbol>().Single();
            Assert.Null(VectorTranslator.TranslateReflection(method, compilation.GetSemanticModel(method.DeclaringSyntaxReferences[0].SyntaxTree), CancellationToken.None));
        }

        GeneratorResult result = GeneratorHarness.Run(compilation);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));
        Assert.DoesNotContain("HasReflection", string.Join("\n", result.Output.SyntaxTrees.Select(t => t.ToString())));
    }
}
