using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using AutoDiff.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generators;

/// <summary>
/// Derives ∂F/∂input symbolically from the body of a <c>[Differentiable]</c> function, for the inputs that declare no
/// <c>[Derivative]</c>. The result is the body of a method taking all of F's inputs, as text: every intermediate value
/// and derivative is named in a local (identical expressions share one), so the text grows linearly with the body.
/// </summary>
/// <remarks>
/// <para>Differentiated: <c>double</c> constants (including <c>Math.PI</c> and integer literals converted to double,
/// and conditionals choosing among integer constants, such as <c>x &gt; 0 ? 1 : 0</c>, an <c>int</c> converted as a whole);
/// the inputs; <c>double</c> locals declared before the final <c>return</c>; <c>+ − * /</c> and unary <c>+ −</c>;
/// <c>c ? a : b</c> (piecewise: <c>c ? a′ : b′</c>, where <c>c</c> is built from double comparisons,
/// <c>double.IsNaN, IsInfinity, IsPositiveInfinity, IsNegativeInfinity</c>, <c>&amp;&amp; || !</c> and
/// <c>true</c>/<c>false</c>); <c>Math.Exp, Log(x), Log10, Log2, Sqrt, Cbrt, Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh,
/// Tanh, Abs</c> (with Abs′(0) = 0); <c>Math.Max, Min</c> and <c>Ops.Max, Min</c> (each side's derivative where it wins,
/// half of each at a tie, as the library's Max); <c>Math.Pow</c> and <c>Ops.Pow</c> (d(xᵖ) = p·xᵖ⁻¹·dx + xᵖ·ln x·dp);
/// and the one-input functions of <c>AutoDiff.Ops</c> listed in <see cref="OpsDerivatives"/>. As the library's rules,
/// a derivative is NaN where its argument is NaN (Abs, Max, Min: a NaN operand's weight is NaN), and a NaN constant's
/// derivative is NaN: a body or rule that returns NaN where it is undefined is undefined to the next order too.</para>
/// <para>A value the body uses more than once (a local read twice or more, or a repeated subexpression) whose derivative
/// is not a constant is accumulated in reverse, as the tape does: the weights of its uses are summed first and the sum
/// is multiplied by its derivative once, with the zero-factor rule (<see cref="Tangent"/>), so infinite rates along
/// paths that cancel give the limit (0, or ½·∞) instead of ∞ − ∞ = NaN.</para>
/// <para>Anything else is unsupported (<see cref="Derivation.Error"/>, AD1015), never guessed.</para>
/// </remarks>
internal static class SymbolicDifferentiator
{
    private const string MathClass = "global::System.Math";
    private const string OpsClass = "global::AutoDiff.Ops";
    private const string OpsMetadataName = "AutoDiff.Ops";

    // One-input library functions: their derivative in terms of the argument atom u (and the library itself).
    // One-input library functions: their derivative in terms of the argument atom u, naming intermediates through bind
    // (so a repeated subexpression is computed once).
    private static readonly Dictionary<string, System.Func<string, System.Func<string, string>, string>> OpsDerivatives = new()
    {
        ["Exp"] = (u, _) => $"{OpsClass}.Exp({u})",
        ["Log"] = (u, bind) => $"1.0 / {Unsigned(u, bind)}",

        // σ′(u) = σ(u)σ(−u) = e/(1 + e)² with e = e^(−|u|): one exponential, and full relative accuracy in both tails.
        ["Sigmoid"] = (u, bind) => SquaredRatio(bind, $"{MathClass}.Exp(-{MathClass}.Abs({u}))", string.Empty),
        ["Softplus"] = (u, _) => $"{OpsClass}.Sigmoid({u})",
        ["LogSigmoid"] = (u, _) => $"{OpsClass}.Sigmoid(-{u})",
        ["Square"] = (u, _) => $"2.0 * {u}",
        ["Sqrt"] = (u, bind) => $"0.5 / {Unsigned(bind($"{OpsClass}.Sqrt({u})"), bind)}",
        ["Log1p"] = (u, _) => $"1.0 / (1.0 + {u})",
        ["Expm1"] = (u, _) => $"{OpsClass}.Exp({u})",

        // tanh′(u) = 4e/(1 + e)² with e = e^(−2|u|), not 1 − tanh²u, which cancels to 0 where tanh rounds to ±1.
        ["Tanh"] = (u, bind) => SquaredRatio(bind, $"{MathClass}.Exp(-2.0 * {MathClass}.Abs({u}))", "4.0 * "),
    };

    // z + 0: +0 where z is −0, z itself elsewhere. The derivatives of log and √ at either zero are +∞, as the library's
    // rules have it, not the −∞ that 1/(−0) gives.
    private static string Unsigned(string atom, System.Func<string, string> bind) => bind($"{Paren(atom)} + 0.0");

    private static string Paren(string atom) => atom.StartsWith("-", System.StringComparison.Ordinal) ? "(" + atom + ")" : atom;

    // [c ·] e/(1 + e)², e named once.
    private static string SquaredRatio(System.Func<string, string> bind, string exponential, string scale)
    {
        string e = bind(exponential);
        string d = bind($"1.0 + {e}");
        return $"{scale}{e} / ({d} * {d})";
    }

    private static readonly Regex LocalPattern = new(@"__t\d+_*", RegexOptions.CultureInvariant);

    /// <summary>The derived partials, one per input in order; or where the body stops being differentiable; or neither when it cannot be read.</summary>
    public sealed class Derivation
    {
        public List<string> Bodies { get; } = [];

        public DerivationError? Error { get; set; }
    }

    /// <summary>Derives every input's partial, or returns <see langword="null"/> when the body cannot be analysed at all.</summary>
    public static Derivation? Derive(IMethodSymbol method, SemanticModel? semanticModel, CancellationToken cancellationToken)
    {
        if (method.IsGenericMethod
            || method.Parameters.Length == 0
            || method.Parameters.Any(p => p.Type.SpecialType != SpecialType.System_Double || p.RefKind != RefKind.None)
            || MethodBodies.Of(method, semanticModel, cancellationToken) is not { } body
            || (body.ExpressionBody ?? body.BlockBody) is not { } block)
        {
            return null;
        }

        var derivation = new Derivation();
        string[] inputs = method.Parameters.Select(p => p.Name).ToArray();
        foreach (IParameterSymbol input in method.Parameters)
        {
            try
            {
                // First pass: forward mode, to learn which values the body uses more than once (Walker.Shared); second:
                // the rule, with those values' tangents accumulated in reverse (Walker.Resolve).
                var uses = new Walker(input, inputs, shared: null);
                uses.Block(block);
                derivation.Bodies.Add(new Walker(input, inputs, uses.Shared()).Block(block));
            }
            catch (UnsupportedException unsupported)
            {
                derivation.Bodies.Clear();
                derivation.Error = new DerivationError(unsupported.What, LocationInfo.From(unsupported.Syntax));
                break;
            }
        }

        return derivation;
    }

    private sealed class UnsupportedException(SyntaxNode syntax, string what) : System.Exception(what)
    {
        public SyntaxNode Syntax { get; } = syntax;

        public string What { get; } = what;
    }

    /// <summary>A value, an atom (a literal, an input, or a generated local), and its derivative.</summary>
    private readonly record struct Dual(string Value, Tangent Derivative);

    /// <summary>
    /// A derivative: <c>Direct</c>, an atom, plus Σ weight · d(shared value) over the values the body uses more than
    /// once, each named by its value's atom and weighted by ∂(this)/∂(that value) along the paths that reach it. Those
    /// values' own derivatives are multiplied in only at the end (Walker.Resolve), once per value and after the weights
    /// of all its uses are summed, as the tape sums a node's adjoint before passing it down: √x − ½√x at 0 is ½·∞ = ∞
    /// and (r + y) − (r − y) with r = √x is 0·∞ = 0 there, not the ∞ − ∞ = NaN of adding each path's tangent.
    /// </summary>
    private sealed class Tangent(string direct, IReadOnlyList<KeyValuePair<string, string>> terms)
    {
        public static readonly IReadOnlyList<KeyValuePair<string, string>> NoTerms = [];

        public string Direct { get; } = direct;

        public IReadOnlyList<KeyValuePair<string, string>> Terms { get; } = terms;

        public static Tangent Of(string direct) => new(direct, NoTerms);

        /// <summary>The literal 0 (as the forward mode's atom compared equal to "0.0").</summary>
        public bool IsZero => Terms.Count == 0 && Direct == "0.0";
    }

    private sealed class Walker(IParameterSymbol target, string[] inputs, HashSet<IOperation>? shared)
    {
        private readonly List<(string Name, string Expression)> _lines = [];
        private readonly Dictionary<string, string> _named = [];
        private readonly Dictionary<ILocalSymbol, Dual> _locals = new(SymbolEqualityComparer.Default);

        // First pass: the value each operation computes, and how often each value is used outside conditions (a local
        // by its references, not its initializer). Second pass: the shared values met so far, in order, with their
        // derivatives.
        private readonly List<(IOperation Operation, string Value)> _produced = [];
        private readonly Dictionary<string, int> _uses = [];
        private readonly List<KeyValuePair<string, Tangent>> _keys = [];
        private readonly HashSet<string> _keyed = [];
        private IOperation? _initializer;
        private int _conditions;

        /// <summary>The operations (first pass) whose value is used more than once.</summary>
        public HashSet<IOperation> Shared()
        {
            var set = new HashSet<IOperation>();
            foreach ((IOperation operation, string value) in _produced)
            {
                if (_uses.TryGetValue(value, out int count) && count > 1)
                {
                    set.Add(operation);
                }
            }

            return set;
        }

        private void Use(string value)
        {
            if (_conditions == 0)
            {
                _uses[value] = _uses.TryGetValue(value, out int count) ? count + 1 : 1;
            }
        }

        public string Block(IBlockOperation block)
        {
            for (int i = 0; i < block.Operations.Length; i++)
            {
                IOperation statement = block.Operations[i];
                switch (statement)
                {
                    case IVariableDeclarationGroupOperation group when i < block.Operations.Length - 1:
                        foreach (IVariableDeclarationOperation declaration in group.Declarations)
                        {
                            foreach (IVariableDeclaratorOperation declarator in declaration.Declarators)
                            {
                                IVariableInitializerOperation? initializer = declarator.GetVariableInitializer();
                                if (declarator.Symbol.Type.SpecialType != SpecialType.System_Double || initializer is null || declarator.Symbol.IsRef)
                                {
                                    throw Unsupported(declarator, "a local that is not a 'double' with an initializer is not supported");
                                }

                                _initializer = initializer.Value;
                                _locals[declarator.Symbol] = Differentiate(initializer.Value);
                            }
                        }

                        break;
                    case IReturnOperation { ReturnedValue: { } returned } when i == block.Operations.Length - 1:
                        return Emit(Resolve(Differentiate(returned).Derivative));
                    default:
                        throw Unsupported(statement, "this statement is not supported (only 'double' locals and a final 'return' can be differentiated)");
                }
            }

            throw Unsupported(block, "a body that does not end in 'return' is not supported");
        }

        private string Emit(string result)
        {
            // Keep only the locals the result needs, walking back from it.
            var needed = new HashSet<string>(LocalPattern.Matches(result).Cast<Match>().Select(m => m.Value));
            var kept = new List<string>();
            for (int i = _lines.Count - 1; i >= 0; i--)
            {
                if (needed.Contains(_lines[i].Name))
                {
                    kept.Add($"double {_lines[i].Name} = {_lines[i].Expression};");
                    foreach (Match m in LocalPattern.Matches(_lines[i].Expression))
                    {
                        needed.Add(m.Value);
                    }
                }
            }

            kept.Reverse();
            kept.Add($"return {result};");
            return string.Join("\n", kept);
        }

        // A value computed by an operation (not one passed through, as an input, a local or a conversion is): in the first
        // pass, counted as a use unless it is a local's initializer (its references are); in the second, if it is used
        // more than once and its derivative is not a literal, its tangent is deferred, a term of weight 1 on its value.
        private Dual Differentiate(IOperation operation)
        {
            bool initializer = ReferenceEquals(operation, _initializer);
            _initializer = null;
            Dual dual = DifferentiateOperation(operation);
            if (operation.ConstantValue.HasValue
                || operation is IParameterReferenceOperation or ILocalReferenceOperation or IConversionOperation
                || operation is IUnaryOperation { OperatorKind: UnaryOperatorKind.Plus })
            {
                return dual;
            }

            if (shared is null)
            {
                _produced.Add((operation, dual.Value));
                if (!initializer)
                {
                    Use(dual.Value);
                }

                return dual;
            }

            // A value whose derivative carries weights on two or more shared values is deferred too, as the tape makes
            // every operation a node: otherwise each operation above it multiplies every one of those weights, and a
            // product or chain over k shared values emits k² terms (and its second derivative more), where the rule
            // is to grow linearly with the body.
            if (dual.Derivative.Terms.Count < 2
                && (!shared.Contains(operation) || dual.Derivative.Terms.Count == 0 && IsLiteral(dual.Derivative.Direct)))
            {
                return dual;
            }

            if (_keyed.Add(dual.Value))
            {
                _keys.Add(new(dual.Value, dual.Derivative));
            }

            return new Dual(dual.Value, new Tangent(Zero, [new(dual.Value, One)]));
        }

        private Dual DifferentiateOperation(IOperation operation)
        {
            if (!StackGuard.HasRoom())
            {
                throw Unsupported(operation, "the expression '" + Short(operation.Syntax) + "' is nested too deeply to be differentiated");
            }

            if (operation.Type?.SpecialType != SpecialType.System_Double)
            {
                throw Unsupported(operation, "an expression of type '" + (operation.Type?.ToDisplayString() ?? "?") + "' where a 'double' is expected is not supported");
            }

            if (operation.ConstantValue is { HasValue: true, Value: { } constant })
            {
                return Constant(constant);
            }

            switch (operation)
            {
                case IParameterReferenceOperation parameter:
                    return new Dual(
                        Emitter.Escape(parameter.Parameter.Name),
                        Tangent.Of(SymbolEqualityComparer.Default.Equals(parameter.Parameter, target) ? One : Zero));
                case ILocalReferenceOperation local when _locals.TryGetValue(local.Local, out Dual value):
                    if (shared is null)
                    {
                        Use(value.Value);
                    }

                    return value;
                // Implicit or written out: (double)x of a double is x, and (double)(c ? 1 : 0) converts as the implicit
                // conversion of the same int does. A cast that rounds ((double)(float)x) still reaches Converted's refusal.
                case IConversionOperation { Operand: var operand } when operand.Type?.SpecialType == SpecialType.System_Double:
                    return Differentiate(operand);
                case IConversionOperation { Conversion.IsNumeric: true, Operand: var number }:
                    return Converted(number);
                case IUnaryOperation { OperatorMethod: null } unary when unary.OperatorKind == UnaryOperatorKind.Plus:
                    return Differentiate(unary.Operand);
                case IUnaryOperation { OperatorMethod: null } unary when unary.OperatorKind == UnaryOperatorKind.Minus:
                    Dual u = Differentiate(unary.Operand);
                    return new Dual(NegValue(u.Value), Map(u.Derivative, Neg));
                case IBinaryOperation { OperatorMethod: null } binary:
                    return Binary(binary);
                case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                    return Piecewise(conditional.Condition, conditional.WhenTrue, whenFalse, Differentiate);
                case IInvocationOperation invocation:
                    return Invocation(invocation);
                default:
                    throw Unsupported(operation, "the expression '" + Short(operation.Syntax) + "' is not supported");
            }
        }

        // c ? a : b, differentiated as c ? a′ : b′, each side read by branch.
        private Dual Piecewise(IOperation condition, IOperation whenTrue, IOperation whenFalse, System.Func<IOperation, Dual> branch)
        {
            string test = Condition(condition);
            Dual a = branch(whenTrue), b = branch(whenFalse);
            return new Dual(Select(test, a.Value, b.Value), Combine(a.Derivative, b.Derivative, (x, y) => Select(test, x, y)));
        }

        // A value of another numeric type that C# converts to double implicitly: an integer literal, or a conditional
        // whose branches are all integers (x > 0 ? 1 : 0 is an int, converted as a whole). A constant is its double; a
        // conditional is the conditional of its converted branches, since converting the value the condition selects is
        // selecting among the converted values. Anything else of such a type (Math.Sign(x)) is not differentiable here.
        private Dual Converted(IOperation number)
        {
            if (number.ConstantValue is { HasValue: true, Value: { } constant })
            {
                return Constant(constant);
            }

            if (number is IConditionalOperation { WhenFalse: { } whenFalse } conditional)
            {
                return Piecewise(conditional.Condition, conditional.WhenTrue, whenFalse, Converted);
            }

            throw Unsupported(
                number,
                $"the '{number.Type?.ToDisplayString() ?? "?"}' value '{Short(number.Syntax)}' is not supported: of the values that are not "
                + "'double', only constants and conditionals choosing among constants can be differentiated");
        }

        // A char converts to double by its code (Convert.ToDouble refuses it); the other numeric constants as C# converts them.
        // A NaN constant marks where a body or rule is undefined (Abs′ at NaN, a function outside its domain); its
        // derivative is undefined there as well, so NaN, not the 0 of a constant: a rule's NaN branch then gives the
        // Hessian NaN too. A zero tangent still folds it away (Op), as the sweep skips zero factors.
        private static Dual Constant(object constant)
        {
            double number = constant is char c ? c : System.Convert.ToDouble(constant, CultureInfo.InvariantCulture);
            return new(Literal(number), Tangent.Of(double.IsNaN(number) ? Literal(number) : Zero));
        }

        private Dual Binary(IBinaryOperation binary)
        {
            Dual l = Differentiate(binary.LeftOperand), r = Differentiate(binary.RightOperand);
            switch (binary.OperatorKind)
            {
                case BinaryOperatorKind.Add:
                    return new Dual(ValueOp(l.Value, "+", r.Value), Sum(l.Derivative, "+", r.Derivative));
                case BinaryOperatorKind.Subtract:
                    return new Dual(ValueOp(l.Value, "-", r.Value), Sum(l.Derivative, "-", r.Derivative));
                case BinaryOperatorKind.Multiply:
                    return new Dual(
                        ValueOp(l.Value, "*", r.Value),
                        Sum(Chain(r.Value, l.Derivative, derivativeFirst: true), "+", Chain(l.Value, r.Derivative)));
                case BinaryOperatorKind.Divide:
                    // (l/r)' = l'/r − (l/r)·r'/r. The partials are 1/r, 0 where r is ±∞, and −(l/r)/r, 0 where l/r is (which
                    // covers r = ±∞ with l finite).
                    string value = ValueOp(l.Value, "/", r.Value);
                    string? infiniteDivisor = TryLiteral(r.Value, out double divisor) && divisor != 0.0 ? null : $"double.IsInfinity({r.Value})";
                    Tangent byNumerator = Map(l.Derivative, d => ChainWhere(infiniteDivisor, d, Op(d, "/", r.Value)));
                    Tangent byDenominator = Map(r.Derivative, d => ChainWhere($"{value} == 0.0", d, Op(value, "*", Op(d, "/", r.Value))));
                    return new Dual(value, Sum(byNumerator, "-", byDenominator));
                default:
                    throw Unsupported(binary, "the operator in '" + Short(binary.Syntax) + "' is not supported");
            }
        }

        private Dual Invocation(IInvocationOperation invocation)
        {
            IMethodSymbol callee = invocation.TargetMethod;
            string calleeName = callee.ContainingType.Name + "." + callee.Name;

            // In parameter order, not as written: Math.Pow(y: p, x: b) is bᵖ (as VectorTranslator.Call orders them too).
            IOperation[] arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? -1).Select(a => a.Value).ToArray();
            bool doubles = invocation.Arguments.All(a => a.Value.Type?.SpecialType == SpecialType.System_Double);
            bool isMath = callee.ContainingType.ToDisplayString() == "System.Math" && doubles;

            // The library's two-input functions, differentiated as their Math namesakes (Max and Min with the library's
            // ½ at ties).
            bool isOpsBinary = callee.ContainingType.ToDisplayString() == OpsMetadataName
                && doubles
                && invocation.Arguments.Length == 2
                && callee.Name is "Pow" or "Max" or "Min"
                && callee.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == Parser.DifferentiableAttributeName);
            if ((isMath || isOpsBinary) && invocation.Arguments.Length == 2 && callee.Name is "Max" or "Min")
            {
                Dual a = Differentiate(arguments[0]), b = Differentiate(arguments[1]);
                string op = callee.Name == "Max" ? ">" : "<";
                string value = Bind($"{MathClass}.{callee.Name}({a.Value}, {b.Value})");

                // The library's MaxDa/MinDa: 1 where this side wins, ½ at a tie, NaN where this side is NaN (the result
                // is that NaN), else 0 (including beside the other side's NaN, which the result does not depend on).
                // Where a side wins, its derivative is selected rather than weighted, so the losing side's derivative
                // never enters: weighted, a loser's ±∞ or NaN gave 0·∞ = NaN (max(∛x, 1) at x = 0, flat there, had NaN
                // for 0). The weights remain for ties and NaN operands.
                string Weight(Dual side) => side.Derivative.IsZero ? Zero
                    : Bind($"{a.Value} == {b.Value} ? 0.5 : double.IsNaN({side.Value}) ? double.NaN : 0.0");
                Tangent tiedOrNaN = Sum(Chain(Weight(a), a.Derivative), "+", Chain(Weight(b), b.Derivative));
                Tangent unlessA = Combine(b.Derivative, tiedOrNaN, (x, y) => Select($"({b.Value} {op} {a.Value})", x, y));
                return new Dual(value, Combine(a.Derivative, unlessA, (x, y) => Select($"({a.Value} {op} {b.Value})", x, y)));
            }

            if (isMath || isOpsBinary)
            {
                if (callee.Name == "Pow" && invocation.Arguments.Length == 2)
                {
                    Dual x = Differentiate(arguments[0]);
                    IOperation exponent = arguments[1];
                    if (exponent.ConstantValue is not { HasValue: true, Value: { } c })
                    {
                        // d(x^p) = p·x^(p−1)·dx + x^p·ln x·dp; each term only where its factor moves, so a constant base
                        // or exponent adds no 0·∞ at x = 0. The factors take the limits Ops.Pow's rules take (PyTorch's
                        // and JAX's too): p·x^(p−1) is 0 where it would be 0·∞ — at p = 0 (0·x⁻¹ at x = 0, which the
                        // second derivative of x^p at p = 1 meets) and at x^(p−1) = 0 with p = ±∞ (p·0 ≠ 0 only there)
                        // — and x^p·ln x is 0 at x = 0 for p ≥ 0 (not 0·ln 0). As in Ops.PowDx, the 0 is taken only where
                        // the product is not a number (raw·0 ≠ 0), since the second derivatives differentiate this rule and
                        // a selected constant has derivative 0: at p = 0, x = 2, ∂²(x^p)/∂x∂p is x^(p−1)(1 + p ln x) = ½,
                        // which `p == 0.0 ? 0.0 : …` made 0.
                        Dual power = Differentiate(exponent);
                        string powered = Bind($"{MathClass}.Pow({x.Value}, {power.Value})");
                        Tangent byBase = Tangent.Of(Zero);
                        if (!x.Derivative.IsZero)
                        {
                            string lowered = Bind($"{MathClass}.Pow({x.Value}, {Op(power.Value, "-", One)})");
                            string raw = Bind(Op(power.Value, "*", lowered));
                            string factor = Bind($"{raw} * 0.0 != 0.0 && ({power.Value} == 0.0 || {lowered} == 0.0) ? 0.0 : {raw}");
                            byBase = Chain(factor, x.Derivative);
                        }

                        string byExponentFactor = power.Derivative.IsZero ? Zero
                            : Bind($"{x.Value} == 0.0 && {power.Value} >= 0.0 ? 0.0 : {Op(powered, "*", Bind($"{MathClass}.Log({x.Value})"))}");
                        Tangent byExponent = Chain(byExponentFactor, power.Derivative);
                        return new Dual(powered, Sum(byBase, "+", byExponent));
                    }

                    double p = System.Convert.ToDouble(c, CultureInfo.InvariantCulture);
                    string value = Bind($"{MathClass}.Pow({x.Value}, {Literal(p)})");
                    string local = p == 0.0 ? Zero : p == 1.0 ? One : p == 2.0 ? Op(Literal(2.0), "*", x.Value)
                        : Op(Literal(p), "*", Bind($"{MathClass}.Pow({x.Value}, {Literal(p - 1.0)})"));
                    return new Dual(value, Chain(local, x.Derivative));
                }

                if (invocation.Arguments.Length == 1)
                {
                    Dual u = Differentiate(arguments[0]);
                    string Call(string name) => Bind($"{MathClass}.{name}({u.Value})");
                    string? value = isMath && callee.Name is "Exp" or "Log" or "Sqrt" or "Sin" or "Cos" or "Tan" or "Tanh" or "Abs"
                        or "Atan" or "Asin" or "Acos" or "Sinh" or "Cosh" or "Log10" or "Log2" or "Cbrt"
                        ? Call(callee.Name) : null;
                    string? derivative = value is null ? null : callee.Name switch
                    {
                        "Exp" => value,
                        "Log" => Op(One, "/", Unsigned(u.Value, Bind)),
                        "Sqrt" => Op(Literal(0.5), "/", Unsigned(value, Bind)),
                        "Sin" => Call("Cos"),
                        "Cos" => Neg(Call("Sin")),
                        "Tan" => Op(One, "/", Op(Call("Cos"), "*", Call("Cos"))),
                        "Tanh" => Bind(OpsDerivatives["Tanh"](u.Value, Bind)),
                        "Abs" => Bind($"{u.Value} > 0.0 ? 1.0 : {u.Value} < 0.0 ? -1.0 : double.IsNaN({u.Value}) ? double.NaN : 0.0"),
                        "Atan" => Op(One, "/", Op(One, "+", Op(u.Value, "*", u.Value))),
                        "Asin" => Op(One, "/", Bind($"{MathClass}.Sqrt({Op(One, "-", Op(u.Value, "*", u.Value))})")),
                        "Acos" => Op(Literal(-1.0), "/", Bind($"{MathClass}.Sqrt({Op(One, "-", Op(u.Value, "*", u.Value))})")),
                        "Sinh" => Call("Cosh"),
                        "Cosh" => Call("Sinh"),
                        "Log10" => Op(One, "/", Op(Unsigned(u.Value, Bind), "*", Literal(System.Math.Log(10.0)))),
                        "Log2" => Op(One, "/", Op(Unsigned(u.Value, Bind), "*", Literal(System.Math.Log(2.0)))),
                        "Cbrt" => Op(One, "/", Op(Literal(3.0), "*", Op(value, "*", value))),
                        _ => null,
                    };
                    if (value is not null && derivative is not null)
                    {
                        return new Dual(value, Chain(derivative, u.Derivative));
                    }
                }

                throw Unsupported(invocation, $"the call to '{calleeName}' is not supported: it is not differentiable or has no known derivative");
            }

            if (callee.ContainingType.ToDisplayString() == OpsMetadataName
                && callee.Parameters.Length == 1
                && invocation.Arguments.Length == 1
                && arguments[0].Type?.SpecialType == SpecialType.System_Double
                && callee.ReturnType.SpecialType == SpecialType.System_Double
                && OpsDerivatives.TryGetValue(callee.Name, out var rule)
                && callee.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == Parser.DifferentiableAttributeName))
            {
                Dual u = Differentiate(arguments[0]);
                string value = Bind($"{OpsClass}.{callee.Name}({u.Value})");
                string partial = Bind(rule(Paren(u.Value), Bind));
                return new Dual(value, Chain(partial, u.Derivative));
            }

            throw Unsupported(invocation, $"the call to '{calleeName}' is not supported: only Math functions and the one-input functions of AutoDiff.Ops have known derivatives");
        }

        private string Condition(IOperation operation)
        {
            _conditions++;
            try
            {
                return ConditionOf(operation);
            }
            finally
            {
                _conditions--;
            }
        }

        private string ConditionOf(IOperation operation)
        {
            if (!StackGuard.HasRoom())
            {
                throw Unsupported(operation, "the condition '" + Short(operation.Syntax) + "' is nested too deeply to be differentiated");
            }

            if (operation.ConstantValue is { HasValue: true, Value: bool b })
            {
                return b ? "true" : "false";
            }

            switch (operation)
            {
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null } not:
                    return "!(" + Condition(not.Operand) + ")";
                case IBinaryOperation { OperatorMethod: null } binary when binary.OperatorKind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr:
                    return "(" + Condition(binary.LeftOperand) + (binary.OperatorKind == BinaryOperatorKind.ConditionalAnd ? " && " : " || ") + Condition(binary.RightOperand) + ")";
                case IInvocationOperation { TargetMethod: var predicate, Arguments: { Length: 1 } arguments }
                    when predicate.ContainingType.SpecialType == SpecialType.System_Double
                        && predicate.ReturnType.SpecialType == SpecialType.System_Boolean
                        && VectorTranslator.DoublePredicates.Contains(predicate.Name)
                        && arguments[0].Value.Type?.SpecialType == SpecialType.System_Double:
                    // double.IsNaN(x) and its kin: the rules' test for an undefined point (Abs′ is NaN at NaN).
                    return $"double.{predicate.Name}({Differentiate(arguments[0].Value).Value})";
                case IBinaryOperation { OperatorMethod: null } binary
                    when binary.LeftOperand.Type?.SpecialType == SpecialType.System_Double && binary.RightOperand.Type?.SpecialType == SpecialType.System_Double:
                    string? op = binary.OperatorKind switch
                    {
                        BinaryOperatorKind.LessThan => "<",
                        BinaryOperatorKind.LessThanOrEqual => "<=",
                        BinaryOperatorKind.GreaterThan => ">",
                        BinaryOperatorKind.GreaterThanOrEqual => ">=",
                        BinaryOperatorKind.Equals => "==",
                        BinaryOperatorKind.NotEquals => "!=",
                        _ => null,
                    };
                    if (op is not null)
                    {
                        return "(" + Differentiate(binary.LeftOperand).Value + " " + op + " " + Differentiate(binary.RightOperand).Value + ")";
                    }

                    break;
            }

            throw Unsupported(operation, "the condition '" + Short(operation.Syntax) + "' is not supported (only comparisons of doubles, double.IsNaN and its kin, &&, || and ! are)");
        }

        private const string Zero = "0.0";
        private const string One = "1.0";
        private const string MinusOne = "(-1.0)";

        private string Select(string condition, string a, string b) => a == b ? a : Bind($"{condition} ? {a} : {b}");

        // A chain-rule term, partial · (the operand's derivative), as product, but 0 where either factor is 0 and the
        // other is infinite or NaN. The tape hands no zero adjoint down, so a vanishing outer partial stops 0·∞ and 0·NaN
        // below it; and an operand whose derivative is 0 here does not move with the input (the branch taken does not
        // read it, or it is flat), so an infinite partial above it does not matter either. Without the guard, NaN came
        // out where the function has the limit 0: σ(x·y) at x = ∞ (σ′ = 0, ∂(x·y)/∂y = ∞), 0/eᵘ where eᵘ overflows (a
        // constant function), √m where m = 0 is chosen by a branch that does not read the input. A literal partial or
        // derivative needs no test: a zero one has folded the product to 0, and a finite one gives 0 times the other.
        // derivativeFirst writes the product as derivative · partial (the same bits, the text the rule had before).
        private Tangent Chain(string partial, Tangent derivative, bool derivativeFirst = false) =>
            Map(derivative, d => Chain(partial, d, derivativeFirst));

        private Tangent Sum(Tangent a, string op, Tangent b) => Combine(a, b, (x, y) => Op(x, op, y));

        // f of the direct part and of each weight (a term whose weight becomes 0 is dropped). Without terms, f of the
        // direct part alone: the forward mode's text.
        private static Tangent Map(Tangent t, System.Func<string, string> f) => Combine(t, t, (x, _) => f(x));

        // f of the direct parts and of each shared value's weights (0 where one side has none).
        private static Tangent Combine(Tangent a, Tangent b, System.Func<string, string, string> f)
        {
            string direct = f(a.Direct, b.Direct);
            if (a.Terms.Count == 0 && b.Terms.Count == 0)
            {
                return Tangent.Of(direct);
            }

            var terms = new List<KeyValuePair<string, string>>();
            foreach (string key in a.Terms.Select(t => t.Key).Concat(b.Terms.Select(t => t.Key)).Distinct())
            {
                string weight = f(WeightOf(a, key), WeightOf(b, key));
                if (!IsZero(weight))
                {
                    terms.Add(new(key, weight));
                }
            }

            return new Tangent(direct, terms);
        }

        private static string WeightOf(Tangent t, string key)
        {
            foreach (KeyValuePair<string, string> term in t.Terms)
            {
                if (term.Key == key)
                {
                    return term.Value;
                }
            }

            return Zero;
        }

        // Reverse accumulation over the shared values, the last met first (a shared value's derivative can name only
        // values met before it): its weight, summed over all its uses, times its own derivative, with Chain's rule that
        // a zero weight hands nothing down (0·∞ = 0, as the tape skips a zero adjoint). Its derivative's own terms add to
        // the weights of the values below it.
        private string Resolve(Tangent result)
        {
            string direct = result.Direct;
            var weights = result.Terms.ToDictionary(t => t.Key, t => t.Value);
            for (int i = _keys.Count - 1; i >= 0; i--)
            {
                if (!weights.TryGetValue(_keys[i].Key, out string? weight))
                {
                    continue;
                }

                weights.Remove(_keys[i].Key);
                Tangent contribution = Chain(weight, _keys[i].Value);
                direct = Op(direct, "+", contribution.Direct);
                foreach (KeyValuePair<string, string> term in contribution.Terms)
                {
                    weights[term.Key] = weights.TryGetValue(term.Key, out string? sum) ? Op(sum, "+", term.Value) : term.Value;
                }
            }

            return direct;
        }

        private string Chain(string partial, string derivative, bool derivativeFirst = false)
        {
            string product = derivativeFirst ? Op(derivative, "*", partial) : Op(partial, "*", derivative);
            return IsFiniteLiteral(partial) ? product : ChainWhere($"{partial} == 0.0", derivative, product);
        }

        // As Chain, for a partial not named as such, with the test that it is 0 (null: it never is, nor infinite).
        private string ChainWhere(string? partialIsZero, string derivative, string product) =>
            partialIsZero is null || product == Zero || TryLiteral(product, out _) || IsFiniteLiteral(derivative)
                ? product

                // Only where the product is NaN (0·∞, 0·NaN): elsewhere it is the product itself, so a second derivative
                // taken through this select (SecondOrderDeriver) is the product's own, d(a·b) = a′b + ab′ even where a = 0.
                : Bind($"double.IsNaN({product}) && ({partialIsZero} || {derivative} == 0.0) ? 0.0 : {product}");

        private static bool IsLiteral(string atom) =>
            TryLiteral(atom, out _) || atom is "double.NaN" or "double.PositiveInfinity" or "(double.NegativeInfinity)";

        private static bool IsFiniteLiteral(string atom) => TryLiteral(atom, out double v) && !double.IsInfinity(v) && !double.IsNaN(v);

        // −a of a value: −0 where a is 0, as C# computes it (x / -z with z = 0 is x/(−0)). Neg folds a zero derivative to 0.
        private string NegValue(string a) =>
            TryLiteral(a, out double v) ? Literal(-v) : Bind("-" + Paren(a));

        private string Neg(string a) =>
            a == Zero ? Zero : TryLiteral(a, out double v) ? Literal(-v) : Bind("-" + Paren(a));

        // A value the declaration computes, as written: x·0 and 0/x are not 0 where x is ±∞ or NaN, and a declaration may
        // test exactly that (Pow's `raw * 0.0 != 0.0`); x + 0 and 0 − x are not x and −x where x is −0 and +0, and a rule
        // may mean exactly that (Sqrt's 0.5/(y + 0.0), +∞ at y = −0). So only those of literals fold here. Derivatives
        // fold them (Op): a zero partial contributes nothing, whatever it multiplies, as in the sweep.
        // Literals fold as IEEE arithmetic computes them (0.0 / 0.0 is NaN, 0.0 * -1.0 is −0).
        private string ValueOp(string a, string op, string b)
        {
            if (TryLiteral(a, out double x) && TryLiteral(b, out double y))
            {
                return Literal(Fold(x, op, y));
            }

            return op == "*" && (IsZero(a) || IsZero(b)) || op == "/" && IsZero(a) || op == "+" && (IsZero(a) || IsZero(b)) || op == "-" && IsZero(a)
                ? Bind($"{Paren(a)} {op} {Paren(b)}")
                : Op(a, op, b);
        }

        private static double Fold(double x, string op, double y) => op switch { "+" => x + y, "-" => x - y, "*" => x * y, _ => x / y };

        // Derivative arithmetic, and value arithmetic whose zeros ValueOp has kept. A zero derivative contributes nothing,
        // whatever it multiplies or is divided by: before literals fold, so that the 0 derivative of a quotient by a
        // literal 0 (x1 / 0.0, differentiated by x0) stays 0 instead of folding to 0/0 = NaN.
        private string Op(string a, string op, string b)
        {
            if (op == "*" && (IsZero(a) || IsZero(b)) || op == "/" && IsZero(a))
            {
                return Zero;
            }

            if (TryLiteral(a, out double x) && TryLiteral(b, out double y))
            {
                return Literal(Fold(x, op, y));
            }

            switch (op)
            {
                case "+" when a == Zero: return b;
                case "+" or "-" when b == Zero: return a;
                case "-" when a == Zero: return Neg(b);
                case "*" when a == One: return b;
                case "*" when a == MinusOne: return Neg(b);
                case "*" when b == MinusOne: return Neg(a);
                case "*" or "/" when b == One: return a;
            }

            return Bind($"{Paren(a)} {op} {Paren(b)}");
        }

        private string Bind(string expression)
        {
            if (_named.TryGetValue(expression, out string? name))
            {
                return name;
            }

            name = Emitter.Local("__t" + _lines.Count.ToString(CultureInfo.InvariantCulture), inputs);
            _named[expression] = name;
            _lines.Add((name, expression));
            return name;
        }

        // 0.0 or (-0.0): as a derivative, either is no contribution.
        private static bool IsZero(string atom) => atom == Zero || (TryLiteral(atom, out double v) && v == 0.0);

        private static bool TryLiteral(string atom, out double value)
        {
            string text = atom.Trim('(', ')');
            value = 0.0;
            return text.Length > 0 && (char.IsDigit(text[0]) || (text[0] == '-' && text.Length > 1 && char.IsDigit(text[1])))
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        private static string Literal(double value)
        {
            if (double.IsNaN(value))
            {
                return "double.NaN";
            }

            if (double.IsInfinity(value))
            {
                return value > 0 ? "double.PositiveInfinity" : "(double.NegativeInfinity)";
            }

            string text = value.ToString("R", CultureInfo.InvariantCulture);
            if (text.IndexOfAny(['.', 'E', 'e']) < 0)
            {
                text += ".0";
            }

            return value < 0 || (value == 0 && 1.0 / value < 0) ? "(" + text + ")" : text;
        }

        private UnsupportedException Unsupported(IOperation operation, string what) => new(operation.Syntax, what);

        private static string Short(SyntaxNode syntax)
        {
            string text = syntax.ToString().Replace("\r", " ").Replace("\n", " ");
            return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
        }
    }
}
