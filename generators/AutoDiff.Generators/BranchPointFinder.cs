using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using AutoDiff.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generators;

/// <summary>
/// Finds where a method's body branches on an input: every comparison with a constant of an expression in one parameter
/// that can be solved for it by hand — the parameter itself (<c>x &lt; 20</c>, <c>0.0 &gt;= p</c>), its magnitude
/// (<c>Math.Abs(r) &lt;= 5</c> branches at r = ±5), and affine forms of either (<c>x - c &gt; 0</c>,
/// <c>2 * Math.Abs(r - 1) &lt; 3</c>), reading constants, <c>const</c> fields and locals, and locals initialized once and
/// never written again. The declared-op sweep tests both sides of each, so a rule that is wrong on one side of a
/// conditional is caught there.
/// </summary>
internal static class BranchPointFinder
{
    // A person's affine form is a few operations deep; the bound only stops a walk through a long chain of locals.
    private const int MaxDepth = 16;

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

            if (Constant(comparison.RightOperand) is { } right)
            {
                Solve(comparison.LeftOperand, right, method, body, found, 0);
            }
            else if (Constant(comparison.LeftOperand) is { } left)
            {
                Solve(comparison.RightOperand, left, method, body, found, 0);
            }
        }

        return found.ToEquatableArray();
    }

    // Adds the values of the one parameter in `expression` at which it equals `target`, or nothing when the expression is
    // not of a form solved here (two parameters, a product of them, another function).
    private static void Solve(IOperation expression, double target, IMethodSymbol method, IOperation body, List<BranchPoint> found, int depth)
    {
        while (expression is IConversionOperation { IsImplicit: true } conversion)
        {
            expression = conversion.Operand;
        }

        if (depth > MaxDepth || double.IsNaN(target) || double.IsInfinity(target))
        {
            return;
        }

        switch (expression)
        {
            case IParameterReferenceOperation { Parameter: var parameter }
                when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method):
                // + 0.0 turns −0 (from a negated 0) into 0, so x < 0 and −x > 0 mark one point.
                var point = new BranchPoint(parameter.Name, target + 0.0);
                if (!found.Contains(point))
                {
                    found.Add(point);
                }

                return;
            case ILocalReferenceOperation { Local: var local } when InitializerIfNeverWritten(local, body) is { } initializer:
                Solve(initializer, target, method, body, found, depth + 1);
                return;
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus, Operand: var negated }:
                Solve(negated, -target, method, body, found, depth + 1);
                return;
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Plus, Operand: var operand }:
                Solve(operand, target, method, body, found, depth + 1);
                return;
            case IInvocationOperation { TargetMethod: { Name: "Abs", ContainingType: var type }, Arguments: { Length: 1 } arguments }
                when type.ToDisplayString() == "System.Math":
                // |u| = t at u = ±t; a negative t is never reached, so the comparison does not branch.
                if (target >= 0.0)
                {
                    Solve(arguments[0].Value, target, method, body, found, depth + 1);
                    Solve(arguments[0].Value, -target, method, body, found, depth + 1);
                }

                return;
            case IBinaryOperation binary when Constant(binary.RightOperand) is { } c:
                double? inverse = binary.OperatorKind switch
                {
                    BinaryOperatorKind.Add => target - c,
                    BinaryOperatorKind.Subtract => target + c,
                    BinaryOperatorKind.Multiply when c != 0.0 => target / c,
                    BinaryOperatorKind.Divide when c != 0.0 => target * c,
                    _ => null,
                };
                if (inverse is { } left)
                {
                    Solve(binary.LeftOperand, left, method, body, found, depth + 1);
                }

                return;
            case IBinaryOperation binary when Constant(binary.LeftOperand) is { } c:
                double? solved = binary.OperatorKind switch
                {
                    BinaryOperatorKind.Add => target - c,
                    BinaryOperatorKind.Subtract => c - target,
                    BinaryOperatorKind.Multiply when c != 0.0 => target / c,
                    BinaryOperatorKind.Divide when target != 0.0 => c / target,
                    _ => null,
                };
                if (solved is { } right)
                {
                    Solve(binary.RightOperand, right, method, body, found, depth + 1);
                }

                return;
        }
    }

    // A compile-time numeric value (a literal, a const field or local, or arithmetic of them), else null.
    private static double? Constant(IOperation operation)
    {
        if (operation.ConstantValue is not { HasValue: true, Value: { } constant }
            || constant is not (double or float or int or long or short or sbyte or byte or ushort or uint or ulong or decimal))
        {
            return null;
        }

        double value = System.Convert.ToDouble(constant, CultureInfo.InvariantCulture);
        return double.IsNaN(value) || double.IsInfinity(value) ? null : value;
    }

    // A local stands for its initializer only when nothing else is ever stored in it; any other write (an assignment, ++,
    // a ref or out argument, a deconstruction) could change which side of the comparison a value lands on.
    private static IOperation? InitializerIfNeverWritten(ILocalSymbol local, IOperation body)
    {
        if (local.RefKind != RefKind.None)
        {
            return null;
        }

        IOperation? initializer = null;
        foreach (IOperation operation in body.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    initializer = declarator.Initializer?.Value;
                    break;
                case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, local) && IsWritten(reference):
                    return null;
            }
        }

        return initializer;
    }

    private static bool IsWritten(ILocalReferenceOperation reference) => reference.Parent switch
    {
        IAssignmentOperation assignment => assignment.Target == reference,
        IIncrementOrDecrementOperation => true,
        IArgumentOperation { Parameter.RefKind: not RefKind.None } => true,
        IDeclarationExpressionOperation or ITupleOperation => true,
        _ => reference.IsDeclaration,
    };
}
