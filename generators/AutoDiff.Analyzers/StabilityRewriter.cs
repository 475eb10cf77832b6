using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiff.Analyzers;

/// <summary>
/// The rewrite of a flagged call to its stable op, on syntax alone: the code fix writes it, and the analyzer renders it
/// into the diagnostic's message (<see cref="MessageArguments"/>), so the message names exactly what the fix writes.
/// </summary>
internal static class StabilityRewriter
{
    /// <summary>Longer argument text is shortened in a message: its first part and "…".</summary>
    internal const int MaxArgumentLength = 40;

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
                return Build(log, "LogSigmoid", sigmoid.ArgumentList, Inside(sigmoid.ArgumentList));

            case StabilityDiagnostics.LogOfOneMinusSigmoidId
                when inner is BinaryExpressionSyntax minus
                     && SigmoidOfOneMinus(minus) is { ArgumentList.Arguments.Count: 1 } sigmoid:
                {
                    var argument = sigmoid.ArgumentList.Arguments[0];
                    var negated = argument.WithExpression(Negate(integerArgument ? AsDouble(argument.Expression) : argument.Expression));
                    return Build(
                        log, "LogSigmoid", sigmoid.ArgumentList.WithArguments(sigmoid.ArgumentList.Arguments.Replace(argument, negated)),
                        argument.Expression.Span);
                }

            case StabilityDiagnostics.LogOfOnePlusExpId when inner is BinaryExpressionSyntax plus:
                {
                    // The analyzer checked that one side is the literal 1 and the other Exp(x).
                    var exp = StripParentheses(plus.Right) as InvocationExpressionSyntax
                              ?? StripParentheses(plus.Left) as InvocationExpressionSyntax;
                    return exp is null ? null : Build(log, "Softplus", exp.ArgumentList, Inside(exp.ArgumentList));
                }

            case StabilityDiagnostics.Log1pOfExpId when inner is InvocationExpressionSyntax exp:
                return Build(log, "Softplus", exp.ArgumentList, Inside(exp.ArgumentList));

            case StabilityDiagnostics.LogOfSumOfExpId when inner is InvocationExpressionSyntax sum:
                {
                    // Exp(a), Exp(b), … → a, b, … for the span overload; Exp(t), axis, keepDims → t, axis, keepDims for the
                    // tensor one (only its argument at source is an Exp call, the first unless the arguments are named out of
                    // order, Sum(axis: 1, x: Exp(t)); the analyzer checked which ones are). Every
                    // argument must be an Exp call for the first reading: an axis that is some other call (Axis(x),
                    // Math.Abs(k)) stays as it is.
                    var arguments = sum.ArgumentList.Arguments;

                    // The argument expressions in the flagged call itself, for their positions: those of the new list
                    // built from a collection's elements are in a tree of its own.
                    var written = arguments.Select(a => a.Expression).ToList();

                    // Sum([Exp(a), Exp(b)]): the collection's elements become the arguments, Exp(a), Exp(b), … (a trailing
                    // comma, [Exp(a), Exp(b),], is no separator of the argument list: LogSumExp(a, b,) does not compile).
                    if (arguments.Count == 1 && arguments[0].Expression is CollectionExpressionSyntax collection
                        && collection.Elements.Count > 0
                        && collection.Elements.All(e => e is ExpressionElementSyntax element && IsExpCall(element.Expression)))
                    {
                        written = collection.Elements.Select(e => ((ExpressionElementSyntax)e).Expression).ToList();
                        arguments = SyntaxFactory.SeparatedList(
                            written.Select(SyntaxFactory.Argument),
                            collection.Elements.GetSeparators().Take(collection.Elements.Count - 1));
                    }

                    bool all = (arguments.Count > 1 || arguments.Count == 1 && sum.ArgumentList.Arguments[0].Expression is CollectionExpressionSyntax)
                               && arguments.All(a => IsExpCall(a.Expression));
                    var rewritten = arguments;
                    var verbatim = new List<TextSpan>();
                    for (int i = 0; i < arguments.Count; i++)
                    {
                        if (!all && i != source)
                        {
                            verbatim.Add(sum.ArgumentList.Arguments[i].Span);
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
                        if (StripParentheses(written[i]) is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } writtenExp)
                        {
                            verbatim.Add(writtenExp.ArgumentList.Arguments[0].Expression.Span);
                        }
                    }

                    return Build(log, "LogSumExp", sum.ArgumentList.WithArguments(rewritten), verbatim.ToArray());
                }

            default:
                return null;
        }
    }

    /// <summary>
    /// The message arguments of a diagnostic on <paramref name="log"/>: {0}, the arguments of the call inside
    /// <paramref name="log"/> that the fix carries over (σ's, Exp's, Sum's) as written; {1}, the stable call the fix writes,
    /// named without a qualifier, or <paramref name="fallback"/> when the fix writes none. Both are the source text with
    /// runs of whitespace made single spaces, and shortened to about <see cref="MaxArgumentLength"/> characters
    /// (<see cref="Shorten(ExpressionSyntax)"/>).
    /// </summary>
    internal static object[] MessageArguments(
        string id, InvocationExpressionSyntax log, InvocationExpressionSyntax inner, int source, bool integerArgument, string? fallback = null)
    {
        // No rewrite where the shape is one the fix does not take apart (Log(checked(Sigmoid(x))): checked is no
        // operation of its own, so the analyzer sees through it), and no fix either: the op alone.
        string replacement = fallback ?? (Rewrite(id, log, source, integerArgument) is { } rewritten
            ? NameOf(rewritten) + "(" + ArgumentsText(rewritten.ArgumentList.Arguments) + ")"
            : StableOp(id) + "(…)");
        return new object[] { ArgumentsText(inner.ArgumentList.Arguments), replacement };
    }

    private static string StableOp(string id) => id switch
    {
        StabilityDiagnostics.LogOfSigmoidId or StabilityDiagnostics.LogOfOneMinusSigmoidId => "LogSigmoid",
        StabilityDiagnostics.LogOfSumOfExpId => "LogSumExp",
        _ => "Softplus",
    };

    /// <summary>An argument list as written (without the trivia around it), shortened as <see cref="Shorten(ExpressionSyntax)"/> does.</summary>
    internal static string ArgumentsText(SeparatedSyntaxList<ArgumentSyntax> arguments)
    {
        if (arguments.Count == 1)
        {
            // x: z, ref z: the name and ref kind as written, the expression shortened.
            var argument = arguments[0];
            return Normalize(argument.ToString().Substring(0, argument.Expression.SpanStart - argument.SpanStart)) + Shorten(argument.Expression);
        }

        return Truncate(string.Join(", ", arguments.Select(a => Normalize(a.ToString()))));
    }

    /// <summary>
    /// <paramref name="expression"/>'s text, whitespace normalised, and if longer than <see cref="MaxArgumentLength"/>,
    /// shortened inside the negation, cast and parentheses around it, so that what the fix puts around an argument stays
    /// readable: <c>-(double)(first part…)</c>.
    /// </summary>
    internal static string Shorten(ExpressionSyntax expression)
    {
        string text = Normalize(expression.ToString());
        if (text.Length <= MaxArgumentLength)
        {
            return text;
        }

        ExpressionSyntax? operand = expression switch
        {
            PrefixUnaryExpressionSyntax unary => unary.Operand,
            CastExpressionSyntax cast => cast.Expression,
            ParenthesizedExpressionSyntax parenthesized => parenthesized.Expression,
            _ => null,
        };
        if (operand is null)
        {
            return Truncate(text);
        }

        string written = expression.ToString();
        int start = operand.SpanStart - expression.SpanStart;
        int end = operand.Span.End - expression.SpanStart;
        return Normalize(written.Substring(0, start)) + Shorten(operand) + Normalize(written.Substring(end));
    }

    /// <summary><paramref name="text"/>, or its first part and "…" when it is longer than <see cref="MaxArgumentLength"/>.</summary>
    private static string Truncate(string text)
    {
        if (text.Length <= MaxArgumentLength)
        {
            return text;
        }

        int length = MaxArgumentLength - 1;
        if (char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text.Substring(0, length).TrimEnd() + "…";
    }

    /// <summary>Runs of whitespace (line breaks and indentation included) as single spaces.</summary>
    private static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        bool space = false;
        foreach (char c in text)
        {
            bool white = char.IsWhiteSpace(c);
            if (!white || !space)
            {
                builder.Append(white ? ' ' : c);
            }

            space = white;
        }

        return builder.ToString();
    }

    private static bool IsExpCall(ExpressionSyntax expression) =>
        StripParentheses(expression) is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } call && NameOf(call) == "Exp";

    /// <summary>The method name of <paramref name="invocation"/>, without its qualifier.</summary>
    internal static string NameOf(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => invocation.Expression.ToString(),
    };

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
    /// <paramref name="log"/> with its method name replaced by <paramref name="name"/>, qualified as written, or null
    /// where that would drop a preprocessor directive (<see cref="KeepDroppedComments"/>) or move one across what the
    /// rewrite writes around or removes from the code it disables: every directive in <paramref name="log"/> must lie in
    /// <paramref name="verbatim"/>, the text the rewrite carries over as it is (σ's or Exp's argument list inside its
    /// parentheses; the expression a negation or cast goes around; the terms of a <c>Sum</c>). Elsewhere the code it
    /// disables is no longer what it was an alternative to: <c>Log(</c>, <c>#if A</c>, <c>Sigmoid(a)</c>, <c>#else</c>,
    /// <c>Sigmoid(b)</c>, <c>#endif</c>, <c>)</c> became <c>LogSigmoid(</c>, <c>#if A</c>, <c>Sigmoid(a)</c>, <c>#else</c>,
    /// <c>b</c>, <c>#endif</c>, <c>)</c>, and <c>Log(1 - Sigmoid(</c>…<c>a</c>…<c>b</c>…<c>))</c> negated b alone.
    /// </summary>
    private static InvocationExpressionSyntax? Build(InvocationExpressionSyntax log, string name, ArgumentListSyntax arguments, params TextSpan[] verbatim)
    {
        if (log.ContainsDirectives && Inner(log, IsPreprocessor).Any(t => !verbatim.Any(span => span.Contains(t.Span))))
        {
            return null;
        }

        ExpressionSyntax callee = log.Expression switch
        {
            MemberAccessExpressionSyntax member => member.WithName(Rename(member.Name, name)),
            SimpleNameSyntax simple => Rename(simple, name),
            _ => SyntaxFactory.IdentifierName(name),
        };

        // What lies between Log's parentheses and its argument (Log(/* p */ Sigmoid(x) /* logits */), a line break after
        // "Log(" and a comment at the end of the line) belongs around the new call's arguments, not with the dropped
        // call, in the order it was written: after the new "(" and before what followed the inner call's own "(", the
        // other way round at ")". Plain spaces there are left out, as before (Log( Sigmoid(x) ) → LogSigmoid(x)).
        var outer = log.ArgumentList.Arguments[0].Expression;
        var before = log.ArgumentList.OpenParenToken.TrailingTrivia.AddRange(outer.GetLeadingTrivia());
        var after = outer.GetTrailingTrivia().AddRange(log.ArgumentList.CloseParenToken.LeadingTrivia);
        var open = arguments.OpenParenToken;
        var close = arguments.CloseParenToken;
        if (!IsBlank(before))
        {
            open = open.WithTrailingTrivia(before.AddRange(open.TrailingTrivia));
        }

        if (!IsBlank(after))
        {
            close = close.WithLeadingTrivia(close.LeadingTrivia.AddRange(after));
        }

        var built = log.WithExpression(callee).WithArgumentList(
            arguments.WithOpenParenToken(open).WithCloseParenToken(close).WithTriviaFrom(log.ArgumentList));
        return KeepDroppedComments(log, built);
    }

    /// <summary>
    /// <paramref name="built"/> with the comments of <paramref name="log"/> that it lost, those on the tokens the rewrite
    /// removes (<c>Log(1 - /* p */ Sigmoid(x))</c>, <c>Log(Sigmoid /* σ */ (x))</c>, <c>Sigmoid(-(/* d */ a - b))</c>), put
    /// before the new call in their order: <c>/* p */ LogSigmoid(-x)</c>. A <c>//</c> comment is followed by its line
    /// break and the indentation of the line after it, so the call moves to that line as it was.
    /// Null where a preprocessor directive or the code it disables would be dropped (<c>Log(1 -</c>, <c>#if A</c>,
    /// <c>Sigmoid(x)</c>, <c>#else</c>, <c>Sigmoid(-x)</c>, <c>#endif</c>, <c>)</c> lost its <c>#if</c> and <c>#else</c>
    /// and kept an unmatched <c>#endif</c>): no fix is offered there.
    /// </summary>
    private static InvocationExpressionSyntax? KeepDroppedComments(InvocationExpressionSyntax log, InvocationExpressionSyntax built)
    {
        if (log.ContainsDirectives && Inner(built, IsPreprocessor).Count() != Inner(log, IsPreprocessor).Count())
        {
            return null;
        }

        var kept = new Dictionary<string, int>();
        foreach (var comment in Inner(built, IsComment))
        {
            kept[comment.ToString()] = kept.TryGetValue(comment.ToString(), out int count) ? count + 1 : 1;
        }

        var dropped = new List<SyntaxTrivia>();
        foreach (var comment in Inner(log, IsComment))
        {
            if (kept.TryGetValue(comment.ToString(), out int count) && count > 0)
            {
                kept[comment.ToString()] = count - 1;
            }
            else
            {
                dropped.Add(comment);
            }
        }

        if (dropped.Count == 0)
        {
            return built;
        }

        var leading = new List<SyntaxTrivia>(built.GetLeadingTrivia());
        SourceText? text = null;
        foreach (var comment in dropped)
        {
            leading.Add(comment);
            if (comment.IsKind(SyntaxKind.SingleLineCommentTrivia))
            {
                text ??= comment.SyntaxTree?.GetText();
                leading.Add(SyntaxFactory.EndOfLine(LineBreakAfter(comment, text)));
                leading.Add(SyntaxFactory.Whitespace(IndentationAfter(comment, text)));
            }
            else
            {
                leading.Add(SyntaxFactory.Space);
            }
        }

        return built.WithLeadingTrivia(leading);
    }

    /// <summary>The trivia inside <paramref name="node"/>'s span (not the trivia around it, which the rewrite keeps) that <paramref name="kind"/> accepts.</summary>
    private static IEnumerable<SyntaxTrivia> Inner(SyntaxNode node, System.Func<SyntaxTrivia, bool> kind) =>
        node.DescendantTrivia().Where(t => kind(t) && node.Span.Contains(t.Span));

    private static bool IsComment(SyntaxTrivia trivia) =>
        trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia);

    private static bool IsPreprocessor(SyntaxTrivia trivia) => trivia.IsDirective || trivia.IsKind(SyntaxKind.DisabledTextTrivia);

    private static string LineBreakAfter(SyntaxTrivia comment, SourceText? text)
    {
        if (text is not null)
        {
            var line = text.Lines.GetLineFromPosition(comment.SpanStart);
            if (line.EndIncludingLineBreak > line.End)
            {
                return text.ToString(TextSpan.FromBounds(line.End, line.EndIncludingLineBreak));
            }
        }

        return "\n";
    }

    private static string IndentationAfter(SyntaxTrivia comment, SourceText? text)
    {
        if (text is null)
        {
            return "";
        }

        var line = text.Lines.GetLineFromPosition(comment.SpanStart);
        if (line.LineNumber + 1 >= text.Lines.Count)
        {
            return "";
        }

        string next = text.Lines[line.LineNumber + 1].ToString();
        return next.Substring(0, next.Length - next.TrimStart().Length);
    }

    /// <summary>Between the parentheses of <paramref name="list"/>, the trivia after "(" and before ")" included.</summary>
    private static TextSpan Inside(ArgumentListSyntax list) => TextSpan.FromBounds(
        list.OpenParenToken.Span.End, System.Math.Max(list.OpenParenToken.Span.End, list.CloseParenToken.SpanStart));

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
