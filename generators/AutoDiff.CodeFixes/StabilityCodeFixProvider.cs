using System.Linq;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using AutoDiff.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.CodeFixes;

/// <summary>
/// Rewrites the compositions <see cref="StabilityAnalyzer"/> flags to the stable op: <c>Log(Sigmoid(x))</c> →
/// <c>LogSigmoid(x)</c>, <c>Log(1 - Sigmoid(x))</c> → <c>LogSigmoid(-x)</c>, <c>Log(1 + Exp(x))</c> → <c>Softplus(x)</c>,
/// <c>Log(Sum(Exp(a), Exp(b)))</c> → <c>LogSumExp(a, b)</c>, <c>Log(Sum(Exp(t), axis))</c> → <c>LogSumExp(t, axis)</c> and
/// <c>Log1p(Exp(x))</c> → <c>Softplus(x)</c>.
/// The new op is named as the flagged <c>Log</c> was (<c>Log</c>, <c>Ops.Log</c>, <c>global::AutoDiff.Ops.Log</c>, an
/// alias) unless that bare name binds to something else there (see <see cref="BindToOps"/>), the argument
/// expressions keep their trivia, and the comments on the removed tokens go before the new call. The rewrite itself is
/// <see cref="StabilityRewriter.Rewrite"/>, in the analyzer's assembly, which renders the same rewrite into the
/// diagnostic's message.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StabilityCodeFixProvider)), Shared]
public sealed class StabilityCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        StabilityDiagnostics.LogOfSigmoidId,
        StabilityDiagnostics.LogOfOneMinusSigmoidId,
        StabilityDiagnostics.LogOfOnePlusExpId,
        StabilityDiagnostics.LogOfSumOfExpId,
        StabilityDiagnostics.Log1pOfExpId);

    /// <inheritdoc />
    /// <remarks>
    /// Not the batch fixer: it computes every fix against the original document and drops a change overlapping another,
    /// so a flagged call nested in another (<c>Log(1 + Exp(Log(1 + Exp(x))))</c>) kept its inner half after Fix All.
    /// <see cref="FixAll"/> rewrites the flagged calls bottom-up in one pass instead.
    /// </remarks>
    public override FixAllProvider GetFixAllProvider() => FixAll.Instance;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.ContainsKey(StabilityDiagnostics.NoFixProperty)
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax log
                || StabilityRewriter.Rewrite(diagnostic.Id, log, SourceArgument(diagnostic), IntegerArgument(diagnostic)) is not { } rewritten)
            {
                continue;
            }

            var replacement = BindToOps(log, rewritten, model, context.CancellationToken);

            string title = "Use " + StabilityRewriter.NameOf(replacement);
            context.RegisterCodeFix(
                CodeAction.Create(
                    title,
                    ct => ReplaceAsync(context.Document, log, replacement, ct),
                    equivalenceKey: diagnostic.Id),
                diagnostic);
        }
    }

    /// <summary>
    /// Fix All: every flagged call of the document replaced in one <c>ReplaceNodes</c>, each rewritten
    /// from its node with the calls inside it already replaced, so nested fixes compose. Whether a bare name needs
    /// qualifying is decided on the original node, where the semantic model can bind it.
    /// </summary>
    private sealed class FixAll : DocumentBasedFixAllProvider
    {
        public static readonly FixAll Instance = new();

        protected override string GetFixAllTitle(FixAllContext fixAllContext) => "Use the stable AutoDiff ops";

        protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
        {
            var ct = fixAllContext.CancellationToken;
            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return document;
            }

            var fixes = new System.Collections.Generic.Dictionary<InvocationExpressionSyntax, (string Id, int Source, bool Integer, ExpressionSyntax Callee)>();
            foreach (var diagnostic in diagnostics)
            {
                if (!diagnostic.Properties.ContainsKey(StabilityDiagnostics.NoFixProperty)
                    && root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is InvocationExpressionSyntax log
                    && StabilityRewriter.Rewrite(diagnostic.Id, log, SourceArgument(diagnostic), IntegerArgument(diagnostic)) is { } rewritten)
                {
                    fixes[log] = (diagnostic.Id, SourceArgument(diagnostic), IntegerArgument(diagnostic), BindToOps(log, rewritten, model, ct).Expression);
                }
            }

            if (fixes.Count == 0)
            {
                return document;
            }

            var fixedRoot = root.ReplaceNodes(
                fixes.Keys,
                (original, current) => StabilityRewriter.Rewrite(fixes[original].Id, current, fixes[original].Source, fixes[original].Integer) is { } replacement
                    ? replacement.WithExpression(fixes[original].Callee)
                    : current);
            return document.WithSyntaxRoot(fixedRoot);
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, SyntaxNode old, SyntaxNode replacement, CancellationToken ct)
    {
        var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
        return root is null ? document : document.WithSyntaxRoot(root.ReplaceNode(old, replacement));
    }

    /// <summary>Which argument of a tensor <c>Sum</c> is the <c>Exp</c> (<see cref="StabilityDiagnostics.SourceArgumentProperty"/>): 0 unless named out of order.</summary>
    private static int SourceArgument(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(StabilityDiagnostics.SourceArgumentProperty, out var value)
        && int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index)
            ? index
            : 0;

    /// <summary>Whether σ's argument of an AD2002 is an integer (<see cref="StabilityDiagnostics.IntegerArgumentProperty"/>).</summary>
    private static bool IntegerArgument(Diagnostic diagnostic) =>
        diagnostic.Properties.ContainsKey(StabilityDiagnostics.IntegerArgumentProperty);

    /// <summary>
    /// <paramref name="replacement"/>, or, when its callee is a bare name (<c>Softplus</c> under <c>using static
    /// AutoDiff.Ops</c>) that at the place of <paramref name="log"/> binds to something other than the op of
    /// <c>AutoDiff.Ops</c>, the call qualified as little as makes it bind there: <c>Ops.Softplus</c>, then
    /// <c>AutoDiff.Ops.Softplus</c>, then <c>global::AutoDiff.Ops.Softplus</c>. A bare name is shadowed by a method of the
    /// enclosing type or a local function of that name, which is where a hand-written stable op computed the unstable
    /// way lives: <c>static Var Softplus(Var x) =&gt; Log(1 + Exp(x));</c> must not become <c>=&gt; Softplus(x);</c>.
    /// A qualified callee (<c>Ops.Log</c>, an alias, <c>global::</c>) names the same type for the new op as for <c>Log</c>.
    /// </summary>
    internal static InvocationExpressionSyntax BindToOps(
        InvocationExpressionSyntax log, InvocationExpressionSyntax replacement, SemanticModel model, CancellationToken ct)
    {
        var ops = model.Compilation.GetTypeByMetadataName("AutoDiff.Ops");
        if (replacement.Expression is not SimpleNameSyntax name || ops is null)
        {
            return replacement;
        }

        InvocationExpressionSyntax candidate = replacement;
        foreach (string qualifier in new[] { "", "Ops.", "AutoDiff.Ops.", "global::AutoDiff.Ops." })
        {
            candidate = qualifier.Length == 0
                ? replacement
                : replacement.WithExpression(SyntaxFactory.ParseExpression(qualifier + name.Identifier.ValueText).WithTriviaFrom(name));
            ct.ThrowIfCancellationRequested();
            if (model.GetSpeculativeSymbolInfo(log.SpanStart, candidate, SpeculativeBindingOption.BindAsExpression).Symbol is IMethodSymbol method
                && SymbolEqualityComparer.Default.Equals(method.ContainingType, ops))
            {
                return candidate;
            }
        }

        // Nothing binds (the call does not compile as it stands either): the fully qualified form is the least wrong.
        return candidate;
    }
}
