using System.CodeDom.Compiler;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoDiff.Generators.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiff.Generators;

/// <summary>
/// Writes a function's second-order rules: the derivative of each partial rule with respect to each value it reads
/// (from <see cref="SecondOrderModel"/>), and per overload shape an <c>AutoDiff.ISecondOrderRule</c> struct that the
/// <c>Var</c> overload passes to the tape, so that Hessian-vector products pass through the function.
/// </summary>
internal static class SecondOrderEmitter
{
    private const string ReadOnlySpan = "global::System.ReadOnlySpan<double>";
    private const string Span = "global::System.Span<double>";

    /// <summary>The rule struct passed by the overload whose inputs are <c>Var</c> where <paramref name="isVar"/> says.</summary>
    public static string RuleInstance(FunctionModel function, bool[] isVar)
    {
        var constants = function.Inputs.Where((_, i) => !isVar[i]).Select(input => Emitter.Escape(input.Name));
        return $"new {HelperNames.SecondOrderRule(function.Name, isVar)}({string.Join(", ", constants)})";
    }

    /// <summary>Writes the rule structs of every overload shape and the second-order methods of every partial rule.</summary>
    public static void Write(IndentedTextWriter writer, FunctionSpec spec, IEnumerable<bool[]> shapes)
    {
        foreach (bool[] isVar in shapes)
        {
            writer.WriteLineNoTabs(string.Empty);
            WriteRuleStruct(writer, spec, isVar);
        }

        foreach (PartialRule rule in spec.Partials.Distinct())
        {
            if (rule.SecondOrder is not { Error: null } secondOrder)
            {
                continue;
            }

            string parameters = string.Join(", ", rule.Arguments.Select(a => "double " + Emitter.Escape(a)));
            for (int k = 0; k < secondOrder.Bodies.Count; k++)
            {
                Emitter.WriteHelperMethod(writer, HelperNames.SecondOrder(rule, rule.Arguments[k]), parameters, secondOrder.Bodies[k]);
            }
        }
    }

    private static void WriteRuleStruct(IndentedTextWriter writer, FunctionSpec spec, bool[] isVar)
    {
        FunctionModel function = spec.Function;
        string[] inputs = function.Inputs.Select(i => i.Name).ToArray();
        string values = Emitter.Local("__values", inputs), tangents = Emitter.Local("__tangents", inputs);
        string result = Emitter.Local("__result", inputs), resultTangent = Emitter.Local("__resultTangent", inputs);
        string partialTangents = Emitter.Local("__partialTangents", inputs);
        string Dot(int input) => Emitter.Local("__dot_" + inputs[input], inputs);

        string name = HelperNames.SecondOrderRule(function.Name, isVar);
        int[] vars = Enumerable.Range(0, inputs.Length).Where(i => isVar[i]).ToArray();
        int[] constants = Enumerable.Range(0, inputs.Length).Where(i => !isVar[i]).ToArray();

        writer.WriteLine(Emitter.GeneratedCodeAttribute);
        writer.WriteLine($"private readonly struct {name} : global::AutoDiff.ISecondOrderRule{(constants.Length > 0 ? ", global::AutoDiff.IConstantOperands" : string.Empty)}");
        writer.WriteLine("{");
        writer.Indent++;
        if (constants.Length > 0)
        {
            // The fields are named by position, not as the inputs: an input may be named like a member of the struct
            // (PartialTangents), and a field of that name did not compile (CS0102). PartialTangents reads them into
            // locals named as the inputs, which the rules' arguments name.
            foreach (int i in constants)
            {
                writer.WriteLine($"private readonly double {ConstantField(i)};");
            }

            writer.WriteLineNoTabs(string.Empty);
            writer.WriteLine($"public {name}({string.Join(", ", constants.Select(i => "double " + Emitter.Escape(inputs[i])))})");
            writer.WriteLine("{");
            writer.Indent++;
            foreach (int i in constants)
            {
                writer.WriteLine($"this.{ConstantField(i)} = {Emitter.Escape(inputs[i])};");
            }

            writer.Indent--;
            writer.WriteLine("}");
            writer.WriteLineNoTabs(string.Empty);
            WriteConstantOperands(writer, inputs, constants);
        }

        writer.WriteLine($"public void PartialTangents({ReadOnlySpan} {values}, {ReadOnlySpan} {tangents}, double {result}, double {resultTangent}, {Span} {partialTangents})");
        writer.WriteLine("{");
        writer.Indent++;

        // A rule that could not be differentiated stops the Hessian with its reason, rather than giving a wrong one.
        if (Unsupported(spec, vars.Select(i => spec.Partials[i])) is { } message)
        {
            writer.WriteLine(ThrowNotSupported(message) + ";");
        }
        else
        {
            var used = new HashSet<string>(vars.SelectMany(i => spec.Partials[i].Arguments));
            foreach (int i in constants)
            {
                if (used.Contains(inputs[i]))
                {
                    writer.WriteLine($"double {Emitter.Escape(inputs[i])} = this.{ConstantField(i)};");
                }
            }

            for (int k = 0; k < vars.Length; k++)
            {
                string input = inputs[vars[k]];
                if (used.Contains(input))
                {
                    writer.WriteLine($"double {Emitter.Escape(input)} = {values}[{k}];");
                }

                writer.WriteLine($"double {Dot(vars[k])} = {tangents}[{k}];");
            }

            for (int k = 0; k < vars.Length; k++)
            {
                string tangent = TangentOfPartial(
                    spec,
                    spec.Partials[vars[k]],
                    a => a == Parser.ResultParameterName ? result : Emitter.Escape(a),
                    read => read == Parser.ResultParameterName ? resultTangent
                        : isVar[System.Array.IndexOf(inputs, read)] ? Dot(System.Array.IndexOf(inputs, read)) : null);
                writer.WriteLine($"{partialTangents}[{k}] = {tangent};");
            }
        }

        writer.Indent--;
        writer.WriteLine("}");
        writer.Indent--;
        writer.WriteLine("}");
    }

    /// <summary>
    /// The struct's <c>AutoDiff.IConstantOperands</c>: which operands the overload took as doubles and their values (the
    /// fields above), so that Tape.CheckFinite names every operand, not only the recorded ones. Explicit, so no input's
    /// name can collide with its members.
    /// </summary>
    private static void WriteConstantOperands(IndentedTextWriter writer, string[] inputs, int[] constants)
    {
        string position = Emitter.Local("__position", inputs), value = Emitter.Local("__value", inputs);
        writer.WriteLine($"int global::AutoDiff.IConstantOperands.OperandCount => {inputs.Length.ToString(CultureInfo.InvariantCulture)};");
        writer.WriteLineNoTabs(string.Empty);
        writer.WriteLine($"bool global::AutoDiff.IConstantOperands.TryGetConstant(int {position}, out double {value})");
        writer.WriteLine("{");
        writer.Indent++;
        writer.WriteLine($"switch ({position})");
        writer.WriteLine("{");
        writer.Indent++;
        foreach (int i in constants)
        {
            writer.WriteLine($"case {i.ToString(CultureInfo.InvariantCulture)}:");
            writer.Indent++;
            writer.WriteLine($"{value} = this.{ConstantField(i)};");
            writer.WriteLine("return true;");
            writer.Indent--;
        }

        writer.WriteLine("default:");
        writer.Indent++;
        writer.WriteLine($"{value} = 0.0;");
        writer.WriteLine("return false;");
        writer.Indent--;
        writer.Indent--;
        writer.WriteLine("}");
        writer.Indent--;
        writer.WriteLine("}");
        writer.WriteLineNoTabs(string.Empty);
    }

    // The field holding the value of the input at position i, which the overload took as a double.
    private static string ConstantField(int i) => "__operand" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// ṗ = Σ_q ∂rule/∂q · q̇ as an expression: <paramref name="argument"/> names the value of each parameter the rule reads,
    /// <paramref name="tangent"/> its tangent (<see langword="null"/> for one that does not move). The rule's second order
    /// must be known.
    /// </summary>
    public static string TangentOfPartial(FunctionSpec spec, PartialRule rule, System.Func<string, string> argument, System.Func<string, string?> tangent)
    {
        var terms = new List<string>();
        for (int q = 0; q < rule.SecondOrder!.Bodies.Count; q++)
        {
            if (tangent(rule.Arguments[q]) is { } dot)
            {
                // An argument that does not move adds nothing, even where the rule's derivative in it is NaN or ±∞ (xᵖ
                // at x < 0 has no derivative in p, yet its second derivative in x along x alone is finite): the
                // zero-adjoint rule of the first-order sweep, for tangents. A literal tangent (1.0) needs no test.
                string term = $"{spec.Function.ContainingType}.{HelperNames.SecondOrder(rule, rule.Arguments[q])}({string.Join(", ", rule.Arguments.Select(argument))}) * {dot}";
                terms.Add(double.TryParse(dot, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? term : $"({dot} == 0.0 ? 0.0 : {term})");
            }
        }

        return terms.Count == 0 ? "0.0" : string.Join(" + ", terms);
    }

    /// <summary>The throw expression generated code has where a second-order rule could not be derived: <paramref name="message"/> says why.</summary>
    internal static string ThrowNotSupported(string message) =>
        $"throw new global::System.NotSupportedException({SymbolDisplay.FormatLiteral(message, quote: true)})";

    /// <summary>Why a Hessian cannot pass through the function, or <see langword="null"/> when every partial's second order is known.</summary>
    public static string? Unsupported(FunctionSpec spec, IEnumerable<PartialRule> rules)
    {
        PartialRule? unsupported = rules.FirstOrDefault(r => r.SecondOrder is not { Error: null });
        if (unsupported is null)
        {
            return null;
        }

        string reason = unsupported.SecondOrder?.Error ?? "it was not analysed";
        return $"The Hessian cannot pass through {spec.Function.Name}: the second derivative of its rule "
            + $"{unsupported.MethodName} could not be derived ({reason}). Write the rule with constructs the generator "
            + "differentiates (see docs/declaring-ops.md).";
    }

    /// <summary>
    /// Whether partial <paramref name="rule"/> may change when input <paramref name="input"/> moves (directly, or through
    /// <c>result</c>): false only when every such second-order body is the constant 0, so kernels can skip the work.
    /// A rule whose second order is unknown counts as curved; its Hessian then reports why.
    /// </summary>
    public static bool Curves(FunctionSpec spec, int rule, int input)
    {
        PartialRule partial = spec.Partials[rule];
        if (partial.SecondOrder is not { Error: null } secondOrder)
        {
            return true;
        }

        string inputName = spec.Function.Inputs[input].Name;
        for (int q = 0; q < secondOrder.Bodies.Count; q++)
        {
            string reads = partial.Arguments[q];
            if ((reads == inputName || reads == Parser.ResultParameterName) && secondOrder.Bodies[q].Trim() != "return 0.0;")
            {
                return true;
            }
        }

        return false;
    }
}
