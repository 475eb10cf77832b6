using System;
using System.Reflection;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>
/// An input named like a member of the generated second-order rule struct. The struct of an overload that takes some
/// inputs as doubles kept each in a field named as the input, beside its method <c>PartialTangents</c>: an input named
/// <c>PartialTangents</c> gave the struct two members of one name (CS0102), and the generated code did not compile.
/// </summary>
public class InputNamedLikeRuleMemberTests
{
    private const string Source = """
        #pragma warning disable CS1591
        using System;
        using AutoDiff;

        namespace Models.Names;

        public static partial class Names
        {
            [Differentiable] public static double Scale(double PartialTangents, double y) => PartialTangents * PartialTangents * y * y;

            [Differentiable] public static double Triple(double x, double PartialTangents, double __operand0) =>
                x * Math.Exp(PartialTangents) * __operand0;
        }
        """;

    private static readonly Lazy<Type> s_type = new(() => GeneratorHarness.CompileAndLoad(Source, "RuleMemberNames", "Models.Names.Names"));

    [Fact]
    public void It_compiles_and_passes_the_sweep()
    {
        GeneratorResult result = GeneratorHarness.Run(Source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));
        Assert.Empty(DeclaredOpSweep.Run(s_type.Value).Failures);
    }

    [Fact]
    public void Hessians_through_the_overloads_with_constant_inputs_read_the_constants()
    {
        var scale = s_type.Value.GetMethod("Scale", [typeof(double), typeof(Var)])!;
        // ∂²(p²y²)/∂y² = 2p² at p = 3.
        double[,] h = AD.Hessian(v => (Var)scale.Invoke(null, [3.0, v[0]])!, [1.5]);
        Assert.Equal(18.0, h[0, 0], 12);

        var triple = s_type.Value.GetMethod("Triple", [typeof(Var), typeof(double), typeof(Var)])!;
        // x·e^p·w with p = 0.5 constant: ∂²/∂x∂w = e^p, the diagonal 0.
        double[,] t = AD.Hessian(v => (Var)triple.Invoke(null, [v[0], 0.5, v[1]])!, [1.2, -0.7]);
        Assert.Equal(Math.Exp(0.5), t[0, 1], 12);
        Assert.Equal(Math.Exp(0.5), t[1, 0], 12);
        Assert.Equal(0.0, t[0, 0], 12);
        Assert.Equal(0.0, t[1, 1], 12);
    }
}
