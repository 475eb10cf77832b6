using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>
/// A public kernel's doc comment names its function, and a cref on a type declaration is bound with that type's own
/// members in scope: a function named like a member of the kernel struct (Name, Value, Derivative, Curvature) must still
/// be named through its class, or the generated code warns (CS1574, an error under TreatWarningsAsErrors) or links to
/// the struct's own member (found by a review of the public kernels).
/// </summary>
public class PublicKernelNameTests
{
    [Theory]
    [InlineData("Softish")] // control
    [InlineData("Name")]
    [InlineData("Curvature")]
    [InlineData("Derivative")]
    [InlineData("Value")]
    public void A_public_function_named_like_a_kernel_member_gets_a_kernel_whose_doc_names_the_function(string name)
    {
        string source = $$"""
            using AutoDiff;

            namespace Models.Names;

            /// <summary>Functions.</summary>
            public static partial class Funcs
            {
                /// <summary>A function.</summary>
                [Differentiable]
                public static double {{name}}(double x) => x * x + 1.0;
            }
            """;
        GeneratorResult result = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));

        // The kernel's <see cref> must name Funcs.<name>(double), not a member of the kernel struct.
        SyntaxTree tree = result.Output.SyntaxTrees.Single(t => t.ToString().Contains($"struct __{name}Kernel"));
        SemanticModel model = result.Output.GetSemanticModel(tree);
        var cref = tree.GetRoot().DescendantNodes(descendIntoTrivia: true).OfType<NameMemberCrefSyntax>()
            .Single(c => c.Ancestors().OfType<StructDeclarationSyntax>().Any());
        ISymbol? symbol = model.GetSymbolInfo(cref).Symbol;
        Assert.NotNull(symbol);
        Assert.Equal("Funcs", symbol!.ContainingType.Name);
    }
}
