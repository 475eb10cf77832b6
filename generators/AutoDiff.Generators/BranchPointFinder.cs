using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using AutoDiff.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generators;

/// <summary>
/// Finds where a method's body branches on an input: every comparison of a parameter with a constant (<c>x &lt; 20</c>,
/// <c>0.0 &gt;= p</c>). The declared-op sweep tests both sides of each, so a rule that is wrong on one side of a
/// conditional is caught there.
/// </summary>
internal static class BranchPointFinder
{
    /// <summary>The (parameter, constant) pairs compared in <paramref name="method"/>'s body, in source order, without repeats.</summary>
    public static EquatableArray<BranchPoint> Find(IMethodSymbol method, SemanticModel? semanticModel, CancellationToken cancellationToken)
    {
        if (MethodBodies.Of(method, semanticModel, cancellationToken) is not { } body)
        {
            return EquatableArray<BranchPoint>.Empty;
        }

        var found = new List<BranchPoint>();
        foreach (IBinaryOperation comparison in body.Descendants().OfType<IBinaryOperation>())
        {
            if (comparison.OperatorKind is not (BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
                or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual
                or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals))
            {
                continue;
            }

            var point = Match(comparison.LeftOperand, comparison.RightOperand, method) ?? Match(comparison.RightOperand, comparison.LeftOperand, method);
            if (point is not null && !found.Contains(point))
            {
                found.Add(point);
            }
        }

        return found.ToEquatableArray();
    }

    private static BranchPoint? Match(IOperation side, IOperation other, IMethodSymbol method)
    {
        while (side is IConversionOperation { IsImplicit: true } conversion)
        {
            side = conversion.Operand;
        }

        if (side is not IParameterReferenceOperation { Parameter: var parameter }
            || !SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method)
            || other.ConstantValue is not { HasValue: true, Value: { } constant }
            || constant is bool or string)
        {
            return null;
        }

        double value = System.Convert.ToDouble(constant, CultureInfo.InvariantCulture);
        return double.IsNaN(value) || double.IsInfinity(value) ? null : new BranchPoint(parameter.Name, value);
    }
}
