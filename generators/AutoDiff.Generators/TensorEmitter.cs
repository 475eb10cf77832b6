using System.CodeDom.Compiler;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using AutoDiff.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generators;

/// <summary>
/// Writes the tensor side of a one- or two-input function: a kernel struct holding the function and its partials, the
/// <c>Tensor</c> overloads that hand it to the runtime's drivers, and, for the library's arithmetic, the operators on
/// <c>Tensor</c>. The same declaration thus drives the scalar and the tensor paths.
/// </summary>
internal static class TensorEmitter
{
    private const string Var = "global::AutoDiff.Var";
    private const string Tensor = "global::AutoDiff.Tensor";

    /// <summary>
    /// The parameter kinds of each tensor overload: every mix of <c>Tensor</c>, <c>Var</c> and <c>double</c> with at least
    /// one <c>Tensor</c> (the others belong to the <c>Var</c> overloads and the function itself), so every call matches one
    /// overload exactly: <c>Tensor</c> and <c>Var</c> convert into each other implicitly, which would make a call that
    /// relied on conversions ambiguous. Ordered by the number of <c>double</c>s, then of <c>Var</c>s, then position.
    /// </summary>
    private static IEnumerable<string[]> OverloadShapes(int arity)
    {
        string[] kinds = [Tensor, Var, "double"];
        IEnumerable<string[]> all = [[]];
        for (int i = 0; i < arity; i++)
        {
            all = all.SelectMany(prefix => kinds.Select(kind => prefix.Append(kind).ToArray())).ToArray();
        }

        return all.Where(shape => shape.Contains(Tensor))
            .OrderBy(shape => shape.Count(k => k == "double"))
            .ThenBy(shape => shape.Count(k => k == Var))
            .ThenBy(shape => string.Concat(shape.Select(k => (char)('0' + System.Array.IndexOf(kinds, k)))), System.StringComparer.Ordinal);
    }

    public static void WriteOverloads(IndentedTextWriter writer, FunctionSpec spec)
    {
        FunctionModel function = spec.Function;
        string[] inputs = function.Inputs.Select(i => i.Name).ToArray();
        string[] names = inputs.Select(Emitter.Escape).ToArray();
        string kernel = HelperNames.Kernel(function.Name);
        string driver = inputs.Length switch { 1 => "Unary", 2 => "Binary", _ => "Nary" };
        string cref = $"{Emitter.Escape(function.Name)}({string.Join(", ", inputs.Select(_ => "double"))})";

        foreach (string[] kinds in OverloadShapes(inputs.Length))
        {
            writer.WriteLineNoTabs(string.Empty);
            writer.WriteLine($"/// <inheritdoc cref=\"{cref}\"/>");
            writer.WriteLine(Emitter.GeneratedCodeAttribute);
            string parameters = string.Join(", ", names.Select((n, i) => kinds[i] + " " + n));
            string arguments = string.Join(", ", names.Select((n, i) => kinds[i] == Tensor ? n : $"({Tensor}){n}"));
            Emitter.WriteCallerAttributes(writer, function);
            writer.WriteLine($"{function.Accessibility} static {Tensor} {Emitter.Escape(function.Name)}({parameters}) =>");
            writer.Indent++;
            writer.WriteLine($"global::AutoDiff.TensorKernels.{driver}<{kernel}>({arguments});");
            writer.Indent--;
        }

        writer.WriteLineNoTabs(string.Empty);
        WriteKernel(writer, spec, kernel);
    }

    public static void WriteOperators(IndentedTextWriter writer, FunctionModel function)
    {
        string[] names = function.Inputs.Select(i => Emitter.Escape(i.Name)).ToArray();
        string target = function.ContainingType + "." + Emitter.Escape(function.Name);
        string cref = $"{target}({string.Join(", ", names.Select(_ => "double"))})";

        writer.WriteLine("namespace AutoDiff");
        writer.WriteLine("{");
        writer.Indent++;
        writer.WriteLine("partial class Tensor");
        writer.WriteLine("{");
        writer.Indent++;
        bool first = true;
        foreach (string[] kinds in OverloadShapes(names.Length))
        {
            if (!first)
            {
                writer.WriteLineNoTabs(string.Empty);
            }

            first = false;
            string parameters = string.Join(", ", names.Select((n, i) => kinds[i] + " " + n));
            writer.WriteLine($"/// <inheritdoc cref=\"{cref}\"/>");
            writer.WriteLine(Emitter.GeneratedCodeAttribute);
            Emitter.WriteCallerAttributes(writer, function);
            writer.WriteLine($"public static {Tensor} operator {function.Operator}({parameters}) => {target}({string.Join(", ", names)});");
        }

        writer.Indent--;
        writer.WriteLine("}");
        writer.Indent--;
        writer.WriteLine("}");
    }

    // The kernel's parameters are fixed (x | a, b, and result); each partial's own arguments are mapped onto them.
    private static void WriteKernel(IndentedTextWriter writer, FunctionSpec spec, string kernel)
    {
        if (spec.Function.Inputs.Count > 2)
        {
            WriteNaryKernel(writer, spec, kernel);
            return;
        }

        FunctionModel function = spec.Function;
        string self = function.ContainingType;
        string[] inputs = function.Inputs.Select(i => i.Name).ToArray();
        bool unary = inputs.Length == 1;
        string[] kernelParameters = unary ? ["x"] : ["a", "b"];
        string resultName = "result";

        string Call(PartialRule rule) =>
            $"{self}.{Emitter.Escape(rule.MethodName)}({string.Join(", ", rule.Arguments.Select(a => a == Parser.ResultParameterName ? resultName : kernelParameters[System.Array.IndexOf(inputs, a)]))})";

        // A public function's kernel is public too, for the vector bodies of other assemblies' declarations that call the
        // function (PublicKernels); its members are the interface's, documented there.
        if (function.KernelIsPublic)
        {
            writer.WriteLine($"/// <summary>The fused tensor kernel of <see cref=\"{self}.{Emitter.Escape(function.Name)}({string.Join(", ", inputs.Select(_ => "double"))})\"/>, called by generated code.</summary>");
            writer.WriteLineNoTabs("#pragma warning disable CS1591");
            writer.WriteLine("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        }

        writer.WriteLine(Emitter.GeneratedCodeAttribute);
        writer.WriteLine($"{(function.KernelIsPublic ? "public" : "private")} readonly struct {kernel} : global::AutoDiff.{(unary ? "IUnaryKernel" : "IBinaryKernel")}");
        writer.WriteLine("{");
        writer.Indent++;
        writer.WriteLine($"public static string Name => \"{function.Name}\";");
        Emitter.WriteCallerAttributes(writer, function);
        if (unary)
        {
            writer.WriteLine($"public static double Value(double x) => {self}.{Emitter.Escape(function.Name)}(x);");
            writer.WriteLine($"public static double Derivative(double x, double result) => {Call(spec.Partials[0])};");
        }
        else
        {
            writer.WriteLine($"public static double Value(double a, double b) => {self}.{Emitter.Escape(function.Name)}(a, b);");
            writer.WriteLine($"public static double DerivativeA(double a, double b, double result) => {Call(spec.Partials[0])};");
            writer.WriteLine($"public static double DerivativeB(double a, double b, double result) => {Call(spec.Partials[1])};");
            writer.WriteLine($"public static global::AutoDiff.PartialReads DerivativeAReads => {Reads(spec.Partials[0], inputs)};");
            writer.WriteLine($"public static global::AutoDiff.PartialReads DerivativeBReads => {Reads(spec.Partials[1], inputs)};");
        }

        WritePartialTangents(writer, function);

        // Which second derivatives are identically 0 (linear and bilinear functions), so a Hessian skips their work.
        string Literal(bool value) => value ? "true" : "false";
        if (unary)
        {
            writer.WriteLine($"public static bool HasCurvature => {Literal(SecondOrderEmitter.Curves(spec, 0, 0))};");

            // f″(x) = ∂f′/∂x + ∂f′/∂y · f′: the rule's change per unit ẋ, without the spans of PartialTangents.
            string curvature = SecondOrderEmitter.Unsupported(spec, spec.Partials) is { } message
                ? SecondOrderEmitter.ThrowNotSupported(message)
                : SecondOrderEmitter.TangentOfPartial(
                    spec,
                    spec.Partials[0],
                    a => a == Parser.ResultParameterName ? resultName : "x",
                    read => read == Parser.ResultParameterName ? "slope" : "1.0");
            writer.WriteLine($"public static double Curvature(double x, double result, double slope) => {curvature};");
        }
        else
        {
            bool aa = SecondOrderEmitter.Curves(spec, 0, 0), ab = SecondOrderEmitter.Curves(spec, 0, 1);
            bool ba = SecondOrderEmitter.Curves(spec, 1, 0), bb = SecondOrderEmitter.Curves(spec, 1, 1);
            writer.WriteLine($"public static bool HasCurvature => {Literal(aa || ab || ba || bb)};");
            writer.WriteLine($"public static bool CurvesA => {Literal(aa)};");
            writer.WriteLine($"public static bool CurvesB => {Literal(bb)};");
        }

        // The vector bodies: the declarations' own bodies, translated lane for lane, with the declared inputs' names as
        // parameters so the translated text reads them as written. A rule is vectorized only if all of them are.
        string[] names = inputs.Select(Emitter.Escape).ToArray();
        WriteVectorValue(writer, function, names);
        // (A body with a reflection has a vector body too: the reflection translates the same constructs, twice.)
        if (unary && function.ReflectionBody is not null && spec.Partials[0].ReflectionBody is not null)
        {
            WriteReflection(writer, spec, names[0]);
        }

        if (spec.Partials.All(p => p.VectorBody is not null))
        {
            writer.WriteLine("public static bool IsDerivativeVectorized => true;");

            // A derivative that calls a transcendental function is computed beside the value and kept for the backward
            // pass (IUnaryKernel.SavesPartial); a cheap one is computed again, which moves less memory. Only with a vector
            // value too: beside a scalar value (Tanh's Math.Tanh) the partial would lose its own vector loop.
            if (unary && function.VectorBody is not null && CallSites.AnyCached(spec.Partials.Select(p => p.VectorBody!)))
            {
                writer.WriteLine("public static bool SavesPartial => true;");
            }

            foreach (string width in VectorWidths)
            {
                WriteVectorPartials(writer, spec, width, names, names, selector: string.Empty, cache: null);
            }

            if (!unary)
            {
                WriteQuotients(writer, spec, inputs, names);
            }
        }

        if (!unary)
        {
            WriteCachedForms(writer, spec, names, names, selector: string.Empty);
        }

        writer.Indent--;
        writer.WriteLine("}");
        if (function.KernelIsPublic)
        {
            writer.WriteLineNoTabs("#pragma warning restore CS1591");
        }
    }

    // An INaryKernel: every member takes four inputs, named as the declaration's (a three-input kernel's fourth is unused),
    // and a partial is chosen by an index that the drivers pass as a constant, so the JIT folds the switch.
    private static void WriteNaryKernel(IndentedTextWriter writer, FunctionSpec spec, string kernel)
    {
        FunctionModel function = spec.Function;
        string self = function.ContainingType;
        string[] inputs = function.Inputs.Select(i => i.Name).ToArray();
        string[] names = inputs.Select(Emitter.Escape).ToArray();
        string[] parameters = inputs.Length == 4 ? names : [.. names, Emitter.Local("__unused", inputs)];
        string selector = Emitter.Local("__input", inputs);
        string resultName = Parser.ResultParameterName;

        string Call(PartialRule rule) =>
            $"{self}.{Emitter.Escape(rule.MethodName)}({string.Join(", ", rule.Arguments.Select(a => a == resultName ? resultName : Emitter.Escape(a)))})";

        writer.WriteLine(Emitter.GeneratedCodeAttribute);
        writer.WriteLine($"private readonly struct {kernel} : global::AutoDiff.INaryKernel");
        writer.WriteLine("{");
        writer.Indent++;
        writer.WriteLine($"public static string Name => \"{function.Name}\";");
        writer.WriteLine($"public static int Arity => {inputs.Length};");
        Emitter.WriteCallerAttributes(writer, function);
        writer.WriteLine($"public static double Value({string.Join(", ", parameters.Select(p => "double " + p))}) => {self}.{Emitter.Escape(function.Name)}({string.Join(", ", names)});");
        string derivativeParameters = string.Join(", ", parameters.Append(resultName).Select(p => "double " + p));
        writer.WriteLine($"public static double Derivative(int {selector}, {derivativeParameters}) =>");
        writer.Indent++;
        writer.WriteLine(Switch(selector, inputs.Length, i => Call(spec.Partials[i])) + ";");
        writer.Indent--;
        writer.WriteLine($"public static global::AutoDiff.PartialReads DerivativeReads(int {selector}) =>");
        writer.Indent++;
        writer.WriteLine(Switch(selector, inputs.Length, i => Reads(spec.Partials[i], inputs)) + ";");
        writer.Indent--;
        WritePartialTangents(writer, function);

        WriteVectorValue(writer, function, parameters);

        if (spec.Partials.All(p => p.VectorBody is not null))
        {
            writer.WriteLine("public static bool IsDerivativeVectorized => true;");
            foreach (string width in VectorWidths)
            {
                WriteVectorPartials(writer, spec, width, parameters, names, selector, cache: null);
            }

            WriteNaryQuotients(writer, spec, inputs, parameters, names, selector);
        }

        WriteCachedForms(writer, spec, parameters, names, selector);
        writer.Indent--;
        writer.WriteLine("}");
    }

    // The vector bodies again, each taking the row's call cache (IBinaryKernel.UsesCallCache), when a translated body makes
    // an expensive call (Math.Exp, Math.Log, another declared function): the drivers then call these forms, and a call on
    // a broadcast input, the same vector in every block, runs once per row. The value has its own slots; the partials,
    // evaluated together in the backward loop, share theirs.
    private static void WriteCachedForms(IndentedTextWriter writer, FunctionSpec spec, string[] valueParameters, string[] names, string selector)
    {
        string? value = spec.Function.VectorBody;
        bool partials = spec.Partials.All(p => p.VectorBody is not null);
        string[] bodies = [.. (partials ? spec.Partials.Select(p => p.VectorBody!) : []).Prepend(value).OfType<string>()];
        if (!CallSites.AnyCached(bodies))
        {
            return;
        }

        string cache = CallSites.CacheName(bodies.Concat(valueParameters));
        writer.WriteLine("public static bool UsesCallCache => true;");
        foreach (string width in VectorWidths)
        {
            if (value is not null)
            {
                int slot = 0;
                string vector = VectorType(width);
                WriteVectorMethod(
                    writer, vector, "Value", valueParameters.Select(n => vector + " " + n).Append(CacheParameter(width, cache)), CallSites.Cached(value, cache, ref slot), width);
            }

            if (partials)
            {
                WriteVectorPartials(writer, spec, width, valueParameters, names, selector, cache);
            }
        }
    }

    private static string CacheParameter(string width, string cache) => $"ref global::AutoDiff.CallCache{width.Substring("Vector".Length)} {cache}";

    // The vector partials at one width: Derivative (one input), DerivativeA and DerivativeB (two), or for three and four
    // inputs a dispatcher on the partial's index and one private method per input. With a cache name, every method also
    // takes the row's call cache and its marked calls go through it, one slot numbering across all the partials.
    private static void WriteVectorPartials(
        IndentedTextWriter writer, FunctionSpec spec, string width, string[] valueParameters, string[] names, string selector, string? cache)
    {
        int nextSlot = 0;
        string vector = VectorType(width);
        string resultName = Parser.ResultParameterName;
        var parameters = names.Append(resultName).Select(n => vector + " " + n);
        if (cache is not null)
        {
            parameters = parameters.Append(CacheParameter(width, cache));
        }

        string Body(int input) => cache is null ? spec.Partials[input].VectorBody! : CallSites.Cached(spec.Partials[input].VectorBody!, cache, ref nextSlot);
        if (names.Length <= 2)
        {
            string[] methods = names.Length == 1 ? ["Derivative"] : ["DerivativeA", "DerivativeB"];
            for (int i = 0; i < methods.Length; i++)
            {
                WriteVectorMethod(writer, vector, methods[i], parameters, Body(i), width);
            }

            return;
        }

        string arguments = string.Join(", ", names.Append(resultName)) + (cache is null ? string.Empty : ", ref " + cache);
        var dispatcherParameters = valueParameters.Append(resultName).Select(n => vector + " " + n);
        if (cache is not null)
        {
            dispatcherParameters = dispatcherParameters.Append(CacheParameter(width, cache));
        }

        writer.WriteLine(AggressiveInlining);
        writer.WriteLine($"public static {vector} Derivative(int {selector}, {string.Join(", ", dispatcherParameters)}) =>");
        writer.Indent++;
        writer.WriteLine(Switch(selector, names.Length, i => $"Derivative{i}{width}({arguments})") + ";");
        writer.Indent--;
        for (int i = 0; i < names.Length; i++)
        {
            WriteVectorMethod(writer, vector, $"Derivative{i}{width}", parameters, Body(i), width, "private");
        }
    }

    // For a binary rule that is one quotient by an expression of inputs (∂(a/b)/∂b = -result / b): what its divisor
    // reads (IBinaryKernel.DerivativeBDivisorReads), its numerator at both widths and its divisor at 256 bits. A rule that is no
    // quotient, or whose divisor reads the result, has none.
    private static void WriteQuotients(IndentedTextWriter writer, FunctionSpec spec, string[] inputs, string[] names)
    {
        string[] sides = ["A", "B"];
        for (int i = 0; i < sides.Length; i++)
        {
            if (spec.Partials[i].Quotient is not { } quotient)
            {
                continue;
            }

            writer.WriteLine($"public static global::AutoDiff.PartialReads Derivative{sides[i]}DivisorReads => {Reads(quotient.DivisorReads, inputs)};");
            foreach (string width in VectorWidths)
            {
                string vector = VectorType(width);
                WriteVectorMethod(
                    writer, vector, $"Derivative{sides[i]}Numerator", names.Append(Parser.ResultParameterName).Select(n => vector + " " + n), quotient.NumeratorBody, width);
            }

            string divisor = VectorType(DivisorWidth);
            WriteVectorMethod(writer, divisor, $"Derivative{sides[i]}Divisor", names.Select(n => divisor + " " + n), quotient.DivisorBody, DivisorWidth);
        }
    }

    // For the rules of a three- or four-input kernel that are one quotient by an expression of inputs (∂/∂μ =
    // (y − μ)/(σ·σ)): what each divisor reads (INaryKernel.DerivativeDivisorReads, None for the other rules), and the
    // numerators at both widths and the divisors at 256 bits, chosen by the partial's index as the partials are.
    private static void WriteNaryQuotients(IndentedTextWriter writer, FunctionSpec spec, string[] inputs, string[] parameters, string[] names, string selector)
    {
        QuotientModel?[] quotients = [.. spec.Partials.Select(p => p.Quotient)];
        if (quotients.All(q => q is null))
        {
            return;
        }

        string result = Parser.ResultParameterName;
        writer.WriteLine($"public static global::AutoDiff.PartialReads DerivativeDivisorReads(int {selector}) =>");
        writer.Indent++;
        writer.WriteLine(Switch(selector, inputs.Length, i => quotients[i] is { } q ? Reads(q.DivisorReads, inputs) : "global::AutoDiff.PartialReads.None") + ";");
        writer.Indent--;
        foreach (string width in VectorWidths)
        {
            string vector = VectorType(width);
            string numeratorArguments = string.Join(", ", names.Append(result));
            writer.WriteLine(AggressiveInlining);
            writer.WriteLine($"public static {vector} DerivativeNumerator(int {selector}, {string.Join(", ", parameters.Append(result).Select(n => vector + " " + n))}) =>");
            writer.Indent++;
            writer.WriteLine(Switch(selector, inputs.Length, i => quotients[i] is null ? "default" : $"Numerator{i}{width}({numeratorArguments})") + ";");
            writer.Indent--;
            for (int i = 0; i < quotients.Length; i++)
            {
                if (quotients[i] is { } quotient)
                {
                    WriteVectorMethod(writer, vector, $"Numerator{i}{width}", names.Append(result).Select(n => vector + " " + n), quotient.NumeratorBody, width, "private");
                }
            }
        }

        string vector256 = VectorType(DivisorWidth);
        writer.WriteLine(AggressiveInlining);
        writer.WriteLine($"public static {vector256} DerivativeDivisor(int {selector}, {string.Join(", ", parameters.Select(n => vector256 + " " + n))}) =>");
        writer.Indent++;
        writer.WriteLine(Switch(selector, inputs.Length, i => quotients[i] is null ? "default" : $"Divisor{i}({string.Join(", ", names)})") + ";");
        writer.Indent--;
        for (int i = 0; i < quotients.Length; i++)
        {
            if (quotients[i] is { } quotient)
            {
                WriteVectorMethod(writer, vector256, $"Divisor{i}", names.Select(n => vector256 + " " + n), quotient.DivisorBody, DivisorWidth, "private");
            }
        }
    }

    // What a rule reads, as the runtime's PartialReads flags: the inputs among its parameters (by their position in the
    // function), and the result. The drivers evaluate a rule that reads only broadcast inputs once per row.
    private static string Reads(PartialRule rule, string[] inputs) => Reads(rule.Arguments, inputs);

    // The same for any list of the function's parameter names (a quotient's divisor's).
    private static string Reads(IEnumerable<string> arguments, string[] inputs)
    {
        string[] flags = [.. arguments
            .Select(a => a == Parser.ResultParameterName ? "Result" : "Input" + System.Array.IndexOf(inputs, a).ToString(CultureInfo.InvariantCulture))
            .Distinct()
            .OrderBy(f => f, System.StringComparer.Ordinal)
            .Select(f => "global::AutoDiff.PartialReads." + f)];
        return flags.Length == 0 ? "global::AutoDiff.PartialReads.None" : string.Join(" | ", flags);
    }

    // "selector switch { 0 => …, 1 => …, _ => …, }": the last case is the default, so the switch is exhaustive.
    private static string Switch(string selector, int count, System.Func<int, string> partial) =>
        $"{selector} switch {{ {string.Join(" ", Enumerable.Range(0, count).Select(i => (i == count - 1 ? "_" : i.ToString(CultureInfo.InvariantCulture)) + " => " + partial(i) + ","))} }}";

    // The kernel's second-order rule: the all-Var overload's rule struct, element by element.
    private static void WritePartialTangents(IndentedTextWriter writer, FunctionModel function)
    {
        writer.WriteLine(
            "public static void PartialTangents(global::System.ReadOnlySpan<double> values, global::System.ReadOnlySpan<double> tangents, "
            + "double result, double resultTangent, global::System.Span<double> partialTangents) =>");
        writer.Indent++;
        writer.WriteLine($"{SecondOrderEmitter.RuleInstance(function, function.Inputs.Select(_ => true).ToArray())}.PartialTangents(values, tangents, result, resultTangent, partialTangents);");
        writer.Indent--;
    }

    // A one-input kernel whose value and rule each share work between x and −x (VectorTranslator.TranslateReflection):
    // both at x and at −x in one body, at both widths (IUnaryKernel.HasReflection).
    private static void WriteReflection(IndentedTextWriter writer, FunctionSpec spec, string x)
    {
        string magnitude = VectorTranslator.MagnitudeParameter, result = Parser.ResultParameterName;
        (string atX, string atMinusX) = VectorTranslator.ReflectionOutputs;
        writer.WriteLine("public static bool HasReflection => true;");
        foreach (string width in VectorWidths)
        {
            string vector = VectorType(width);
            string[] outputs = [$"out {vector} {atX}", $"out {vector} {atMinusX}"];
            WriteVectorMethod(
                writer, "void", "ValueAndReflection", [$"{vector} {x}", $"{vector} {magnitude}", .. outputs], spec.Function.ReflectionBody!, width);
            WriteVectorMethod(
                writer,
                "void",
                "DerivativeAndReflection",
                [$"{vector} {x}", $"{vector} {magnitude}", $"{vector} {result}", $"{vector} {VectorTranslator.ReflectedResultParameter}", .. outputs],
                spec.Partials[0].ReflectionBody!,
                width);
        }
    }

    // The function's vector value at both widths, when its body was translated.
    private static void WriteVectorValue(IndentedTextWriter writer, FunctionModel function, IEnumerable<string> parameters)
    {
        if (function.VectorBody is not { } valueBody)
        {
            return;
        }

        writer.WriteLine("public static bool IsValueVectorized => true;");
        foreach (string width in VectorWidths)
        {
            string vector = VectorType(width);
            WriteVectorMethod(writer, vector, "Value", parameters.Select(n => vector + " " + n), valueBody, width);
        }
    }

    private const string AggressiveInlining =
        "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";

    private static readonly string[] VectorWidths = ["Vector512", "Vector256"];

    // A quotient rule's divisor has one width: the backward reads it once per row, whatever the loops' width.
    private const string DivisorWidth = "Vector256";

    private static string VectorType(string width) => $"global::System.Runtime.Intrinsics.{width}<double>";

    // A method of a translated body returning a vector, or void (a reflection's, which ends by assigning its outputs).
    private static void WriteVectorMethod(
        IndentedTextWriter writer, string vector, string name, IEnumerable<string> parameters, string body, string width, string accessibility = "public")
    {
        string[] lines = CallSites.Direct(body).Replace(VectorTranslator.VectorClass, "global::System.Runtime.Intrinsics." + width).Split('\n');
        string signature = $"{accessibility} static {vector} {name}({string.Join(", ", parameters)})";

        // A body that calls another declaration's (LogSigmoid's Softplus, Softplus's Log1p) is otherwise called, not
        // inlined, once the callee is large: a call per block that passes its vectors through the stack.
        writer.WriteLine(AggressiveInlining);
        if (lines.Length == 1 && lines[0].StartsWith("return ", System.StringComparison.Ordinal))
        {
            writer.WriteLine($"{signature} => {lines[0].Substring("return ".Length)}");
            return;
        }

        writer.WriteLine(signature);
        writer.WriteLine("{");
        writer.Indent++;
        foreach (string line in lines)
        {
            writer.WriteLine(line);
        }

        writer.Indent--;
        writer.WriteLine("}");
    }
}
