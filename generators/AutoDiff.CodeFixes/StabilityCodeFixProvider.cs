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
/// alias) unless that bare name binds to something else there (see <see cref="BindToOps"/>), and the argument
/// expressions keep their trivia.
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
                || Rewrite(diagnostic.Id, log, SourceArgument(diagnostic), IntegerArgument(diagnostic)) is not { } rewritten)
            {
                continue;
            }

            var replacement = BindToOps(log, rewritten, model, context.CancellationToken);

            string title = "Use " + NameOf(replacement);
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
                    && Rewrite(diagnostic.Id, log, SourceArgument(diagnostic), IntegerArgument(diagnostic)) is { } rewritten)
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
                (original, current) => Rewrite(fixes[original].Id, current, fixes[original].Source, fixes[original].Integer) is { } replacement
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

    private static bool IsExpCall(ExpressionSyntax expression) =>
        StripParentheses(expression) is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } call && NameOf(call) == "Exp";

    private static string NameOf(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => invocation.Expression.ToString(),
    };

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
    /// The stable call replacing the flagged <paramref name="log"/>, or null if its shape is not the expected one.
    /// <paramref name="source"/> is the index of the <c>Exp</c> among the arguments of a tensor <c>Sum</c>;
    /// <paramref name="integerArgument"/>, that σ's argument is an integer, negated as a double.
    /// </summary>
    internal static InvocationExpressionSyntax? Rewrite(string id, InvocationExpressionSyntax log, int source = 0, bool integerArgument = false)
    {
        if (log.ArgumentList.Arguments.Count != 1)
        {
            return null;
        }

        var inner = StripParentheses(log.ArgumentList.Arguments[0].Expression);
        switch (id)
        {
            case StabilityDiagnostics.LogOfSigmoidId when inner is InvocationExpressionSyntax sigmoid:
                return Build(log, "LogSigmoid", sigmoid.ArgumentList);

            case StabilityDiagnostics.LogOfOneMinusSigmoidId
                when inner is BinaryExpressionSyntax minus
                     && SigmoidOfOneMinus(minus) is { ArgumentList.Arguments.Count: 1 } sigmoid:
                {
                    var argument = sigmoid.ArgumentList.Arguments[0];
                    var negated = argument.WithExpression(Negate(integerArgument ? AsDouble(argument.Expression) : argument.Expression));
                    return Build(log, "LogSigmoid", sigmoid.ArgumentList.WithArguments(sigmoid.ArgumentList.Arguments.Replace(argument, negated)));
                }

            case StabilityDiagnostics.LogOfOnePlusExpId when inner is BinaryExpressionSyntax plus:
                {
                    // The analyzer checked that one side is the literal 1 and the other Exp(x).
                    var exp = StripParentheses(plus.Right) as InvocationExpressionSyntax
                              ?? StripParentheses(plus.Left) as InvocationExpressionSyntax;
                    return exp is null ? null : Build(log, "Softplus", exp.ArgumentList);
                }

            case StabilityDiagnostics.Log1pOfExpId when inner is InvocationExpressionSyntax exp:
                return Build(log, "Softplus", exp.ArgumentList);

            case StabilityDiagnostics.LogOfSumOfExpId when inner is InvocationExpressionSyntax sum:
                {
                    // Exp(a), Exp(b), … → a, b, … for the span overload; Exp(t), axis, keepDims → t, axis, keepDims for the
                    // tensor one (only its argument at source is an Exp call, the first unless the arguments are named out of
                    // order, Sum(axis: 1, x: Exp(t)); the analyzer checked which ones are). Every
                    // argument must be an Exp call for the first reading: an axis that is some other call (Axis(x),
                    // Math.Abs(k)) stays as it is.
                    var arguments = sum.ArgumentList.Arguments;

                    // Sum([Exp(a), Exp(b)]): the collection's elements become the arguments, Exp(a), Exp(b), …
                    if (arguments.Count == 1 && arguments[0].Expression is CollectionExpressionSyntax collection
                        && collection.Elements.Count > 0
                        && collection.Elements.All(e => e is ExpressionElementSyntax element && IsExpCall(element.Expression)))
                    {
                        arguments = SyntaxFactory.SeparatedList(
                            collection.Elements.Select(e => SyntaxFactory.Argument(((ExpressionElementSyntax)e).Expression)),
                            collection.Elements.GetSeparators());
                    }

                    bool all = (arguments.Count > 1 || arguments.Count == 1 && sum.ArgumentList.Arguments[0].Expression is CollectionExpressionSyntax)
                               && arguments.All(a => IsExpCall(a.Expression));
                    var rewritten = arguments;
                    for (int i = 0; i < arguments.Count; i++)
                    {
                        if (!all && i != source)
                        {
                            continue;
                        }

                        if (!IsExpCall(arguments[i].Expression)
                            || StripParentheses(arguments[i].Expression) is not InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } exp)
                        {
                            return null;
                        }

                        // x keeps its own comments, inside the Exp(…) it leaves, and takes those around the Exp call.
                        var outer = arguments[i].Expression;
                        var x = exp.ArgumentList.Arguments[0].Expression;
                        x = x.WithLeadingTrivia(outer.GetLeadingTrivia().AddRange(x.GetLeadingTrivia()))
                            .WithTrailingTrivia(x.GetTrailingTrivia().AddRange(outer.GetTrailingTrivia()));
                        rewritten = rewritten.Replace(rewritten[i], arguments[i].WithExpression(x));
                    }

                    return Build(log, "LogSumExp", sum.ArgumentList.WithArguments(rewritten));
                }

            default:
                return null;
        }
    }

    /// <summary>The σ call of 1 − σ(x), 1 + (−σ(x)) or −σ(x) + 1 (the analyzer checked the shape), or null.</summary>
    private static InvocationExpressionSyntax? SigmoidOfOneMinus(BinaryExpressionSyntax difference)
    {
        if (difference.IsKind(SyntaxKind.SubtractExpression))
        {
            return StripParentheses(difference.Right) as InvocationExpressionSyntax;
        }

        foreach (var side in new[] { difference.Right, difference.Left })
        {
            if (StripParentheses(side) is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } negation
                && StripParentheses(negation.Operand) is InvocationExpressionSyntax sigmoid)
            {
                return sigmoid;
            }
        }

        return null;
    }

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

    /// <summary><paramref name="log"/> with its method name replaced by <paramref name="name"/>, qualified as written.</summary>
    private static InvocationExpressionSyntax Build(InvocationExpressionSyntax log, string name, ArgumentListSyntax arguments)
    {
        ExpressionSyntax callee = log.Expression switch
        {
            MemberAccessExpressionSyntax member => member.WithName(Rename(member.Name, name)),
            SimpleNameSyntax simple => Rename(simple, name),
            _ => SyntaxFactory.IdentifierName(name),
        };

        // What lies between Log's parentheses and its argument (Log(/* p */ Sigmoid(x) /* logits */), a line break after
        // "Log(" and a comment at the end of the line) belongs around the new call's arguments, not with the dropped
        // call; plain spaces there are left out, as before (Log( Sigmoid(x) ) → LogSigmoid(x)).
        var outer = log.ArgumentList.Arguments[0].Expression;
        var before = log.ArgumentList.OpenParenToken.TrailingTrivia.AddRange(outer.GetLeadingTrivia());
        var after = outer.GetTrailingTrivia().AddRange(log.ArgumentList.CloseParenToken.LeadingTrivia);
        var list = arguments.Arguments;
        if (list.Count > 0 && !IsBlank(before))
        {
            var first = list[0];
            list = list.Replace(first, first.WithLeadingTrivia(before.AddRange(first.GetLeadingTrivia())));
        }

        if (list.Count > 0 && !IsBlank(after))
        {
            var last = list[list.Count - 1];
            list = list.Replace(last, last.WithTrailingTrivia(last.GetTrailingTrivia().AddRange(after)));
        }

        return log.WithExpression(callee).WithArgumentList(arguments.WithArguments(list).WithTriviaFrom(log.ArgumentList));
    }

    private static bool IsBlank(SyntaxTriviaList trivia) => trivia.All(t => t.IsKind(SyntaxKind.WhitespaceTrivia));

    private static SimpleNameSyntax Rename(SimpleNameSyntax simple, string name) =>
        SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(name).WithTriviaFrom(simple.Identifier));

    /// <summary>
    /// −x for a whole argument, parenthesizing x unless it binds at least as tightly as a prefix minus (a cast does:
    /// −(double)y); −(−y) and −(−(y)) become y, since an argument needs no parentheses of its own.
    /// </summary>
    private static ExpressionSyntax Negate(ExpressionSyntax x)
    {
        if (x is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } negation)
        {
            return StripParentheses(negation.Operand).WithTriviaFrom(x);
        }

        return SyntaxFactory.PrefixUnaryExpression(SyntaxKind.UnaryMinusExpression, Operand(x, x is CastExpressionSyntax)).WithTriviaFrom(x);
    }

    /// <summary>(double)k, parenthesizing k unless it binds as tightly as a prefix operator.</summary>
    private static ExpressionSyntax AsDouble(ExpressionSyntax k) =>
        SyntaxFactory.CastExpression(SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.DoubleKeyword)), Operand(k, alsoTight: false))
            .WithTriviaFrom(k);

    /// <summary>
    /// x without its trivia, as the operand of a prefix operator (−x, (double)x): as it is when it is a primary
    /// expression (a name, member access, call, element access, literal, parenthesized, this) or
    /// <paramref name="alsoTight"/>, else parenthesized.
    /// </summary>
    private static ExpressionSyntax Operand(ExpressionSyntax x, bool alsoTight) =>
        alsoTight || x is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax
                          or ElementAccessExpressionSyntax or LiteralExpressionSyntax or ParenthesizedExpressionSyntax
                          or ThisExpressionSyntax or GenericNameSyntax
            ? x.WithoutTrivia()
            : SyntaxFactory.ParenthesizedExpression(x.WithoutTrivia());

    private static ExpressionSyntax StripParentheses(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }
}
