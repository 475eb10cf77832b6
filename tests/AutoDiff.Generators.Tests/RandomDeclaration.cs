using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AutoDiff.Generators.Tests;

/// <summary>
/// A random <c>[Differentiable]</c> function with its derivative omitted, built only from what docs/declaring-ops.md lists
/// as derivable (arithmetic, literals, locals, <c>Math</c> and <c>Ops</c> functions, <c>Max</c>/<c>Min</c>/<c>Pow</c>,
/// conditionals), and rendered twice: as the declaration the generator differentiates symbolically, and as a plain
/// method over <see cref="Var"/> whose gradient the tape computes by the chain rule, operation by operation. The two are
/// independent derivations of one function: <see cref="DeclaredFunctionFuzzTests"/> holds them to each other.
/// </summary>
internal sealed class RandomDeclaration
{
    private static readonly double[] s_literals = [0.0, -0.0, 1.0, 0.5, 2.0, 3.0, 0.3, 1e-3, 10.0, 0.25, 7.5];
    private static readonly double[] s_exponents = [2.0, 3.0, 0.5, -1.0, 1.5, 0.0, 1.0];

    // Name in the declaration (Math or Ops), name over Var (always Ops), whether the argument is kept positive.
    private static readonly (string Declared, string OverVar, bool Positive)[] s_unary =
    [
        ("Math.Exp", "Ops.Exp", false), ("Math.Log", "Ops.Log", true), ("Math.Sqrt", "Ops.Sqrt", true),
        ("Math.Sin", "Ops.Sin", false), ("Math.Cos", "Ops.Cos", false), ("Math.Tanh", "Ops.Tanh", false),
        ("Math.Abs", "Ops.Abs", false), ("Ops.Exp", "Ops.Exp", false), ("Ops.Log", "Ops.Log", true),
        ("Ops.Sqrt", "Ops.Sqrt", true), ("Ops.Square", "Ops.Square", false), ("Ops.Log1p", "Ops.Log1p", true),
        ("Ops.Expm1", "Ops.Expm1", false), ("Ops.Tanh", "Ops.Tanh", false), ("Ops.Sigmoid", "Ops.Sigmoid", false),
        ("Ops.Softplus", "Ops.Softplus", false), ("Ops.LogSigmoid", "Ops.LogSigmoid", false),
    ];

    private readonly Random _random;
    private readonly int _inputs;
    private int _locals;

    private RandomDeclaration(Random random, int inputs)
    {
        _random = random;
        _inputs = inputs;
    }

    /// <summary>The constructs a function uses, counted so the fuzzer can check that it exercises each.</summary>
    public enum Feature
    {
        Input, Local, Literal, NegativeZero, Negation, Add, Subtract, Multiply, Divide, Unary, MaxMin, PowConstant,
        PowVariable, Conditional, Block, RepeatedSubexpression, FourInputs,
    }

    /// <summary>The number of inputs, 1 to 4.</summary>
    public int Inputs => _inputs;

    /// <summary>The local initializers of a block body, in order (empty for an expression body).</summary>
    public IReadOnlyList<Node> Locals { get; private set; } = [];

    /// <summary>The returned expression.</summary>
    public Node Result { get; private set; } = null!;

    /// <summary>How often each <see cref="Feature"/> occurs.</summary>
    public int[] Features { get; } = new int[Enum.GetValues<Feature>().Length];

    /// <summary>A function of 1–4 inputs with up to three locals and expressions up to <paramref name="depth"/> deep.</summary>
    public static RandomDeclaration Next(Random random, int depth = 4)
    {
        var f = new RandomDeclaration(random, 1 + random.Next(4));
        if (f._inputs == 4)
        {
            f.Count(Feature.FourInputs);
        }

        var locals = new List<Node>();
        if (random.Next(2) == 0)
        {
            f.Count(Feature.Block);
            int count = 1 + random.Next(3);
            for (int i = 0; i < count; i++)
            {
                locals.Add(f.Expression(depth - 1));
                f._locals++;
            }
        }

        f.Locals = locals;
        f.Result = f.Expression(depth);
        return f;
    }

    /// <summary>The declaration: <c>[Differentiable] public static double {name}(double x0, …)</c>, no rules.</summary>
    public string Declaration(string name)
    {
        var text = new StringBuilder();
        text.Append("    [Differentiable]\n    public static double ").Append(name).Append('(')
            .Append(string.Join(", ", Enumerable.Range(0, _inputs).Select(i => $"double x{i}"))).Append(')');
        if (Locals.Count == 0)
        {
            text.Append(" =>\n        ").Append(Result.Render(Form.Declared)).Append(";\n");
            return text.ToString();
        }

        text.Append("\n    {\n");
        for (int i = 0; i < Locals.Count; i++)
        {
            text.Append("        double t").Append(i).Append(" = ").Append(Locals[i].Render(Form.Declared)).Append(";\n");
        }

        return text.Append("        return ").Append(Result.Render(Form.Declared)).Append(";\n    }\n").ToString();
    }

    /// <summary>
    /// The same function over <see cref="Var"/>: every operation recorded on the tape. Conditions are evaluated on double
    /// copies of the inputs and locals (<c>x0d</c>, <c>t0d</c>) with the declaration's own text, so both forms take the
    /// same branch from the same bits.
    /// </summary>
    public string OverVar(string name)
    {
        var text = new StringBuilder();
        text.Append("    public static Var ").Append(name).Append('(')
            .Append(string.Join(", ", Enumerable.Range(0, _inputs).Select(i => $"Var x{i}"))).Append(")\n    {\n");
        for (int i = 0; i < _inputs; i++)
        {
            text.Append("        double x").Append(i).Append("d = x").Append(i).Append(".Value;\n");
        }

        for (int i = 0; i < Locals.Count; i++)
        {
            text.Append("        Var t").Append(i).Append(" = ").Append(Locals[i].Render(Form.OverVar)).Append(";\n");
            text.Append("        double t").Append(i).Append("d = t").Append(i).Append(".Value;\n");
        }

        return text.Append("        return ").Append(Result.Render(Form.OverVar)).Append(";\n    }\n").ToString();
    }

    private void Count(Feature feature) => Features[(int)feature]++;

    private Node Expression(int depth)
    {
        if (depth <= 0 || _random.Next(5) == 0)
        {
            return Leaf();
        }

        switch (_random.Next(12))
        {
            case 0:
                Count(Feature.Negation);
                return new Negation(Expression(depth - 1));
            case 1:
            case 2:
            case 3:
            case 4:
            {
                char op = "+-*/"[_random.Next(4)];
                Count(op switch { '+' => Feature.Add, '-' => Feature.Subtract, '*' => Feature.Multiply, _ => Feature.Divide });
                var left = Expression(depth - 1);

                // Bias towards x − x, x·x, x / x: a symbolic rule that loses a term or a sign shows there first.
                var right = _random.Next(6) == 0 ? Repeat(left) : Expression(depth - 1);
                return new Binary(op, left, right);
            }

            case 5:
            case 6:
            case 7:
            {
                Count(Feature.Unary);
                var (declared, overVar, positive) = s_unary[_random.Next(s_unary.Length)];
                var argument = Expression(depth - 1);

                // Keep most logarithms and roots in their domain, so most points check finite derivatives; the rest
                // check that NaN comes out of both forms alike.
                if (positive && _random.Next(4) != 0)
                {
                    argument = new Binary('+', new Binary('*', argument, argument), new Literal(0.5));
                }

                return new Call(declared, overVar, [argument]);
            }

            case 8:
            {
                Count(Feature.MaxMin);
                string fn = _random.Next(2) == 0 ? "Max" : "Min";
                var left = Expression(depth - 1);
                return new Call((_random.Next(2) == 0 ? "Math." : "Ops.") + fn, "Ops." + fn, [left, _random.Next(5) == 0 ? Repeat(left) : Expression(depth - 1)]);
            }

            case 9:
            {
                string fn = _random.Next(2) == 0 ? "Math.Pow" : "Ops.Pow";
                var bas = Expression(depth - 1);
                if (_random.Next(3) != 0)
                {
                    Count(Feature.PowConstant);
                    return new Call(fn, "Ops.Pow", [bas, new Literal(s_exponents[_random.Next(s_exponents.Length)])]);
                }

                Count(Feature.PowVariable);
                return new Call(fn, "Ops.Pow", [new Binary('+', new Binary('*', bas, bas), new Literal(0.5)), Expression(depth - 2)]);
            }

            default:
            {
                Count(Feature.Conditional);
                string comparison = new[] { "<", "<=", ">", ">=" }[_random.Next(4)];
                return new Conditional(Expression(depth - 2), comparison, Expression(depth - 2), Expression(depth - 1), Expression(depth - 1));
            }
        }
    }

    private Node Repeat(Node node)
    {
        Count(Feature.RepeatedSubexpression);
        return node;
    }

    private Node Leaf()
    {
        int pick = _random.Next(10);
        if (pick < 5 || (pick < 7 && _locals == 0))
        {
            Count(Feature.Input);
            return new Input(_random.Next(_inputs));
        }

        if (pick < 7)
        {
            Count(Feature.Local);
            return new Local(_random.Next(_locals));
        }

        double value = s_literals[_random.Next(s_literals.Length)];
        Count(double.IsNegative(value) && value == 0.0 ? Feature.NegativeZero : Feature.Literal);
        return new Literal(value);
    }

    /// <summary>Which text a node renders to.</summary>
    public enum Form
    {
        /// <summary>The declaration over doubles, as written (<c>Math.Exp(x0)</c>).</summary>
        Declared,

        /// <summary>The twin over <see cref="Var"/> (<c>Ops.Exp(x0)</c>).</summary>
        OverVar,

        /// <summary>A condition inside the twin: the declaration's text over the double copies (<c>Math.Exp(x0d)</c>).</summary>
        ConditionInTwin,
    }

    /// <summary>An expression of the function body.</summary>
    public abstract record Node
    {
        /// <summary>C# text of the node in <paramref name="form"/>.</summary>
        public abstract string Render(Form form);
    }

    private sealed record Input(int Index) : Node
    {
        public override string Render(Form form) => form == Form.ConditionInTwin ? $"x{Index}d" : $"x{Index}";
    }

    private sealed record Local(int Index) : Node
    {
        public override string Render(Form form) => form == Form.ConditionInTwin ? $"t{Index}d" : $"t{Index}";
    }

    private sealed record Literal(double Value) : Node
    {
        public override string Render(Form form)
        {
            string digits = Value.ToString("R", CultureInfo.InvariantCulture);
            if (!digits.Contains('.') && !digits.Contains('E'))
            {
                digits += ".0";
            }

            return double.IsNegative(Value) ? $"({digits})" : digits;
        }
    }

    private sealed record Negation(Node Operand) : Node
    {
        public override string Render(Form form) => $"(-{Operand.Render(form)})";
    }

    private sealed record Binary(char Operator, Node Left, Node Right) : Node
    {
        public override string Render(Form form) => $"({Left.Render(form)} {Operator} {Right.Render(form)})";
    }

    private sealed record Call(string Declared, string OverVar, Node[] Arguments) : Node
    {
        public override string Render(Form form) =>
            $"{(form == Form.OverVar ? OverVar : Declared)}({string.Join(", ", Arguments.Select(a => a.Render(form)))})";
    }

    private sealed record Conditional(Node Left, string Comparison, Node Right, Node WhenTrue, Node WhenFalse) : Node
    {
        public override string Render(Form form)
        {
            var conditionForm = form == Form.OverVar ? Form.ConditionInTwin : form;
            return $"({Left.Render(conditionForm)} {Comparison} {Right.Render(conditionForm)} ? {WhenTrue.Render(form)} : {WhenFalse.Render(form)})";
        }
    }
}
