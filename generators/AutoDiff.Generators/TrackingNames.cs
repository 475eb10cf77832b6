namespace AutoDiff.Generators;

/// <summary>
/// Names of the generator's pipeline steps, as they appear in <c>GeneratorRunResult.TrackedSteps</c>; tests use them
/// to prove that unrelated edits hit the cache.
/// </summary>
public static class TrackingNames
{
    /// <summary>Each <c>[Differentiable]</c> method parsed to a model.</summary>
    public const string Functions = nameof(Functions);

    /// <summary>Each <c>[Derivative]</c> method parsed to a model.</summary>
    public const string Derivatives = nameof(Derivatives);

    /// <summary>All derivative models of the compilation, collected.</summary>
    public const string AllDerivatives = nameof(AllDerivatives);

    /// <summary>The name, arity and operator of every function, collected.</summary>
    public const string AllFunctionKeys = nameof(AllFunctionKeys);

    /// <summary>Whether the compilation declares <c>AutoDiff.Var</c> (and so may add operators to it).</summary>
    public const string DeclaresVar = nameof(DeclaresVar);

    /// <summary>The project's C# version when it is older than the generated code needs, else null.</summary>
    public const string LanguageVersion = nameof(LanguageVersion);

    /// <summary>Each function bound to its derivatives: what is emitted, one output per function.</summary>
    public const string Specs = nameof(Specs);

    /// <summary>The kernel structs of the functions that emit nothing, collected: vector bodies must not call them.</summary>
    public const string UnemittedKernels = nameof(UnemittedKernels);

    /// <summary>The errors of derivatives not tied to one function's binding.</summary>
    public const string DerivativeDiagnostics = nameof(DerivativeDiagnostics);
}
