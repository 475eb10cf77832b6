using AutoDiff.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generators;

/// <summary>
/// Emits, for each <c>[Differentiable]</c> double function, the <c>AutoDiff.Var</c> overloads that record it on the
/// tape using its <c>[Derivative]</c> rules, and, in the AutoDiff library itself, its operator on <c>Var</c>.
/// </summary>
/// <remarks>
/// This type only wires the pipeline: <see cref="Parser"/> turns symbols into value models, <see cref="Binder"/> pairs
/// functions with derivatives, <see cref="Emitter"/> writes source. Every stage's output is value-equatable, so an edit
/// re-emits only the functions whose declarations it changed.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class AutoDiffGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<FunctionModel> functions = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Parser.DifferentiableAttributeName,
                static (node, _) => node is MethodDeclarationSyntax or LocalFunctionStatementSyntax,
                Parser.ParseFunction)
            .WithTrackingName(TrackingNames.Functions);

        IncrementalValueProvider<System.Collections.Immutable.ImmutableArray<DerivativeModel>> derivatives = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Parser.DerivativeAttributeName,
                static (node, _) => node is MethodDeclarationSyntax or LocalFunctionStatementSyntax,
                Parser.ParseDerivative)
            .WithTrackingName(TrackingNames.Derivatives)
            .Collect()
            .WithTrackingName(TrackingNames.AllDerivatives);

        IncrementalValueProvider<System.Collections.Immutable.ImmutableArray<FunctionKey>> functionKeys = functions
            .Select(static (function, _) => Binder.ToKey(function))
            .Collect()
            .WithTrackingName(TrackingNames.AllFunctionKeys);

        IncrementalValueProvider<bool> declaresVar = context.CompilationProvider
            .Select(static (compilation, _) => Parser.DeclaresVar(compilation))
            .WithTrackingName(TrackingNames.DeclaresVar);

        IncrementalValueProvider<string?> olderLanguage = context.ParseOptionsProvider
            .Select(static (options, _) => Parser.OlderThanRequired(options))
            .WithTrackingName(TrackingNames.LanguageVersion);

        IncrementalValuesProvider<FunctionSpec> specs = functions
            .Combine(derivatives)
            .Combine(functionKeys)
            .Combine(declaresVar)
            .Combine(olderLanguage)
            .Select(static (input, _) => Binder.Bind(
                input.Left.Left.Left.Left, input.Left.Left.Left.Right, input.Left.Left.Right, input.Left.Right, input.Right))
            .WithTrackingName(TrackingNames.Specs);

        IncrementalValueProvider<EquatableArray<DiagnosticInfo>> derivativeDiagnostics = derivatives
            .Combine(functionKeys)
            .Select(static (input, _) => Binder.CheckDerivatives(input.Left, input.Right))
            .WithTrackingName(TrackingNames.DerivativeDiagnostics);

        // The kernels of functions that emit nothing: a vector body calling one is dropped (UnemittedKernels).
        IncrementalValueProvider<EquatableArray<string>> unemittedKernels = specs
            .Where(static spec => !spec.CanEmit)
            .Select(static (spec, _) => UnemittedKernels.Key(spec))
            .Collect()
            .Select(static (keys, _) => UnemittedKernels.Collect(keys))
            .WithTrackingName(TrackingNames.UnemittedKernels);

        context.RegisterSourceOutput(specs.Combine(unemittedKernels), static (context, input) =>
        {
            FunctionSpec spec = input.Left;
            foreach (DiagnosticInfo diagnostic in spec.Diagnostics)
            {
                context.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (spec.CanEmit)
            {
                context.AddSource(Emitter.HintName(spec), Emitter.Emit(UnemittedKernels.Without(spec, input.Right)));
            }
        });

        context.RegisterSourceOutput(derivativeDiagnostics, static (context, diagnostics) =>
        {
            foreach (DiagnosticInfo diagnostic in diagnostics)
            {
                context.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });
    }
}
