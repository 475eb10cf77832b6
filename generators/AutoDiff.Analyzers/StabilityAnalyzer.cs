using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Analyzers;

/// <summary>
/// Flags <c>Ops.Log</c> applied to a composition that has a stable op of its own: <c>Log(Sigmoid(x))</c>,
/// <c>Log(1 - Sigmoid(x))</c>, <c>Log(1 + Exp(x))</c> and <c>Log(Sum(Exp(x)))</c>; and <c>Ops.Log1p(Exp(x))</c>. Matching is on bound symbols, so any
/// overload (double, Var, Tensor) and any way of naming the op (<c>Ops.Log</c>, <c>using static AutoDiff.Ops</c>, an
/// alias) is recognised, and <c>Math.Log</c> or a user's own <c>Log</c> never is.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class StabilityAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        StabilityDiagnostics.LogOfSigmoid,
        StabilityDiagnostics.LogOfOneMinusSigmoid,
        StabilityDiagnostics.LogOfOnePlusExp,
        StabilityDiagnostics.LogOfSumOfExp,
        StabilityDiagnostics.Log1pOfExp);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var ops = start.Compilation.GetTypeByMetadataName("AutoDiff.Ops");
            if (ops is null)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeInvocation(c, ops), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, INamedTypeSymbol ops)
    {
        var log = (IInvocationOperation)context.Operation;
        if (log.Syntax is not InvocationExpressionSyntax logSyntax)
        {
            return;
        }

        if (IsOp(log, ops, "Log1p") && log.Arguments.Length == 1 && ExpCall(log.Arguments[0].Value, ops) is { } exp1)
        {
            Report(context, StabilityDiagnostics.Log1pOfExp, logSyntax, exp1);
            return;
        }

        if (!IsOp(log, ops, "Log") || log.Arguments.Length != 1)
        {
            return;
        }

        var inner = Unwrap(log.Arguments[0].Value);
        if (inner is IInvocationOperation sigmoid && IsOp(sigmoid, ops, "Sigmoid"))
        {
            Report(context, StabilityDiagnostics.LogOfSigmoid, logSyntax, sigmoid);
        }
        else if (inner is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } minus
                 && IsOne(minus.LeftOperand)
                 && Unwrap(minus.RightOperand) is IInvocationOperation right
                 && IsOp(right, ops, "Sigmoid"))
        {
            ReportOneMinusSigmoid(context, logSyntax, right);
        }
        else if (inner is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } sum1
                 && ((IsOne(sum1.LeftOperand) ? NegatedSigmoid(sum1.RightOperand, ops) : null)
                     ?? (IsOne(sum1.RightOperand) ? NegatedSigmoid(sum1.LeftOperand, ops) : null)) is { } negated)
        {
            // 1 + (−σ(x)) and −σ(x) + 1: the same cancellation, spelled as a sum.
            ReportOneMinusSigmoid(context, logSyntax, negated);
        }
        else if (inner is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } plus
                 && ((IsOne(plus.LeftOperand) ? ExpCall(plus.RightOperand, ops) : null)
                     ?? (IsOne(plus.RightOperand) ? ExpCall(plus.LeftOperand, ops) : null)) is { } exp)
        {
            Report(context, StabilityDiagnostics.LogOfOnePlusExp, logSyntax, exp);
        }
        else if (inner is IInvocationOperation sum && IsOp(sum, ops, "Sum"))
        {
            AnalyzeSum(context, sum, ops, logSyntax);
        }
    }

    private static void AnalyzeSum(OperationAnalysisContext context, IInvocationOperation sum, INamedTypeSymbol ops, InvocationExpressionSyntax log)
    {
        var parameters = sum.TargetMethod.Parameters;
        if (parameters.Length == 0 || sum.Syntax is not InvocationExpressionSyntax syntax)
        {
            return;
        }

        if (parameters[0].IsParams)
        {
            // Sum(params ReadOnlySpan<Var>) written out: every element must be an Exp. Sum(span) or Sum(IEnumerable) of
            // something else is left alone: what it holds is not visible here.
            var arguments = syntax.ArgumentList.Arguments;
            if (arguments.Count == 0 || sum.SemanticModel is null)
            {
                return;
            }

            // Sum([Exp(a), Exp(b)]): a collection expression for the span, its elements read as the arguments.
            var terms = arguments.Count == 1 && arguments[0].NameColon is null && arguments[0].Expression is CollectionExpressionSyntax collection
                ? collection.Elements.Select(e => (e as ExpressionElementSyntax)?.Expression).ToList()
                : arguments.Select(a => a.NameColon is null ? a.Expression : null).ToList();
            if (terms.Count == 0)
            {
                return;
            }

            foreach (var term in terms)
            {
                if (term is null || !IsExp(sum.SemanticModel.GetOperation(term, context.CancellationToken), ops))
                {
                    return;
                }
            }

            ReportSum(context, log, syntax, fixable: true);
            return;
        }

        // Sum(Tensor) or Sum(Tensor, axis, keepDims): the summed tensor must be an Exp.
        IArgumentOperation? source = null;
        foreach (var argument in sum.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0)
            {
                source = argument;
            }
        }

        if (source is null || !IsExp(source.Value, ops))
        {
            return;
        }

        int index = source.Syntax is ArgumentSyntax written ? syntax.ArgumentList.Arguments.IndexOf(written) : -1;
        if (parameters.Length == 1)
        {
            ReportSum(context, log, syntax, fixable: true);
        }
        else if (index == 0 && syntax.ArgumentList.Arguments[0].NameColon is null)
        {
            ReportSum(context, log, syntax, fixable: true);
        }
        else
        {
            // Named arguments out of order (Sum(axis: 1, x: Exp(t))) carry over as written when a LogSumExp has Sum's
            // parameter names; the fix then needs to know which argument is the Exp.
            bool fixable = index >= 0 && HasSameParameterNames(ops, "LogSumExp", parameters);
            ReportSum(context, log, syntax, fixable, index, fixable ? null : ExpArgumentText(source.Value) + ", axis, keepDims");
        }
    }

    private static bool HasSameParameterNames(INamedTypeSymbol ops, string name, ImmutableArray<IParameterSymbol> parameters)
    {
        foreach (var member in ops.GetMembers(name))
        {
            if (member is IMethodSymbol method && method.Parameters.Length == parameters.Length)
            {
                bool same = true;
                for (int i = 0; i < parameters.Length; i++)
                {
                    same &= method.Parameters[i].Name == parameters[i].Name;
                }

                if (same)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Reports AD2004 on <paramref name="log"/> of <paramref name="sum"/>; <paramref name="unfixable"/>, for a diagnostic
    /// without a fix, the arguments of the <c>LogSumExp</c> its message names instead of the fix's.
    /// </summary>
    private static void ReportSum(
        OperationAnalysisContext context, InvocationExpressionSyntax log, InvocationExpressionSyntax sum, bool fixable, int source = 0, string? unfixable = null)
    {
        var properties = ImmutableDictionary<string, string?>.Empty;
        if (!fixable)
        {
            properties = properties.Add(StabilityDiagnostics.NoFixProperty, "true");
        }
        else if (source != 0)
        {
            properties = properties.Add(StabilityDiagnostics.SourceArgumentProperty, source.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var arguments = StabilityRewriter.MessageArguments(
            StabilityDiagnostics.LogOfSumOfExpId, log, sum, fixable ? source : 0, integerArgument: false, unfixable is null ? null : "LogSumExp(" + unfixable + ")");
        context.ReportDiagnostic(Diagnostic.Create(StabilityDiagnostics.LogOfSumOfExp, log.GetLocation(), properties, arguments));
    }

    /// <summary>
    /// Reports <paramref name="descriptor"/> on <paramref name="log"/>, its message naming the arguments of
    /// <paramref name="inner"/> (σ or Exp) and the call the fix writes.
    /// </summary>
    private static void Report(
        OperationAnalysisContext context, DiagnosticDescriptor descriptor, InvocationExpressionSyntax log, IInvocationOperation inner,
        ImmutableDictionary<string, string?>? properties = null, bool integerArgument = false)
    {
        if (inner.Syntax is not InvocationExpressionSyntax innerSyntax)
        {
            return;
        }

        var arguments = StabilityRewriter.MessageArguments(descriptor.Id, log, innerSyntax, source: 0, integerArgument);
        context.ReportDiagnostic(Diagnostic.Create(descriptor, log.GetLocation(), properties, arguments));
    }

    /// <summary>The text of the argument of the <c>Exp</c> call <paramref name="operation"/> is, for a message.</summary>
    private static string ExpArgumentText(IOperation operation) =>
        Unwrap(operation)?.Syntax is InvocationExpressionSyntax exp
            ? StabilityRewriter.ArgumentsText(exp.ArgumentList.Arguments)
            : "x";

    private static bool IsOp(IInvocationOperation invocation, INamedTypeSymbol ops, string name) =>
        invocation.TargetMethod.Name == name
        && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, ops);

    private static IInvocationOperation? NegatedSigmoid(IOperation operation, INamedTypeSymbol ops) =>
        Unwrap(operation) is IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus } negation
        && Unwrap(negation.Operand) is IInvocationOperation sigmoid
        && IsOp(sigmoid, ops, "Sigmoid")
            ? sigmoid
            : null;

    // The fix negates σ's argument; an integer one (Sigmoid(k), k converted to double) must be negated as a double:
    // −k does not compile for a ulong and wraps for int.MinValue.
    private static void ReportOneMinusSigmoid(OperationAnalysisContext context, InvocationExpressionSyntax log, IInvocationOperation sigmoid)
    {
        var properties = ImmutableDictionary<string, string?>.Empty;
        if (sigmoid.Arguments.Length == 1
            && sigmoid.Arguments[0].Value is IConversionOperation { IsImplicit: true, Operand.Type: { } from }
            && from.SpecialType is >= SpecialType.System_SByte and <= SpecialType.System_UInt64 or SpecialType.System_Char)
        {
            properties = properties.Add(StabilityDiagnostics.IntegerArgumentProperty, "true");
        }

        Report(context, StabilityDiagnostics.LogOfOneMinusSigmoid, log, sigmoid, properties, properties.ContainsKey(StabilityDiagnostics.IntegerArgumentProperty));
    }

    private static bool IsExp(IOperation? operation, INamedTypeSymbol ops) => ExpCall(operation, ops) is not null;

    private static IInvocationOperation? ExpCall(IOperation? operation, INamedTypeSymbol ops) =>
        Unwrap(operation) is IInvocationOperation exp && IsOp(exp, ops, "Exp") && exp.Arguments.Length == 1 ? exp : null;

    /// <summary>A literal 1 (1, 1.0, 1d, …), possibly implicitly converted to double or Var.</summary>
    private static bool IsOne(IOperation operation) =>
        Unwrap(operation) is ILiteralOperation { ConstantValue: { HasValue: true, Value: { } value } }
        && value is int or long or float or double or decimal
        && Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) == 1.0;

    /// <summary>Strips implicit conversions (int → double, double → Var): they do not change what is computed.</summary>
    private static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
