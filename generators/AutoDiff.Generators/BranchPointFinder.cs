using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using AutoDiff.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generators;

/// <summary>
/// Finds where a method's body branches on its inputs: every comparison whose two sides can be solved by hand for one
/// input or for a line in the plane of two. One side is an affine form a₁·p₁ + … + aₙ·pₙ + b of parameters with constant
/// coefficients (a constant among them), the other that, or its magnitude, or an affine form of its magnitude, and the
/// comparison is solved as their difference = 0. Of one parameter it marks a point: the parameter itself (<c>x &lt; 20</c>,
/// <c>0.0 &gt;= p</c>), its magnitude (<c>Math.Abs(r) &lt;= 5</c> branches at r = ±5), and affine forms of either
/// (<c>x - c &gt; 0</c>, <c>2 * Math.Abs(r - 1) &lt; 3</c>). Of two parameters it marks a line x = s·y + o, x the one declared
/// first (<c>x &lt; y</c> is x = y, <c>2 * x &lt;= y + 1</c> is x = ½y + ½, <c>Math.Abs(x - y) &lt; 1</c> is x = y ± 1).
/// Kinks written without a comparison are equations too: <c>Math.Max(a, b)</c> and <c>Math.Min(a, b)</c> at a = b,
/// <c>Math.Abs(u)</c> and <c>Math.Sign(u)</c> at u = 0, <c>Math.Clamp(v, lo, hi)</c> at v = lo and v = hi.
/// It reads constants, <c>const</c> fields and locals, and locals initialized once and never written again, an integer
/// division of integers truncating as C#'s does. The
/// declared-op sweep tests both sides of each, so a rule that is wrong on one side of a conditional is caught there.
/// </summary>
internal static class BranchPointFinder
{
    // A person's affine form is a few operations deep; the bound only stops a walk through a long chain of locals.
    private const int MaxDepth = 16;

    /// <summary>
    /// The (parameter, constant) pairs and the lines of two parameters compared in <paramref name="method"/>'s body, in
    /// source order, without repeats.
    /// </summary>
    public static (EquatableArray<BranchPoint> Points, EquatableArray<BranchSurface> Surfaces) Find(
        IMethodSymbol method, SemanticModel? semanticModel, CancellationToken cancellationToken)
    {
        if (MethodBodies.Of(method, semanticModel, cancellationToken) is not { } body)
        {
            return (EquatableArray<BranchPoint>.Empty, EquatableArray<BranchSurface>.Empty);
        }

        var found = new Found(method, body);
        foreach (IOperation operation in body.Descendants())
        {
            switch (operation)
            {
                case IBinaryOperation
                {
                    OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan
                        or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals,
                } comparison:
                    Equate(comparison.LeftOperand, comparison.RightOperand, found);
                    break;
                case IInvocationOperation { TargetMethod: { ContainingType: var type } target, Arguments: var arguments }
                    when type.ToDisplayString() == "System.Math":
                    // Kinks written without a comparison: Max and Min switch where their arguments are equal, Abs and Sign
                    // where their argument is 0, Clamp where its value meets a bound.
                    IOperation? Argument(int ordinal) => arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal)?.Value;
                    switch (target.Name, arguments.Length)
                    {
                        case ("Max" or "Min", 2):
                            Equate(Argument(0)!, Argument(1)!, found);
                            break;
                        case ("Abs" or "Sign", 1):
                            Solve(Argument(0)!, Affine.Const(0.0, found.Arity), found, 0);
                            break;
                        case ("Clamp", 3):
                            Equate(Argument(0)!, Argument(1)!, found);
                            Equate(Argument(0)!, Argument(2)!, found);
                            break;
                    }

                    break;
            }
        }

        return (found.Points.ToEquatableArray(), found.Surfaces.ToEquatableArray());
    }

    // Marks where two expressions are equal: each side is solved for the other's value (so x < 20 marks 20 with no
    // arithmetic, and x < y the line x = y).
    private static void Equate(IOperation leftOperand, IOperation rightOperand, Found found)
    {
        Affine? left = Evaluate(leftOperand, found, 0), right = Evaluate(rightOperand, found, 0);
        SolveEither(leftOperand, right, rightOperand, left, left, right, found, 0);
    }

    // Marks where `expression` equals `target`, an affine form of the parameters: a point where one parameter is left, a
    // line where two are. Nothing when the expression is not of a form solved here (a product of parameters, another
    // function, a magnitude equal to a non-constant).
    private static void Solve(IOperation expression, Affine target, Found found, int depth)
    {
        while (expression is IConversionOperation { IsImplicit: true } conversion)
        {
            expression = conversion.Operand;
        }

        if (depth > MaxDepth || !target.IsFinite)
        {
            return;
        }

        switch (expression)
        {
            case ILocalReferenceOperation { Local: var local } when InitializerIfNeverWritten(local, found.Body) is { } initializer:
                Solve(initializer, target, found, depth + 1);
                return;
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus, Operand: var negated }:
                Solve(negated, -target, found, depth + 1);
                return;
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Plus, Operand: var operand }:
                Solve(operand, target, found, depth + 1);
                return;
            case IInvocationOperation { TargetMethod: { Name: "Abs", ContainingType: var type }, Arguments: { Length: 1 } arguments }
                when type.ToDisplayString() == "System.Math":
                // |u| = t at u = ±t; a negative t is never reached, so the comparison does not branch. |u| = y is not affine.
                if (target.IsConstant && target.Constant >= 0.0)
                {
                    Solve(arguments[0].Value, target, found, depth + 1);
                    Solve(arguments[0].Value, -target, found, depth + 1);
                }

                return;
            case IBinaryOperation binary when !IsIntegral(binary.Type):
                // The operation inverted with its other operand known: x·c = t at x = t/c, x + y = t at x = t − y; a
                // product or quotient of two non-constant operands is not affine.
                Affine? right = Evaluate(binary.RightOperand, found, depth + 1), left = Evaluate(binary.LeftOperand, found, depth + 1);
                Affine? leftTarget = right is null ? null : binary.OperatorKind switch
                {
                    BinaryOperatorKind.Add => target - right,
                    BinaryOperatorKind.Subtract => target + right,
                    BinaryOperatorKind.Multiply when right.IsConstant && right.Constant != 0.0 => target / right.Constant,
                    BinaryOperatorKind.Divide when right.IsConstant && right.Constant != 0.0 => target * right.Constant,
                    _ => null,
                };
                Affine? rightTarget = left is null ? null : binary.OperatorKind switch
                {
                    BinaryOperatorKind.Add => target - left,
                    BinaryOperatorKind.Subtract => left - target,
                    BinaryOperatorKind.Multiply when left.IsConstant && left.Constant != 0.0 => target / left.Constant,
                    BinaryOperatorKind.Divide when left.IsConstant && target.IsConstant && target.Constant != 0.0
                        => Affine.Const(left.Constant / target.Constant, found.Arity),
                    _ => null,
                };
                SolveEither(binary.LeftOperand, leftTarget, binary.RightOperand, rightTarget, left, right, found, depth + 1);
                return;
            default:
                // A parameter, or a constant: what is left equals the target there.
                if (Evaluate(expression, found, depth + 1) is { } solved)
                {
                    found.Mark(solved - target);
                }

                return;
        }
    }

    // Solves one of two operands for its target (null where it cannot be), given both operands' affine values (null where
    // not affine): the one beside a constant first, so that a comparison with constants is inverted one constant at a time
    // as a person would (x < 20 marks 20, 2·x + 1 < 7 marks (7 − 1)/2), else the left.
    private static void SolveEither(IOperation left, Affine? leftTarget, IOperation right, Affine? rightTarget,
        Affine? leftValue, Affine? rightValue, Found found, int depth)
    {
        if (leftTarget is not null && (rightTarget is null || rightValue is { IsConstant: true } || leftValue is not { IsConstant: true }))
        {
            Solve(left, leftTarget, found, depth);
        }
        else if (rightTarget is not null)
        {
            Solve(right, rightTarget, found, depth);
        }
    }

    // `operation` as an affine form of the method's parameters with constant coefficients, or null when it is not one.
    private static Affine? Evaluate(IOperation operation, Found found, int depth)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        if (depth > MaxDepth)
        {
            return null;
        }

        if (Constant(operation) is { } constant)
        {
            return Affine.Const(constant, found.Arity);
        }

        switch (operation)
        {
            case IParameterReferenceOperation { Parameter: var parameter }
                when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, found.Method):
                return Affine.Of(parameter, found.Arity);
            case ILocalReferenceOperation { Local: var local } when InitializerIfNeverWritten(local, found.Body) is { } initializer:
                return Evaluate(initializer, found, depth + 1);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus, Operand: var negated }:
                return Evaluate(negated, found, depth + 1) is { } value ? -value : null;
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Plus, Operand: var operand }:
                return Evaluate(operand, found, depth + 1);
            case IBinaryOperation binary when Evaluate(binary.LeftOperand, found, depth + 1) is { } left
                && Evaluate(binary.RightOperand, found, depth + 1) is { } right:
                Affine? result = binary.OperatorKind switch
                {
                    BinaryOperatorKind.Add => left + right,
                    BinaryOperatorKind.Subtract => left - right,
                    BinaryOperatorKind.Multiply when left.IsConstant => right * left.Constant,
                    BinaryOperatorKind.Multiply when right.IsConstant => left * right.Constant,
                    // Integer division truncates (int n = 5; n / 2 is 2): of integer constants only, which is all an
                    // integer operand can be here (an input is a double).
                    BinaryOperatorKind.Divide when IsIntegral(binary.Type) => left.IsConstant && right.IsConstant && right.Constant != 0.0
                        && System.Math.Abs(left.Constant) < 9e18 && System.Math.Abs(right.Constant) < 9e18
                        ? Affine.Const((long)left.Constant / (long)right.Constant, found.Arity)
                        : null,
                    BinaryOperatorKind.Divide when right.IsConstant && right.Constant != 0.0 => left / right.Constant,
                    _ => null,
                };
                return result is { IsFinite: true } ? result : null;
            default:
                return null;
        }
    }

    // Whether arithmetic of this type is integer arithmetic (a division truncates).
    private static bool IsIntegral(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_SByte or SpecialType.System_Byte
        or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
        or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Char;

    // double.IsFinite, which netstandard2.0 lacks.
    private static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);

    // A compile-time numeric value (a literal, a const field or local, or arithmetic of them), else null.
    private static double? Constant(IOperation operation)
    {
        if (operation.ConstantValue is not { HasValue: true, Value: { } constant }
            || constant is not (double or float or int or long or short or sbyte or byte or ushort or uint or ulong or decimal))
        {
            return null;
        }

        double value = System.Convert.ToDouble(constant, CultureInfo.InvariantCulture);
        return IsFinite(value) ? value : null;
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

    /// <summary>What <see cref="BranchPointFinder"/> has marked in one method so far, and the method it reads.</summary>
    private sealed class Found(IMethodSymbol method, IOperation body)
    {
        public IMethodSymbol Method { get; } = method;

        public IOperation Body { get; } = body;

        public int Arity => Method.Parameters.Length;

        public List<BranchPoint> Points { get; } = [];

        public List<BranchSurface> Surfaces { get; } = [];

        /// <summary>
        /// Marks where <paramref name="equation"/> = 0: with one parameter left, a·p + b = 0 at p = −b/a; with two, the line
        /// a·p + c·q + b = 0 as p = (−c/a)·q − b/a, p the one declared first. None left (a comparison of constants, or of
        /// forms that cancel) or three: nothing.
        /// </summary>
        public void Mark(Affine equation)
        {
            int[] present = Enumerable.Range(0, Arity).Where(i => equation.Coefficients[i] != 0.0).ToArray();
            if (present.Length == 1)
            {
                // + 0.0 turns −0 (from a negated 0) into 0, so x < 0 and −x > 0 mark one point.
                double value = -equation.Constant / equation.Coefficients[present[0]] + 0.0;
                var point = new BranchPoint(Method.Parameters[present[0]].Name, value);
                if (IsFinite(value) && !Points.Contains(point))
                {
                    Points.Add(point);
                }
            }
            else if (present.Length == 2)
            {
                double a = equation.Coefficients[present[0]];
                double slope = -equation.Coefficients[present[1]] / a, offset = -equation.Constant / a + 0.0;
                var surface = new BranchSurface(Method.Parameters[present[0]].Name, Method.Parameters[present[1]].Name, slope, offset);
                if (IsFinite(slope) && slope != 0.0 && IsFinite(offset) && !Surfaces.Contains(surface))
                {
                    Surfaces.Add(surface);
                }
            }
        }
    }

    /// <summary>
    /// a₁·p₁ + … + aₙ·pₙ + b: an affine form of a method's parameters, <see cref="Coefficients"/>[i] the coefficient of the
    /// parameter of ordinal i.
    /// </summary>
    private sealed class Affine(double[] coefficients, double constant)
    {
        public double[] Coefficients { get; } = coefficients;

        public double Constant { get; } = constant;

        public bool IsConstant => Coefficients.All(c => c == 0.0);

        public bool IsFinite => BranchPointFinder.IsFinite(Constant) && Coefficients.All(BranchPointFinder.IsFinite);

        public static Affine Const(double value, int arity) => new(new double[arity], value);

        public static Affine Of(IParameterSymbol parameter, int arity)
        {
            var coefficients = new double[arity];
            coefficients[parameter.Ordinal] = 1.0;
            return new(coefficients, 0.0);
        }

        public static Affine operator +(Affine a, Affine b) => new(a.Coefficients.Zip(b.Coefficients, (x, y) => x + y).ToArray(), a.Constant + b.Constant);

        public static Affine operator -(Affine a, Affine b) => new(a.Coefficients.Zip(b.Coefficients, (x, y) => x - y).ToArray(), a.Constant - b.Constant);

        public static Affine operator -(Affine a) => new(a.Coefficients.Select(x => -x).ToArray(), -a.Constant);

        public static Affine operator *(Affine a, double c) => new(a.Coefficients.Select(x => x * c).ToArray(), a.Constant * c);

        public static Affine operator /(Affine a, double c) => new(a.Coefficients.Select(x => x / c).ToArray(), a.Constant / c);
    }
}
