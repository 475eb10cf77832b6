using System.CodeDom.Compiler;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using AutoDiff.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generators;

/// <summary>
/// Translates the body of a declared function or rule into the same computation on a whole vector of lanes, as text
/// in which <see cref="VectorClass"/> stands for <c>Vector512</c> or <c>Vector256</c>. Only constructs whose vector form
/// computes what the scalar one does in every lane are translated; anything else makes the whole body untranslatable
/// (<see langword="null"/>), and the kernel keeps its scalar loop.
/// </summary>
/// <remarks>
/// <para>Translated: <c>double</c> and <c>bool</c> constants; the method's parameters; <c>+ − * /</c> and unary <c>−</c>
/// on doubles; comparisons (to lane masks), <c>&amp;&amp; || &amp; | !</c> on them and <c>c ? a : b</c> (to
/// <c>ConditionalSelect</c>); <c>Math.Abs, Sqrt, Max, Min, Floor, Ceiling, FusedMultiplyAdd</c> (exact);
/// <c>Math.Sin, Cos</c> (within 2 ulp of <c>Math</c> on .NET 10); <c>Math.Exp(x)</c> and <c>Math.Log(x)</c> (to the
/// runtime's <c>VectorMath.Exp</c> and <c>VectorMath.Log</c>, within 1 ulp of <c>Math</c>'s: the .NET 10 vector log is up
/// to 3 ulp off, its vector exp up to 2); <c>double.IsNaN, IsInfinity,
/// IsPositiveInfinity, IsNegativeInfinity</c>; calls to other <c>[Differentiable]</c> functions of the same class with one
/// or two inputs (through <c>KernelVectors.Value</c>, which runs the callee's scalar body lane by lane when it has no
/// vector body). A Math call whose arguments are all constants is the scalar call, broadcast. A block body may declare <c>double</c> or <c>bool</c> locals, and return early with
/// <c>if (c) return a;</c> (with or without <c>else</c>): the branches are computed and the results selected lane by
/// lane (an early return's value only when some lane of the vector takes it), which is safe because the translated
/// constructs have no side effects.</para>
/// <para>Not translated: <c>Math.Log(x, b)</c>, <c>Math.Pow</c>,
/// <c>Math.Tanh</c> and other functions without an accurate vector form; loops, assignments, other statements; calls
/// to anything else.</para>
/// </remarks>
internal static class VectorTranslator
{
    /// <summary>The placeholder for the static vector class (<c>Vector512</c> or <c>Vector256</c>) in translated text.</summary>
    public const string VectorClass = "$V$";

    /// <summary>
    /// Marks an expensive call in translated text (<c>$C$Log(x)</c>, <c>$C$Exp(x)</c>, <c>$C$Value&lt;K&gt;(x)</c>): written
    /// as the call to <c>VectorMath</c> or <c>KernelVectors</c>, or as the same call through a kernel's call cache
    /// (<see cref="CallSites"/>).
    /// </summary>
    public const string CachedCall = "$C$";

    private const string DifferentiableAttributeName = "AutoDiff.DifferentiableAttribute";

    // Functions whose vector form equals the scalar one exactly, or within 2 ulp (Sin, Cos; measured on .NET 10).
    private static readonly HashSet<string> MathFunctions =
        ["Abs", "Sqrt", "Max", "Min", "Floor", "Ceiling", "FusedMultiplyAdd", "Sin", "Cos"];

    // One-argument functions with a vector form in the runtime's VectorMath, within 1 ulp of Math's: the .NET 10
    // Vector512/256.Log is up to 3 ulp off, and .NET's vector Exp up to 2 ulp, which Log1p(Exp(−|x|)) amplifies.
    private static readonly HashSet<string> VectorMathFunctions = ["Exp", "Log"];

    private static readonly HashSet<string> DoublePredicates = ["IsNaN", "IsInfinity", "IsPositiveInfinity", "IsNegativeInfinity"];

    /// <summary>The translated body (statements separated by '\n', the last one a <c>return</c>), or <see langword="null"/>.</summary>
    public static string? Translate(IMethodSymbol method, SemanticModel? semanticModel, CancellationToken cancellationToken)
    {
        if (method.IsGenericMethod
            || method.ReturnType.SpecialType != SpecialType.System_Double
            || method.ReturnsByRef
            || method.ReturnsByRefReadonly
            || method.Parameters.Any(p => p.Type.SpecialType != SpecialType.System_Double || p.RefKind != RefKind.None)
            || MethodBodies.Of(method, semanticModel, cancellationToken) is not { } body)
        {
            return null;
        }

        var translator = new Translation(method);
        return (body.ExpressionBody ?? body.BlockBody) is { } block ? translator.Block(block) : null;
    }

    /// <summary>
    /// The rule's split into numerator and divisor when its body is one quotient <c>n / v</c> of a translatable
    /// numerator by one of its parameters (<see cref="QuotientModel"/>), else <see langword="null"/>. The emitter uses it
    /// only beside the rule's whole vector body (<see cref="Translate"/>), which checks the signature.
    /// </summary>
    public static QuotientModel? TranslateQuotient(IMethodSymbol method, SemanticModel? semanticModel, CancellationToken cancellationToken)
    {
        if (MethodBodies.Of(method, semanticModel, cancellationToken) is not { } body
            || (body.ExpressionBody ?? body.BlockBody) is not { Operations.Length: 1 } block
            || block.Operations[0] is not IReturnOperation { ReturnedValue: { } returned }
            || WithoutConversion(returned) is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide, OperatorMethod: null } quotient
            || WithoutConversion(quotient.RightOperand) is not IParameterReferenceOperation divisor
            || !SymbolEqualityComparer.Default.Equals(divisor.Parameter.ContainingSymbol, method)
            || new Translation(method).Expression(quotient.LeftOperand) is not { Mask: false } numerator)
        {
            return null;
        }

        return new QuotientModel("return " + numerator.Text + ";", divisor.Parameter.Name);
    }

    private static IOperation WithoutConversion(IOperation operation) =>
        operation is IConversionOperation { IsImplicit: true, Type.SpecialType: SpecialType.System_Double, Operand.Type.SpecialType: SpecialType.System_Double } conversion
            ? conversion.Operand
            : operation;

    private sealed class Translation(IMethodSymbol method)
    {
        private readonly Dictionary<string, bool> _locals = [];

        public string? Block(IBlockOperation block)
        {
            var lines = new List<string>();
            var guards = new List<(string Condition, string Value)>();
            string? final = null;
            foreach (IOperation statement in block.Operations)
            {
                if (final is not null)
                {
                    return null;
                }

                switch (statement)
                {
                    case IVariableDeclarationGroupOperation group:
                        foreach (IVariableDeclarationOperation declaration in group.Declarations)
                        {
                            foreach (IVariableDeclaratorOperation declarator in declaration.Declarators)
                            {
                                ILocalSymbol local = declarator.Symbol;
                                bool mask = local.Type.SpecialType == SpecialType.System_Boolean;
                                if (!mask && local.Type.SpecialType != SpecialType.System_Double
                                    || local.IsRef
                                    || _locals.ContainsKey(local.Name)
                                    || (declarator.Initializer ?? declaration.Initializer)?.Value is not { } initializer
                                    || Expression(initializer) is not { } value
                                    || value.Mask != mask)
                                {
                                    return null;
                                }

                                _locals.Add(local.Name, mask);
                                lines.Add($"var {LocalName(local.Name)} = {value.Text};");
                            }
                        }

                        break;

                    case IConditionalOperation branch:
                        if (Expression(branch.Condition) is not { Mask: true } condition || Returned(branch.WhenTrue) is not { } whenTrue)
                        {
                            return null;
                        }

                        guards.Add((condition.Text, whenTrue));
                        if (branch.WhenFalse is not null)
                        {
                            final = Returned(branch.WhenFalse);
                            if (final is null)
                            {
                                return null;
                            }
                        }

                        break;

                    case IReturnOperation:
                        final = Returned(statement);
                        if (final is null)
                        {
                            return null;
                        }

                        break;

                    default:
                        return null;
                }
            }

            if (final is null)
            {
                return null;
            }

            // Early returns become selects, innermost last. The rest is kept in a local and an early return's value is
            // only computed when some lane takes it: these are mostly special cases (Log1p's overflow guard calls Log
            // again), so a whole vector usually skips them.
            for (int i = guards.Count - 1; i >= 0; i--)
            {
                string condition = FreshLocal("when" + i), rest = FreshLocal("rest" + i);
                lines.Add($"var {condition} = {guards[i].Condition};");
                lines.Add($"var {rest} = {final};");
                final = $"({VectorClass}.EqualsAll({condition}, {VectorClass}<double>.Zero) ? {rest} : "
                    + $"{VectorClass}.ConditionalSelect({condition}, {guards[i].Value}, {rest}))";
            }

            lines.Add("return " + final + ";");
            return string.Join("\n", lines);
        }

        // The value of `return e;`, or of a block that is only that statement.
        private string? Returned(IOperation? statement) => statement switch
        {
            IReturnOperation { ReturnedValue: { } value } => Expression(value) is { Mask: false } code ? code.Text : null,
            IBlockOperation { Operations.Length: 1, Locals.Length: 0 } block => Returned(block.Operations[0]),
            _ => null,
        };

        public (string Text, bool Mask)? Expression(IOperation operation)
        {
            if (operation.ConstantValue is { HasValue: true, Value: var constant })
            {
                return constant switch
                {
                    bool b => (b ? $"{VectorClass}<double>.AllBitsSet" : $"{VectorClass}<double>.Zero", true),
                    double or float or int or long or short or sbyte or byte or uint or ulong or ushort or char =>
                        ($"{VectorClass}.Create({Literal(System.Convert.ToDouble(constant, CultureInfo.InvariantCulture))})", false),
                    _ => null,
                };
            }

            switch (operation)
            {
                case IConversionOperation { IsImplicit: true, Type.SpecialType: SpecialType.System_Double, Operand.Type.SpecialType: SpecialType.System_Double } conversion:
                    return Expression(conversion.Operand);

                case IParameterReferenceOperation parameter
                    when SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, method):
                    return (Emitter.Escape(parameter.Parameter.Name), false);

                case ILocalReferenceOperation local when _locals.TryGetValue(local.Local.Name, out bool mask):
                    return (LocalName(local.Local.Name), mask);

                case IUnaryOperation { OperatorMethod: null } unary:
                    return Expression(unary.Operand) is not { } operand
                        ? null
                        : (unary.OperatorKind, operand.Mask) switch
                        {
                            (UnaryOperatorKind.Minus, false) => ($"(-{operand.Text})", false),
                            (UnaryOperatorKind.Plus, false) => operand,
                            (UnaryOperatorKind.Not, true) => ($"(~{operand.Text})", true),
                            _ => null,
                        };

                case IBinaryOperation { OperatorMethod: null } binary:
                    if (Expression(binary.LeftOperand) is not { } left || Expression(binary.RightOperand) is not { } right || left.Mask != right.Mask)
                    {
                        return null;
                    }

                    string l = left.Text, r = right.Text, v = VectorClass;
                    return (binary.OperatorKind, left.Mask) switch
                    {
                        (BinaryOperatorKind.Add, false) => ($"({l} + {r})", false),
                        (BinaryOperatorKind.Subtract, false) => ($"({l} - {r})", false),
                        (BinaryOperatorKind.Multiply, false) => ($"({l} * {r})", false),
                        (BinaryOperatorKind.Divide, false) => ($"({l} / {r})", false),
                        (BinaryOperatorKind.Equals, false) => ($"{v}.Equals({l}, {r})", true),
                        (BinaryOperatorKind.NotEquals, false) => ($"(~{v}.Equals({l}, {r}))", true),
                        (BinaryOperatorKind.LessThan, false) => ($"{v}.LessThan({l}, {r})", true),
                        (BinaryOperatorKind.LessThanOrEqual, false) => ($"{v}.LessThanOrEqual({l}, {r})", true),
                        (BinaryOperatorKind.GreaterThan, false) => ($"{v}.GreaterThan({l}, {r})", true),
                        (BinaryOperatorKind.GreaterThanOrEqual, false) => ($"{v}.GreaterThanOrEqual({l}, {r})", true),
                        (BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And, true) => ($"({l} & {r})", true),
                        (BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.Or, true) => ($"({l} | {r})", true),
                        _ => null,
                    };

                case IConditionalOperation { WhenFalse: { } whenFalse } conditional when conditional.Type is not null:
                    if (Expression(conditional.Condition) is not { Mask: true } condition
                        || Expression(conditional.WhenTrue) is not { } whenTrue
                        || Expression(whenFalse) is not { } otherwise
                        || whenTrue.Mask != otherwise.Mask)
                    {
                        return null;
                    }

                    return ($"{VectorClass}.ConditionalSelect({condition.Text}, {whenTrue.Text}, {otherwise.Text})", whenTrue.Mask);

                case IInvocationOperation { Instance: null } invocation:
                    return Call(invocation);

                default:
                    return null;
            }
        }

        private (string Text, bool Mask)? Call(IInvocationOperation invocation)
        {
            IMethodSymbol target = invocation.TargetMethod;
            if (!target.IsStatic
                || target.IsGenericMethod
                || target.Parameters.Any(p => p.Type.SpecialType != SpecialType.System_Double || p.RefKind != RefKind.None))
            {
                return null;
            }

            var arguments = new List<string>();
            foreach (IArgumentOperation argument in invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? -1))
            {
                if (argument.ArgumentKind != ArgumentKind.Explicit || Expression(argument.Value) is not { Mask: false } value)
                {
                    return null;
                }

                arguments.Add(value.Text);
            }

            string list = string.Join(", ", arguments);
            bool returnsDouble = target.ReturnType.SpecialType == SpecialType.System_Double;
            string containing = target.ContainingType.ToDisplayString();

            // A Math function of constants (Math.Log(2 * Math.PI)) is the same in every lane: the scalar call, broadcast,
            // which the JIT folds or hoists, rather than a vector evaluation per block. It is also exactly the scalar
            // function's value, where the vector forms may differ by an ulp.
            if (containing == "System.Math" && returnsDouble && (MathFunctions.Contains(target.Name) || VectorMathFunctions.Contains(target.Name))
                && invocation.Arguments.All(a => a.Value.ConstantValue.HasValue))
            {
                string constants = string.Join(", ", invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? -1)
                    .Select(a => Literal(System.Convert.ToDouble(a.Value.ConstantValue.Value, CultureInfo.InvariantCulture))));
                return ($"{VectorClass}.Create(global::System.Math.{target.Name}({constants}))", false);
            }
            if (containing == "System.Math" && returnsDouble && MathFunctions.Contains(target.Name))
            {
                return ($"{VectorClass}.{target.Name}({list})", false);
            }

            // Math.Exp and Math.Log: the runtime's own (fdlibm's, within 1 ulp of Math's), not .NET's vector forms.
            if (containing == "System.Math" && returnsDouble && VectorMathFunctions.Contains(target.Name) && target.Parameters.Length == 1)
            {
                return ($"{CachedCall}{target.Name}({list})", false);
            }

            if (target.ContainingType.SpecialType == SpecialType.System_Double
                && target.ReturnType.SpecialType == SpecialType.System_Boolean
                && DoublePredicates.Contains(target.Name))
            {
                return ($"{VectorClass}.{target.Name}({list})", true);
            }

            // Another declared function of this class: its kernel struct is a private member of the same class.
            if (SymbolEqualityComparer.Default.Equals(target.ContainingType, method.ContainingType)
                && returnsDouble
                && target.Parameters.Length is 1 or 2
                && target.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == DifferentiableAttributeName))
            {
                return ($"{CachedCall}Value<{TensorEmitter.KernelName(target.Name)}>({list})", false);
            }

            return null;
        }

        private static string LocalName(string name) => "__" + name;

        // A name for a generated local that no declared local's name maps to.
        private string FreshLocal(string name)
        {
            while (_locals.ContainsKey(name))
            {
                name = "_" + name;
            }

            _locals.Add(name, false);
            return LocalName(name);
        }

        private static string Literal(double value)
        {
            if (double.IsNaN(value))
            {
                return "double.NaN";
            }

            if (double.IsInfinity(value))
            {
                return value > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
            }

            string text = value.ToString("R", CultureInfo.InvariantCulture);
            if (double.Parse(text, CultureInfo.InvariantCulture) != value)
            {
                text = value.ToString("G17", CultureInfo.InvariantCulture);
            }

            if (value == 0.0 && 1.0 / value < 0)
            {
                return "-0.0";
            }

            return text.IndexOfAny(['.', 'E', 'e']) >= 0 ? text : text + ".0";
        }
    }
}
