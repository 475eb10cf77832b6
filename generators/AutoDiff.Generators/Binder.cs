using System.Collections.Immutable;
using System.Linq;
using AutoDiff.Generators.Model;

namespace AutoDiff.Generators;

/// <summary>
/// Pairs each function with its derivatives and checks what no single declaration can: that every input has exactly
/// one rule, that rules read only what exists, that names and operators are unique. Works on models only, so it is
/// cheap to re-run whenever any declaration changes; its outputs stay equal for functions that did not.
/// </summary>
internal static class Binder
{
    public static FunctionKey ToKey(FunctionModel function) =>
        new(function.ContainingType, function.Name, function.Inputs.Count, function.Operator, function.Location);

    public static FunctionSpec Bind(
        FunctionModel function,
        ImmutableArray<DerivativeModel> derivatives,
        ImmutableArray<FunctionKey> functions,
        bool declaresVar,
        string? olderLanguage = null)
    {
        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
        diagnostics.AddRange(function.Diagnostics);

        // Code that would not compile is not emitted: the declaration is reported instead.
        if (olderLanguage is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.LanguageVersionTooOld, function.Location, function.Name, olderLanguage));
        }
        FunctionKey self = ToKey(function);

        // Every function of a duplicated name is left unemitted, but only the later ones are reported, once each.
        bool duplicated = functions.Count(f => SameFunction(f, self)) > 1;
        if (duplicated && !functions.First(f => SameFunction(f, self)).Equals(self))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                Diagnostics.DuplicateFunction, function.Location, function.Name, TypeDisplay(function)));
        }

        bool emitOperator = false;
        if (function.Operator is { } op)
        {
            FunctionKey? first = functions.FirstOrDefault(f => f.Operator == op && f.Arity == self.Arity);
            if (!declaresVar)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    Diagnostics.InvalidOperator,
                    function.OperatorLocation ?? function.Location,
                    op,
                    function.Name,
                    "only the AutoDiff library, which declares AutoDiff.Var, can add operators to Var"));
            }
            else if (first is not null && !first.Equals(self))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    Diagnostics.InvalidOperator,
                    function.OperatorLocation ?? function.Location,
                    op,
                    function.Name,
                    $"'{first.Name}' already defines it for {self.Arity} input{(self.Arity == 1 ? string.Empty : "s")}"));
            }
            else
            {
                emitOperator = true;
            }
        }

        int arity = function.Inputs.Count;
        bool derivativesValid = true;
        var rules = new PartialRule?[arity];
        var owners = new string?[arity];
        var branchPoints = new System.Collections.Generic.List<BranchPoint>(function.BranchPoints);
        var branchSurfaces = new System.Collections.Generic.List<BranchSurface>(function.BranchSurfaces);

        // With no valid arity (AD1003) or an ambiguous name (AD1011) there is nothing to bind the rules to.
        if (arity is >= 1 and <= 4 && !duplicated)
        {
            string[] inputs = function.Inputs.Select(i => i.Name).ToArray();
            string inputList = string.Join(", ", inputs.Select(i => "'" + i + "'"));
            foreach (DerivativeModel derivative in derivatives)
            {
                if (derivative.ContainingType != function.ContainingType || derivative.Function != function.Name)
                {
                    continue;
                }

                // The derivative's own signature errors (AD1010) are reported once, by the derivative check.
                derivativesValid &= derivative.IsValid;

                int target;
                if (derivative.WithRespectTo is null)
                {
                    if (arity != 1)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(
                            Diagnostics.InvalidWithRespectTo,
                            derivative.AttributeLocation ?? derivative.Location,
                            function.Name,
                            $"must name the input it is taken with respect to, as in [Derivative(nameof({function.Name}), \"{inputs[0]}\")]",
                            inputList));
                        continue;
                    }

                    target = 0;
                }
                else
                {
                    target = System.Array.IndexOf(inputs, derivative.WithRespectTo);
                    if (target < 0)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(
                            Diagnostics.InvalidWithRespectTo,
                            derivative.WithRespectToLocation ?? derivative.AttributeLocation ?? derivative.Location,
                            function.Name,
                            $"is taken with respect to '{derivative.WithRespectTo}', which is not an input",
                            inputList));
                        continue;
                    }
                }

                if (owners[target] is { } owner)
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        Diagnostics.DuplicateDerivative, derivative.Location, inputs[target], function.Name, owner));
                    continue;
                }

                owners[target] = derivative.MethodName;

                // A rule's comparisons of inputs (not of result) are the function's branch points too.
                branchPoints.AddRange(derivative.BranchPoints.Where(p => System.Array.IndexOf(inputs, p.Input) >= 0 && !branchPoints.Contains(p)));
                // A rule's lines of two inputs too, solved for the one the function declares first (the rule may declare
                // its parameters in another order).
                foreach (BranchSurface surface in derivative.BranchSurfaces)
                {
                    int input = System.Array.IndexOf(inputs, surface.Input), other = System.Array.IndexOf(inputs, surface.Other);
                    if (input < 0 || other < 0)
                    {
                        continue;
                    }

                    BranchSurface inOrder = input < other ? surface : surface.Flipped();
                    if (!branchSurfaces.Contains(inOrder))
                    {
                        branchSurfaces.Add(inOrder);
                    }
                }

                foreach (ParameterModel parameter in derivative.Parameters)
                {
                    if (parameter.Name != Parser.ResultParameterName && System.Array.IndexOf(inputs, parameter.Name) < 0)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(
                            Diagnostics.UnknownDerivativeParameter, parameter.Location, parameter.Name, function.Name, inputList));
                    }
                }

                rules[target] = new PartialRule(
                    derivative.MethodName,
                    derivative.Parameters.Select(p => p.Name).ToEquatableArray(),
                    derivative.VectorBody,
                    SecondOrder: derivative.SecondOrder,
                    Quotient: derivative.Quotient,
                    ReflectionBody: derivative.ReflectionBody,
                    CallsNative: derivative.CallsNative);
            }

            // An input without a rule takes the one derived from the body; an explicit rule always wins.
            var underivable = new System.Collections.Generic.List<string>();
            for (int i = 0; i < arity; i++)
            {
                if (owners[i] is not null)
                {
                    continue;
                }

                string suggestion = arity == 1
                    ? $"[Derivative(nameof({function.Name}))]"
                    : $"[Derivative(nameof({function.Name}), \"{inputs[i]}\")]";
                if (function.DerivedPartials.Count == arity)
                {
                    owners[i] = HelperNames.DerivedPartial(function.Name, inputs[i]);
                    rules[i] = new PartialRule(
                        owners[i]!,
                        inputs.ToEquatableArray(),
                        function.DerivedVectorBodies.Count == arity ? function.DerivedVectorBodies[i] : null,
                        DerivedBody: function.DerivedPartials[i],
                        SecondOrder: function.DerivedSecondOrder.Count == arity ? function.DerivedSecondOrder[i] : null,
                        // A derived partial calls what the body calls (the chain rule keeps every call's derivative).
                        CallsNative: function.CallsNative);
                }
                else if (function.DerivationError is not null)
                {
                    underivable.Add(suggestion);
                }
                else if (function.BodyUnreadable)
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        Diagnostics.MissingDerivative, function.Inputs[i].Location, inputs[i], function.Name, suggestion));
                }
            }

            // One error at the construct that stops the derivation, naming every rule that is then needed.
            if (underivable.Count > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    Diagnostics.UnsupportedDerivative,
                    function.DerivationError!.Location ?? function.Location,
                    function.Name,
                    function.DerivationError.What,
                    string.Join(" and ", underivable)));
            }
        }

        bool complete = diagnostics.Count == 0 && derivativesValid && !duplicated && rules.All(r => r is not null);
        // The spec needs no derivation of its own (the rules and errors carry what was used), so a body edit that
        // changes only an unused derivation leaves the spec, and the emitted code, unchanged.
        return new FunctionSpec(
            function with
            {
                DerivedPartials = EquatableArray<string>.Empty,
                DerivationError = null,
                BodyUnreadable = false,
                DerivedSecondOrder = EquatableArray<SecondOrderModel>.Empty,
                DerivedVectorBodies = EquatableArray<string>.Empty,
                BranchPoints = EquatableArray<BranchPoint>.Empty,
                BranchSurfaces = EquatableArray<BranchSurface>.Empty,
            },
            complete ? rules.Select(r => r!).ToEquatableArray() : EquatableArray<PartialRule>.Empty,
            complete && emitOperator,
            diagnostics.ToImmutable().ToEquatableArray(),
            branchPoints.ToEquatableArray(),
            functions.Any(f => !SameFunction(f, self) && SameIgnoringCase(f, self)) ? CaseSuffix(self) : null,
            branchSurfaces.ToEquatableArray());
    }

    /// <summary>Errors of derivatives that no function binding sees: their own signatures (AD1010) and unknown functions (AD1006).</summary>
    public static EquatableArray<DiagnosticInfo> CheckDerivatives(
        ImmutableArray<DerivativeModel> derivatives,
        ImmutableArray<FunctionKey> functions)
    {
        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
        foreach (DerivativeModel derivative in derivatives)
        {
            diagnostics.AddRange(derivative.Diagnostics);
            if (!functions.Any(f => f.ContainingType == derivative.ContainingType && f.Name == derivative.Function))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    Diagnostics.UnknownFunction,
                    derivative.FunctionLocation ?? derivative.Location,
                    derivative.Function ?? "null",
                    derivative.ContainingType.Replace("global::", string.Empty)));
            }
        }

        return diagnostics.ToImmutable().ToEquatableArray();
    }

    private static bool SameFunction(FunctionKey a, FunctionKey b) => a.ContainingType == b.ContainingType && a.Name == b.Name;

    private static bool SameIgnoringCase(FunctionKey a, FunctionKey b) =>
        string.Equals(a.ContainingType, b.ContainingType, System.StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.Name, b.Name, System.StringComparison.OrdinalIgnoreCase);

    // Which letters of the type's and function's names are capitals, as hex digits of four letters each: names equal but
    // for case differ here, and the suffix is the same on every build.
    private static string CaseSuffix(FunctionKey key)
    {
        var letters = (key.ContainingType + "." + key.Name).Where(char.IsLetter).ToArray();
        var digits = new System.Text.StringBuilder("c");
        for (int i = 0; i < letters.Length; i += 4)
        {
            int nibble = 0;
            for (int k = i; k < System.Math.Min(i + 4, letters.Length); k++)
            {
                nibble = (nibble << 1) | (char.IsUpper(letters[k]) ? 1 : 0);
            }

            digits.Append("0123456789abcdef"[nibble]);
        }

        return digits.ToString();
    }

    private static string TypeDisplay(FunctionModel function) => function.ContainingType.Replace("global::", string.Empty);
}
