using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generators;

/// <summary>The body of a declared function or rule as an operation tree: what the translator, the differentiator and the branch-point finder read.</summary>
internal static class MethodBodies
{
    /// <summary>
    /// The declaration of <paramref name="method"/> whose body is read: for the defining declaration of a partial method,
    /// its implementing declaration, whose parameters the body's references are; else <paramref name="method"/>. An
    /// implementing declaration that names the parameters otherwise is not taken (C# allows it): what is read from the
    /// body names them as it does, and the generated code as the attributed declaration does, so they would not meet.
    /// </summary>
    public static IMethodSymbol WithBody(IMethodSymbol method) =>
        method.PartialImplementationPart is { } implementation
        && implementation.Parameters.Select(p => p.Name).SequenceEqual(method.Parameters.Select(p => p.Name))
            ? implementation
            : method;

    /// <summary>The symbol that calls of <paramref name="method"/> bind to: a partial method's defining declaration.</summary>
    public static IMethodSymbol Called(IMethodSymbol method) => method.PartialDefinitionPart ?? method;

    /// <summary>
    /// The body of <paramref name="method"/> when it is declared once, in any file of <paramref name="semanticModel"/>'s
    /// compilation, else <see langword="null"/>: an extern or metadata-only method, a method of a referenced project (an
    /// IDE references projects as compilations, whose syntax is not this compilation's: it is read as metadata, as a
    /// command-line build reads it), or a partial method's defining declaration, has none to read. Pass <see cref="WithBody"/>(method): a reader that matches the body's parameter
    /// references to the method's parameters then sees the same symbols, and a defining declaration passed by mistake
    /// reads nothing rather than references it does not match.
    /// </summary>
    public static IMethodBodyOperation? Of(IMethodSymbol method, SemanticModel? semanticModel, CancellationToken cancellationToken)
    {
        if (semanticModel is null
            || method.DeclaringSyntaxReferences.Length != 1
            || method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax syntax
            || !semanticModel.Compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return null;
        }

        var model = syntax.SyntaxTree == semanticModel.SyntaxTree ? semanticModel : semanticModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
        return model.GetOperation(syntax, cancellationToken) as IMethodBodyOperation;
    }
}
