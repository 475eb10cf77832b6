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
/// IsPositiveInfinity, IsNegativeInfinity</c>; calls to other <c>[Differentiable]</c> functions with one or two inputs,
/// of the same class or, through their public kernels, of a referenced assembly such as the library's <c>Ops.Softplus</c>
/// (<see cref="PublicKernels"/>; through <c>KernelVectors.Value</c>, which runs the callee's scalar body lane by lane
/// when it has no vector body). A Math call whose arguments are all constants is the scalar call, broadcast. A block body may declare <c>double</c> or <c>bool</c> locals, and return early with
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

    /// <summary>The <c>double</c> predicates a condition may call: each has a lane-mask form, and the symbolic
    /// differentiator reads them in the conditions of piecewise bodies and rules.</summary>
    internal static readonly HashSet<string> DoublePredicates = ["IsNaN", "IsInfinity", "IsPositiveInfinity", "IsNegativeInfinity"];

    /// <summary>The magnitude |x| of the input, a parameter of a body translated by <see cref="TranslateReflection"/>.</summary>
    public const string MagnitudeParameter = "__magnitude";

    /// <summary>The result f(−x) that a rule's reflection reads where the rule reads <c>result</c>.</summary>
    public const string ReflectedResultParameter = "__reflectedResult";

    /// <summary>The outputs of a body translated by <see cref="TranslateReflection"/>: its value at x, and at −x.</summary>
    public static readonly (string AtX, string AtMinusX) ReflectionOutputs = ("__atX", "__atMinusX");

    /// <summary>The translated body (statements separated by '\n', the last one a <c>return</c>), or <see langword="null"/>.</summary>
    public static string? Translate(IMethodSymbol method, SemanticModel? semanticModel, CancellationToken cancellationToken) =>
        TranslateBody(method, semanticModel, input: null, cancellationToken);

    /// <summary>
    /// The body of a one-input function, or of a rule reading one input (and perhaps <c>result</c>), at x and at −x side
    /// by side: statements that end by assigning <see cref="ReflectionOutputs"/>, given x, its magnitude
    /// (<see cref="MagnitudeParameter"/>) and, for a rule, f(x) and f(−x) (<c>result</c>,
    /// <see cref="ReflectedResultParameter"/>). What the two share is written once: <c>Math.Abs(x)</c> and
    /// <c>Math.Abs(-x)</c> are the magnitude, a local whose value is the same at −x (Softplus's e^(−|x|) and its
    /// logarithm's series) is not computed again, and another declared one-input function of ±x is called once for both
    /// (<c>KernelVectors.ValueAndReflection</c>). Shared explicitly, not left to the JIT: its common-subexpression
    /// elimination has a budget per method, which two inlined exponentials and series exceed. <see langword="null"/> when
    /// the body neither reads |x| nor calls a declared function of ±x (the pair would be two evaluations), is not
    /// translatable, returns early, or has a parameter or local whose name could clash with the reflection's own names
    /// (a parameter starting <c>__</c>; a local <c>magnitude</c>, <c>atX</c>, <c>paired0</c>, <c>e_minus</c>, …): then the
    /// kernel simply has no reflection.
    /// </summary>
    public static string? TranslateReflection(IMethodSymbol method, SemanticModel? semanticModel, CancellationToken cancellationToken)
    {
        var inputs = method.Parameters.Where(p => p.Name != Parser.ResultParameterName).ToArray();
        return inputs.Length == 1 && !method.Parameters.Any(p => p.Name.StartsWith("__", System.StringComparison.Ordinal))
            ? TranslateBody(method, semanticModel, inputs[0], cancellationToken)
            : null;
    }

    // Whether the body may reach a call of method itself, directly or through functions of its class (the declared ones a
    // kernel calls as Value<Kernel>), in any of the class's files.
    private static bool CallsItself(IMethodSymbol method, IOperation body, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        // Calls bind to a partial method's defining declaration, whichever declaration's body is read.
        IMethodSymbol self = MethodBodies.Called(method);
        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { self };
        var pending = new Stack<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            foreach (var call in pending.Pop().DescendantsAndSelf().OfType<IInvocationOperation>())
            {
                var target = MethodBodies.Called(call.TargetMethod.OriginalDefinition);
                if (SymbolEqualityComparer.Default.Equals(target, self))
                {
                    return true;
                }

                if (SymbolEqualityComparer.Default.Equals(target.ContainingType, self.ContainingType) && visited.Add(target))
                {
                    // A callee in another part of a partial class is followed into its file (a partial method into its
                    // implementing declaration's); one whose body cannot be read (extern) may call back, so the
                    // declaration keeps its scalar loop.
                    if (MethodBodies.Of(MethodBodies.WithBody(target), semanticModel, cancellationToken) is not { } calleeBody)
                    {
                        return true;
                    }

                    pending.Push(calleeBody);
                }
            }
        }

        return false;
    }

    // Whether a local of the body would be named like one of the reflection's own names.
    private static bool ClashesWithReflectionNames(IOperation body)
    {
        string[] reserved = [MagnitudeParameter, ReflectedResultParameter, ReflectionOutputs.AtX, ReflectionOutputs.AtMinusX];
        return body.Descendants().OfType<IVariableDeclaratorOperation>().Select(d => d.Symbol.Name).Any(name =>
            reserved.Contains(LocalName(name)) || name.EndsWith(MinusSuffix, System.StringComparison.Ordinal) || name.StartsWith(PairedName, System.StringComparison.Ordinal));
    }

    // The names the reflection gives its own locals: a local's second copy (at −x), and the results of paired calls.
    private const string MinusSuffix = "_minus";
    private const string PairedName = "paired";

    private static string LocalName(string name) => "__" + name;

    // With an input: the reflection (both runs of Translation, the second reading the first's locals).
    private static string? TranslateBody(IMethodSymbol method, SemanticModel? semanticModel, IParameterSymbol? input, CancellationToken cancellationToken)
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

        if ((body.ExpressionBody ?? body.BlockBody) is not { } block)
        {
            return null;
        }

        // Recursion (direct, or through other declared functions of the class) never ends in a vector body, which
        // evaluates both arms of every conditional; and a parameter named __x could meet the names the body's locals are
        // given (__ + name) or the translation's own. Either way the kernel keeps its scalar loop.
        if (CallsItself(method, block, semanticModel!, cancellationToken)
            || method.Parameters.Any(p => p.Name.StartsWith("__", System.StringComparison.Ordinal)))
        {
            return null;
        }

        if (input is null)
        {
            return new Translation(method).Block(block);
        }

        if (ClashesWithReflectionNames(block))
        {
            return null;
        }

        var atX = new Translation(method, input);
        var atMinusX = new Translation(method, input, atX);
        if (atX.Block(block) is not { } first || atMinusX.Block(block) is not { } second || !atX.Shares)
        {
            return null;
        }

        // Each run ends with its return; the statements before it are the locals it computes.
        string[] firstLines = first.Split('\n'), secondLines = second.Split('\n');
        string Returned(string line) => line.Substring("return ".Length, line.Length - "return ".Length - 1);
        return string.Join("\n", firstLines.Take(firstLines.Length - 1)
            .Concat(secondLines.Take(secondLines.Length - 1))
            .Append($"{ReflectionOutputs.AtX} = {Returned(firstLines[firstLines.Length - 1])};")
            .Append($"{ReflectionOutputs.AtMinusX} = {Returned(secondLines[secondLines.Length - 1])};"));
    }

    /// <summary>
    /// The rule's split into numerator and divisor when its body is one quotient <c>n / v</c> of a translatable numerator
    /// by a translatable divisor that reads at least one input and not the result (<see cref="QuotientModel"/>), else
    /// <see langword="null"/>. The emitter uses it only beside the rule's whole vector body (<see cref="Translate"/>),
    /// which checks the signature.
    /// </summary>
    public static QuotientModel? TranslateQuotient(IMethodSymbol method, SemanticModel? semanticModel, CancellationToken cancellationToken)
    {
        if (MethodBodies.Of(method, semanticModel, cancellationToken) is not { } body
            || (body.ExpressionBody ?? body.BlockBody) is not { Operations.Length: 1 } block
            || block.Operations[0] is not IReturnOperation { ReturnedValue: { } returned }
            || WithoutConversion(returned) is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide, OperatorMethod: null } quotient
            || new Translation(method).Expression(quotient.LeftOperand) is not { Mask: false } numerator
            || new Translation(method).Expression(quotient.RightOperand) is not { Mask: false } divisor)
        {
            return null;
        }

        // The parameters the divisor reads. One that reads the result changes along every row: no division to take out
        // of a sum. One that reads nothing (a constant, x / 2.0) is left per element, since the kernels' PartialReads.None
        // means "no quotient".
        string[] reads = [.. quotient.RightOperand.DescendantsAndSelf()
            .OfType<IParameterReferenceOperation>()
            .Where(p => SymbolEqualityComparer.Default.Equals(p.Parameter.ContainingSymbol, method))
            .Select(p => p.Parameter.Name)
            .Distinct()];
        if (reads.Length == 0 || reads.Contains(Parser.ResultParameterName))
        {
            return null;
        }

        return new QuotientModel("return " + numerator.Text + ";", "return " + divisor.Text + ";", reads.ToEquatableArray());
    }

    private static IOperation WithoutConversion(IOperation operation) =>
        operation is IConversionOperation { IsImplicit: true, Type.SpecialType: SpecialType.System_Double, Operand.Type.SpecialType: SpecialType.System_Double } conversion
            ? conversion.Operand
            : operation;

    // A translation of the body; with an input, one run of its reflection: at x (atX null), or at −x (atX the run at x,
    // whose locals and paired calls this run reuses where they are the same).
    private sealed class Translation(IMethodSymbol method, IParameterSymbol? input = null, Translation? atX = null)
    {
        private readonly Dictionary<string, bool> _locals = [];

        // A local's name in this run's text, and (at x) its initializer, which the run at −x compares with its own.
        private readonly Dictionary<string, string> _names = [];
        private readonly Dictionary<string, string> _initializers = [];

        // The paired calls of declared functions on ±x (statements before the line that reads them), by call: the names
        // of their results at x and at −x. The run at −x reads the run at x's.
        private readonly Dictionary<IOperation, (string AtX, string AtMinusX)> _pairedCalls = atX?._pairedCalls ?? new();
        private readonly List<string> _pendingStatements = [];

        // Whether the run at −x met a call the run at x did not pair (it never should: both read the same body).
        private bool _unpaired;

        /// <summary>Whether this run reads |x| or pairs a call, so the two runs share something.</summary>
        public bool Shares { get; private set; }

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
                                lines.AddRange(_pendingStatements);
                                _pendingStatements.Clear();
                                if (atX is not null && atX._initializers.TryGetValue(local.Name, out string? textAtX) && textAtX == value.Text)
                                {
                                    // The same value at −x as at x: the run at x's local.
                                    _names[local.Name] = atX._names[local.Name];
                                    continue;
                                }

                                _names[local.Name] = LocalName(local.Name) + (atX is null ? string.Empty : MinusSuffix);
                                _initializers[local.Name] = value.Text;
                                lines.Add($"var {_names[local.Name]} = {value.Text};");
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

            if (final is null || (input is not null && guards.Count > 0) || _unpaired)
            {
                return null;
            }

            lines.AddRange(_pendingStatements);
            _pendingStatements.Clear();

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
            // Too deep for this thread's stack: no vector form (the kernel keeps its scalar loop).
            if (!StackGuard.HasRoom())
            {
                return null;
            }

            if (operation.ConstantValue is { HasValue: true, Value: var constant })
            {
                return constant switch
                {
                    bool b => (b ? $"{VectorClass}<double>.AllBitsSet" : $"{VectorClass}<double>.Zero", true),
                    // A char converts to double by its code (Convert.ToDouble refuses it, which crashed the generator).
                    char c => ($"{VectorClass}.Create({Literal(c)})", false),
                    double or float or int or long or short or sbyte or byte or uint or ulong or ushort =>
                        ($"{VectorClass}.Create({Literal(System.Convert.ToDouble(constant, CultureInfo.InvariantCulture))})", false),
                    _ => null,
                };
            }

            switch (operation)
            {
                // Implicit or written out ((double)x): the same double.
                case IConversionOperation { Type.SpecialType: SpecialType.System_Double, Operand.Type.SpecialType: SpecialType.System_Double } conversion:
                    return Expression(conversion.Operand);

                // x > 0 ? 1 : 0 is an int that C# converts to double as a whole: converting the value the condition
                // selects is selecting among the converted constants, which the vector select does lane by lane.
                case IConversionOperation { Type.SpecialType: SpecialType.System_Double, Conversion.IsNumeric: true } conversion
                    when ChoosesAmongConstants(conversion.Operand):
                    return Expression(conversion.Operand);

                case IParameterReferenceOperation parameter
                    when SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, method):
                    string name = Emitter.Escape(parameter.Parameter.Name);
                    return atX is null ? (name, false)
                        : parameter.Parameter.Name == Parser.ResultParameterName ? (ReflectedResultParameter, false)
                        : ($"(-{name})", false);

                case ILocalReferenceOperation local when _locals.TryGetValue(local.Local.Name, out bool mask):
                    return (_names[local.Local.Name], mask);

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

        // A constant, or a conditional whose branches are (recursively) constants: what an integer-typed value in a
        // body may be (the symbolic differentiator accepts the same, AD1015 otherwise).
        private static bool ChoosesAmongConstants(IOperation operation) =>
            StackGuard.HasRoom()
            && (operation.ConstantValue.HasValue
                || operation is IConditionalOperation { WhenFalse: { } whenFalse } conditional
                    && ChoosesAmongConstants(conditional.WhenTrue)
                    && ChoosesAmongConstants(whenFalse));

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
            bool onSignedInput = invocation.Arguments.Length == 1 && IsSignedInput(invocation.Arguments[0].Value);

            // |x| and |−x| are the magnitude the caller passed (bit for bit what Abs computes).
            if (onSignedInput && containing == "System.Math" && target.Name == "Abs")
            {
                Shares = true;
                return (MagnitudeParameter, false);
            }

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

            // Another declared function: of this class, whose kernel struct is a private member of the same class; or of
            // a referenced assembly (the library's Ops.Softplus), whose kernel is public there (PublicKernels).
            if (returnsDouble
                && target.Parameters.Length is 1 or 2
                && target.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == DifferentiableAttributeName)
                && (SymbolEqualityComparer.Default.Equals(target.ContainingType, method.ContainingType)
                    ? HelperNames.Kernel(target.Name)
                    : PublicKernels.Of(target, method, invocation.SemanticModel?.Compilation)) is { } kernel)
            {
                return onSignedInput && target.Parameters.Length == 1
                    ? (PairedCall(invocation, kernel, list), false)
                    : ($"{CachedCall}Value<{kernel}>({list})", false);
            }

            return null;
        }

        // A declared one-input function of ±x: called once for both runs (its value at the argument and at its negation),
        // before the line that reads it; the run at x names the results, the run at −x reads the other one.
        private string PairedCall(IOperation invocation, string kernel, string argument)
        {
            Shares = true;
            if (!_pairedCalls.TryGetValue(invocation, out var results))
            {
                if (atX is not null)
                {
                    _unpaired = true;
                    return argument;
                }

                string name = LocalName(PairedName) + _pairedCalls.Count.ToString(CultureInfo.InvariantCulture);
                results = (name, name + MinusSuffix);
                _pairedCalls.Add(invocation, results);
                _pendingStatements.Add(
                    $"global::AutoDiff.KernelVectors.ValueAndReflection<{kernel}>({argument}, {MagnitudeParameter}, out var {results.AtX}, out var {results.AtMinusX});");
            }

            return atX is null ? results.AtX : results.AtMinusX;
        }

        // Whether the operation is the reflection's input or its negation (only in a reflection).
        private bool IsSignedInput(IOperation operation)
        {
            operation = WithoutConversion(operation);
            if (operation is IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus, OperatorMethod: null } minus)
            {
                operation = WithoutConversion(minus.Operand);
            }

            return input is not null
                && operation is IParameterReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Parameter, input);
        }

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
