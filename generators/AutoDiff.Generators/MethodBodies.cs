using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generators;

/// <summary>The body of a declared function or rule as an operation tree: what the translator, the differentiator and the branch-point finder read.</summary>
internal static class MethodBodies
{
    /// <summary>
    /// The body of <paramref name="method"/> when it is declared once, in <paramref name="semanticModel"/>'s tree (a
    /// partial or metadata-only method has none to read), else <see langword="null"/>.
    /// </summary>
    public static IMethodBodyOperation? Of(IMethodSymbol method, SemanticModel? semanticModel, CancellationToken cancellationToken) =>
        semanticModel is not null
        && method.DeclaringSyntaxReferences.Length == 1
        && method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is MethodDeclarationSyntax syntax
        && syntax.SyntaxTree == semanticModel.SyntaxTree
        && semanticModel.GetOperation(syntax, cancellationToken) is IMethodBodyOperation body
            ? body
            : null;

    /// <summary>
    /// The body of <paramref name="method"/> when it is declared once, in any file of <paramref name="semanticModel"/>'s
    /// compilation: for following calls between the parts of a partial class, not for translating them.
    /// </summary>
    public static IMethodBodyOperation? InAnyFile(IMethodSymbol method, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        if (method.DeclaringSyntaxReferences.Length != 1
            || method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax syntax)
        {
            return null;
        }

        var model = syntax.SyntaxTree == semanticModel.SyntaxTree ? semanticModel : semanticModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
        return model.GetOperation(syntax, cancellationToken) as IMethodBodyOperation;
    }
}
