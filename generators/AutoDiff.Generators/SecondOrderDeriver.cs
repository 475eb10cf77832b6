using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using AutoDiff.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generators;

/// <summary>
/// Derives the second-order rules that Hessians need: each partial rule differentiated once more, by
/// <see cref="SymbolicDifferentiator"/>, with respect to every value it reads (inputs and <c>result</c>).
/// </summary>
/// <remarks>
/// A declared rule is differentiated from its own body. A rule the generator derived itself exists only as text, so it
/// is parsed into a synthetic method, bound against the compilation, and differentiated like a declared one.
/// </remarks>
internal static class SecondOrderDeriver
{
    private const string SyntheticClass = "__AutoDiffSecondOrder";

    /// <summary>The second-order model of a declared <c>[Derivative]</c> method.</summary>
    public static SecondOrderModel ForRule(IMethodSymbol method, SemanticModel? semanticModel, CancellationToken cancellationToken)
    {
        if (method.Parameters.Length == 0)
        {
            return SecondOrderModel.Constant;
        }

        return From(SymbolicDifferentiator.Derive(method, semanticModel, cancellationToken), method.Name);
    }

    /// <summary>The second-order models of the partials derived from a function's body, one per body.</summary>
    /// <param name="inputs">The function's inputs: the parameters of every derived partial.</param>
    /// <param name="bodies">The derived partials' bodies.</param>
    /// <param name="semanticModel">The model of the function's tree, whose compilation binds the synthetic methods.</param>
    /// <param name="cancellationToken">Cancels the derivation.</param>
    public static EquatableArray<SecondOrderModel> ForDerivedPartials(
        IReadOnlyList<string> inputs, IReadOnlyList<string> bodies, SemanticModel? semanticModel, CancellationToken cancellationToken)
    {
        if (bodies.Count == 0 || semanticModel is null)
        {
            return EquatableArray<SecondOrderModel>.Empty;
        }

        string parameters = string.Join(", ", inputs.Select(i => "double " + Emitter.Escape(i)));
        var text = new StringBuilder();
        text.Append("static class ").Append(SyntheticClass).Append(" {\n");
        for (int i = 0; i < bodies.Count; i++)
        {
            text.Append("static double __Partial").Append(i).Append('(').Append(parameters).Append(") {\n").Append(bodies[i]).Append("\n}\n");
        }

        text.Append('}');
        var options = semanticModel.SyntaxTree.Options as CSharpParseOptions;
        SyntaxTree tree = CSharpSyntaxTree.ParseText(text.ToString(), options, cancellationToken: cancellationToken);
        Compilation compilation = semanticModel.Compilation.AddSyntaxTrees(tree);
        SemanticModel model = compilation.GetSemanticModel(tree);
        var methods = tree.GetRoot(cancellationToken).DescendantNodes().OfType<MethodDeclarationSyntax>().ToArray();
        var models = new SecondOrderModel[bodies.Count];
        for (int i = 0; i < bodies.Count; i++)
        {
            models[i] = model.GetDeclaredSymbol(methods[i], cancellationToken) is IMethodSymbol method
                ? From(SymbolicDifferentiator.Derive(method, model, cancellationToken), "the derived partial")
                : new SecondOrderModel(EquatableArray<string>.Empty, "the derived partial could not be bound");
        }

        return models.ToEquatableArray();
    }

    private static SecondOrderModel From(SymbolicDifferentiator.Derivation? derivation, string what) =>
        derivation switch
        {
            null => new SecondOrderModel(EquatableArray<string>.Empty, $"the body of {what} cannot be read"),
            { Error: { } error } => new SecondOrderModel(EquatableArray<string>.Empty, error.What),
            _ => new SecondOrderModel(derivation.Bodies.ToEquatableArray(), null),
        };
}
