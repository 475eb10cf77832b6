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
/// The partials that <see cref="SymbolicDifferentiator"/> derived from a function's body exist only as text. To be read
/// like declared rules — differentiated once more for Hessians (<see cref="SecondOrderDeriver"/>), translated lane for
/// lane into vector bodies (<see cref="VectorTranslator"/>) — they are parsed into synthetic methods of a synthetic
/// class, bound once against the function's compilation.
/// </summary>
internal sealed class DerivedPartialMethods
{
    private const string SyntheticClass = "__AutoDiffDerivedPartials";

    private DerivedPartialMethods(SemanticModel model, IMethodSymbol?[] methods)
    {
        Model = model;
        Methods = methods;
    }

    /// <summary>The model that binds <see cref="Methods"/>.</summary>
    public SemanticModel Model { get; }

    /// <summary>One synthetic method per derived partial, in order; <see langword="null"/> where it could not be bound.</summary>
    public IReadOnlyList<IMethodSymbol?> Methods { get; }

    /// <summary>The bound methods of <paramref name="bodies"/>, or <see langword="null"/> when there are none or no model.</summary>
    /// <param name="inputs">The function's inputs: the parameters of every derived partial.</param>
    /// <param name="bodies">The derived partials' bodies.</param>
    /// <param name="semanticModel">The model of the function's tree, whose compilation binds the synthetic methods.</param>
    /// <param name="cancellationToken">Cancels the parse.</param>
    public static DerivedPartialMethods? Bind(
        IReadOnlyList<string> inputs, IReadOnlyList<string> bodies, SemanticModel? semanticModel, CancellationToken cancellationToken)
    {
        if (bodies.Count == 0 || semanticModel is null)
        {
            return null;
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
        var declarations = tree.GetRoot(cancellationToken).DescendantNodes().OfType<MethodDeclarationSyntax>().ToArray();
        return new DerivedPartialMethods(
            model,
            declarations.Select(d => model.GetDeclaredSymbol(d, cancellationToken) as IMethodSymbol).ToArray());
    }

    /// <summary>
    /// The vector bodies of the derived partials (<see cref="VectorTranslator.Translate"/>), one per partial; empty unless
    /// every partial has one, since a kernel's partials are vectorized all together or not at all.
    /// </summary>
    public static EquatableArray<string> VectorBodies(DerivedPartialMethods? partials, CancellationToken cancellationToken)
    {
        if (partials is null)
        {
            return EquatableArray<string>.Empty;
        }

        var bodies = new string[partials.Methods.Count];
        for (int i = 0; i < bodies.Length; i++)
        {
            if (partials.Methods[i] is not { } method
                || VectorTranslator.Translate(method, partials.Model, cancellationToken) is not { } body)
            {
                return EquatableArray<string>.Empty;
            }

            bodies[i] = body;
        }

        return bodies.ToEquatableArray();
    }
}
