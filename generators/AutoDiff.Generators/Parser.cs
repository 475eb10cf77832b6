using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using AutoDiff.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generators;

/// <summary>
/// Turns the symbols of one attributed method into a value model and the errors visible from that declaration alone.
/// Runs inside the attribute-driven syntax provider, so it must look at nothing but the method (with a partial method's
/// implementing declaration, in whichever file) and its class: whatever else it read would not be re-read when it changed.
/// </summary>
internal static class Parser
{
    public const string DifferentiableAttributeName = "AutoDiff.DifferentiableAttribute";
    public const string DerivativeAttributeName = "AutoDiff.DerivativeAttribute";
    public const string VarMetadataName = "AutoDiff.Var";

    /// <summary>The name a derivative's parameter uses to read the function's value.</summary>
    public const string ResultParameterName = "result";

    private const int MaxInputs = 4;

    private static readonly SymbolDisplayFormat NamespaceFormat =
        SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

    public static FunctionModel ParseFunction(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        ParseFunction((IMethodSymbol)context.TargetSymbol, context.Attributes[0], cancellationToken, context.SemanticModel);

    public static DerivativeModel ParseDerivative(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        ParseDerivative((IMethodSymbol)context.TargetSymbol, context.Attributes[0], cancellationToken, context.SemanticModel);

    // semanticModel: the model of the method's syntax tree, to translate its body to vectors; without it there is no vector body.
    public static FunctionModel ParseFunction(IMethodSymbol method, AttributeData attribute, CancellationToken cancellationToken, SemanticModel? semanticModel = null)
    {
        INamedTypeSymbol type = method.ContainingType;
        LocationInfo? location = LocationInfo.From(method.Locations.FirstOrDefault());
        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();

        if (!method.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.FunctionNotStatic, location, method.Name));
        }

        // Whether the signature is one a derivative can be derived for (AD1004 and AD1014 say why not): without it nothing
        // is derived, and the missing rules are not reported beside the error that already describes the declaration.
        bool differentiableSignature = !method.IsGenericMethod;

        // A local function is declared in a method, not in the class: nothing can extend it, and it was ignored without a
        // word (the attribute applies to local functions too).
        if (method.MethodKind == MethodKind.LocalFunction)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidContainingType, location, method.Name, method.ContainingSymbol.ToDisplayString()));
            differentiableSignature = false;
        }
        else if (!IsValidContainingType(type, cancellationToken))
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidContainingType, location, method.Name, type.ToDisplayString()));
        }

        if (method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.GenericFunction, location, method.Name));
        }

        int arity = method.Parameters.Length;
        if (arity is < 1 or > MaxInputs)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                Diagnostics.InvalidInputCount, location, method.Name, arity.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var inputs = ImmutableArray.CreateBuilder<ParameterModel>(arity);
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            LocationInfo? parameterLocation = LocationInfo.From(parameter.Locations.FirstOrDefault());
            inputs.Add(new ParameterModel(parameter.Name, parameterLocation));
            if (!IsDoubleByValue(parameter))
            {
                differentiableSignature = false;
                diagnostics.Add(DiagnosticInfo.Create(
                    Diagnostics.NotDouble, parameterLocation, $"Input '{parameter.Name}'", method.Name, Describe(parameter)));
            }

            if (parameter.Name == ResultParameterName)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InputNamedResult, parameterLocation, method.Name));
            }
        }

        if (method.ReturnType.SpecialType != SpecialType.System_Double || method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            differentiableSignature = false;
            var syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as MethodDeclarationSyntax;
            diagnostics.Add(DiagnosticInfo.Create(
                Diagnostics.NotDouble,
                LocationInfo.From(syntax?.ReturnType) ?? location,
                "The return type",
                method.Name,
                (method.ReturnsByRef ? "ref " : method.ReturnsByRefReadonly ? "ref readonly " : string.Empty) + method.ReturnType.ToDisplayString()));
        }

        (string? op, LocationInfo? operatorLocation) = ParseOperator(attribute, cancellationToken);
        if (op is not null && !IsValidOperator(op, arity, method, out string? reason))
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidOperator, operatorLocation ?? location, op, method.Name, reason!));
            op = null;
        }

        // A partial method's body is its implementing declaration's.
        IMethodSymbol withBody = MethodBodies.WithBody(method);
        SymbolicDifferentiator.Derivation? derivation = differentiableSignature
            ? SymbolicDifferentiator.Derive(withBody, semanticModel, cancellationToken)
            : null;
        DerivedPartialMethods? derivedPartials = DerivedPartialMethods.Bind(
            method.Parameters.Select(p => p.Name).ToArray(), derivation?.Bodies ?? [], semanticModel, cancellationToken);
        var branches = BranchPointFinder.Find(withBody, semanticModel, cancellationToken);
        return new FunctionModel(
            ContainingType: type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            Namespace: type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(NamespaceFormat),
            ClassName: type.Name,
            Name: method.Name,
            Accessibility: SyntaxFacts.GetText(method.DeclaredAccessibility),
            Inputs: inputs.MoveToImmutable().ToEquatableArray(),
            Operator: op,
            OperatorLocation: operatorLocation,
            Location: location,
            Diagnostics: diagnostics.ToImmutable().ToEquatableArray(),
            VectorBody: VectorTranslator.Translate(withBody, semanticModel, cancellationToken),
            DerivedPartials: (derivation?.Bodies ?? []).ToEquatableArray(),
            DerivationError: derivation?.Error,
            // A partial method without implementing declaration has no body either, but the compiler already says so
            // (CS8795): it is not reported again as missing rules.
            BodyUnreadable: differentiableSignature && derivation is null && !(method.IsPartialDefinition && method.PartialImplementationPart is null),
            DerivedSecondOrder: SecondOrderDeriver.ForDerivedPartials(derivedPartials, cancellationToken),
            DerivedVectorBodies: DerivedPartialMethods.VectorBodies(derivedPartials, cancellationToken),
            BranchPoints: branches.Points,
            ReflectionBody: arity == 1 ? VectorTranslator.TranslateReflection(withBody, semanticModel, cancellationToken) : null,
            BranchSurfaces: branches.Surfaces,
            CallsNative: NativeCalls.Makes(withBody, semanticModel, cancellationToken),
            KernelIsPublic: PublicKernels.IsVisibleOutside(method),
            CallerAttributes: CallerAttributes(method));
    }

    // semanticModel: the model of the method's syntax tree, to translate its body to vectors; without it there is no vector body.
    public static DerivativeModel ParseDerivative(IMethodSymbol method, AttributeData attribute, CancellationToken cancellationToken, SemanticModel? semanticModel = null)
    {
        LocationInfo? location = LocationInfo.From(method.Locations.FirstOrDefault());
        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();

        if (!method.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidDerivativeSignature, location, method.Name, "is not static"));
        }

        if (method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidDerivativeSignature, location, method.Name, "is generic"));
        }

        // The generated code cannot call a local function; it was ignored without a word, and the function's input took
        // the rule derived from the body instead of the one declared.
        if (method.MethodKind == MethodKind.LocalFunction)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidDerivativeSignature, location, method.Name, "is a local function"));
        }

        if (method.ReturnType.SpecialType != SpecialType.System_Double || method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                Diagnostics.InvalidDerivativeSignature, location, method.Name, $"returns '{method.ReturnType.ToDisplayString()}'"));
        }

        // The generated overloads call the rule, and a call of an [Obsolete] method warns (CS0618) or, with error: true,
        // does not compile (CS0619) in code its author cannot edit; a call of an [Experimental] one is an error. A
        // function's own attributes are copied onto what calls it (CallerAttributes), but a rule's cannot be: that would
        // make F's overloads obsolete or experimental too.
        foreach (AttributeData restriction in RestrictingAttributes(method))
        {
            string name = restriction.AttributeClass!.Name;
            diagnostics.Add(DiagnosticInfo.Create(
                Diagnostics.InvalidDerivativeSignature,
                location,
                method.Name,
                $"is marked [{name.Substring(0, name.Length - "Attribute".Length)}], and the generated overloads call it"));
        }

        var parameters = ImmutableArray.CreateBuilder<ParameterModel>(method.Parameters.Length);
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            LocationInfo? parameterLocation = LocationInfo.From(parameter.Locations.FirstOrDefault());
            parameters.Add(new ParameterModel(parameter.Name, parameterLocation));
            if (!IsDoubleByValue(parameter))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    Diagnostics.InvalidDerivativeSignature,
                    parameterLocation,
                    method.Name,
                    $"takes parameter '{parameter.Name}' as '{Describe(parameter)}'"));
            }
        }

        // The attribute's arguments may be positional or named (function:, withRespectTo:); find each one's syntax so
        // binding errors point at the very string that is wrong.
        ImmutableArray<TypedConstant> arguments = attribute.ConstructorArguments;
        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        SyntaxNode? functionSyntax = null, withRespectToSyntax = null;
        if (attributeSyntax?.ArgumentList is { } argumentList)
        {
            int position = 0;
            foreach (AttributeArgumentSyntax argument in argumentList.Arguments)
            {
                if (argument.NameEquals is not null)
                {
                    continue;
                }

                string? name = argument.NameColon?.Name.Identifier.ValueText;
                if (name == "function" || (name is null && position == 0))
                {
                    functionSyntax = argument;
                }
                else if (name == "withRespectTo" || (name is null && position == 1))
                {
                    withRespectToSyntax = argument;
                }

                position++;
            }
        }

        // A partial rule's body is its implementing declaration's.
        IMethodSymbol withBody = MethodBodies.WithBody(method);
        var branches = BranchPointFinder.Find(withBody, semanticModel, cancellationToken);
        return new DerivativeModel(
            ContainingType: method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            MethodName: method.Name,
            Function: arguments.Length >= 1 ? arguments[0].Value as string : null,
            WithRespectTo: arguments.Length >= 2 ? arguments[1].Value as string : null,
            Parameters: parameters.MoveToImmutable().ToEquatableArray(),
            Location: location,
            AttributeLocation: LocationInfo.From(attributeSyntax),
            FunctionLocation: LocationInfo.From(functionSyntax) ?? LocationInfo.From(attributeSyntax),
            WithRespectToLocation: LocationInfo.From(withRespectToSyntax),
            Diagnostics: diagnostics.ToImmutable().ToEquatableArray(),
            VectorBody: VectorTranslator.Translate(withBody, semanticModel, cancellationToken),
            SecondOrder: SecondOrderDeriver.ForRule(withBody, semanticModel, cancellationToken),
            BranchPoints: branches.Points,
            Quotient: VectorTranslator.TranslateQuotient(withBody, semanticModel, cancellationToken),
            ReflectionBody: VectorTranslator.TranslateReflection(withBody, semanticModel, cancellationToken),
            BranchSurfaces: branches.Surfaces,
            CallsNative: NativeCalls.Makes(withBody, semanticModel, cancellationToken));
    }

    /// <summary>
    /// The project's C# version (as the compiler names it, "12.0") when it is older than C# 13, which the generated code
    /// needs (params spans, collection expressions, static abstract interface members); null when it is new enough.
    /// </summary>
    public static string? OlderThanRequired(ParseOptions options) =>
        options is CSharpParseOptions { LanguageVersion: var version } && version < LanguageVersion.CSharp13
            ? version.ToDisplayString()
            : null;

    /// <summary>Whether the compilation itself declares <c>AutoDiff.Var</c>, the only place where operators can be added to it.</summary>
    public static bool DeclaresVar(Compilation compilation) => compilation.Assembly.GetTypeByMetadataName(VarMetadataName) is not null;

    private static bool IsValidContainingType(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.TypeKind == TypeKind.Class
        && type.IsStatic
        && type.ContainingType is null
        && !type.IsGenericType
        // A file-local class cannot be extended from the generated file.
        && !type.IsFileLocal
        && type.DeclaringSyntaxReferences.All(reference =>
            reference.GetSyntax(cancellationToken) is ClassDeclarationSyntax declaration
            && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));

    // The attributes that restrict a method's callers: a call of the method from a member without the same attribute
    // warns or fails ([Obsolete]: CS0618, or CS0619 with error: true; [Experimental]: an error with its own id).
    private static readonly string[] CallerAttributeNames = ["System.ObsoleteAttribute", "System.Diagnostics.CodeAnalysis.ExperimentalAttribute"];

    /// <summary>
    /// The method's <c>[Obsolete]</c> and <c>[Experimental]</c> as C# source, one a line
    /// (<c>[global::System.Obsolete("use G", true)]</c>), or <see langword="null"/> when it has neither. Written on the
    /// generated members that call a function marked so: a call from a member marked alike neither warns nor fails, and
    /// the function's overloads tell their callers what the function tells its own.
    /// </summary>
    // The method's [Obsolete] and [Experimental] attributes: whatever calls it must carry them too.
    private static IEnumerable<AttributeData> RestrictingAttributes(IMethodSymbol method) =>
        method.GetAttributes().Where(a => a.AttributeClass is { } type && CallerAttributeNames.Contains(type.ToDisplayString()));

    internal static string? CallerAttributes(IMethodSymbol method)
    {
        var lines = RestrictingAttributes(method)
            .Select(a => "[" + a.AttributeClass!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "("
                + string.Join(", ", a.ConstructorArguments.Select(c => c.ToCSharpString())
                    .Concat(a.NamedArguments.Select(n => n.Key + " = " + n.Value.ToCSharpString())))
                + ")]")
            .ToArray();
        return lines.Length == 0 ? null : string.Join("\n", lines);
    }

    private static bool IsDoubleByValue(IParameterSymbol parameter) =>
        parameter.Type.SpecialType == SpecialType.System_Double && parameter.RefKind == RefKind.None;

    private static string Describe(IParameterSymbol parameter)
    {
        string type = parameter.Type.ToDisplayString();
        return parameter.RefKind switch
        {
            RefKind.Ref => "ref " + type,
            RefKind.Out => "out " + type,
            RefKind.In => "in " + type,
            RefKind.RefReadOnlyParameter => "ref readonly " + type,
            _ => parameter.IsParams ? "params " + type : type,
        };
    }

    private static (string? Operator, LocationInfo? Location) ParseOperator(AttributeData attribute, CancellationToken cancellationToken)
    {
        string? op = null;
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "Operator")
            {
                op = argument.Value.Value as string;
            }
        }

        if (op is null)
        {
            return (null, null);
        }

        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        AttributeArgumentSyntax? argumentSyntax = attributeSyntax?.ArgumentList?.Arguments
            .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Operator");
        return (op, LocationInfo.From((SyntaxNode?)argumentSyntax ?? attributeSyntax));
    }

    private static bool IsValidOperator(string op, int arity, IMethodSymbol method, out string? reason)
    {
        reason = arity switch
        {
            1 when op != "-" => "a one-input function can define only the unary operator \"-\"",
            2 when op is not ("+" or "-" or "*" or "/") => "a two-input function can define \"+\", \"-\", \"*\" or \"/\"",
            1 or 2 => null,
            _ => "only one- and two-input functions can define an operator",
        };

        // User-defined operators are public members of Var, which must be able to call the function.
        if (reason is null && method.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
        {
            reason = "the operator on Var calls the function, so the function must be public or internal";
        }

        return reason is null;
    }
}
