namespace AutoDiff.Generators.Model;

/// <summary>
/// A function bound to its derivatives: everything the emitter needs, and every error found for it. Produced once per
/// <see cref="FunctionModel"/>, so editing one function re-emits only that function.
/// </summary>
/// <param name="Function">The declaration.</param>
/// <param name="Partials">One rule per input, in input order; empty when <see cref="CanEmit"/> is false.</param>
/// <param name="EmitOperator">Whether to emit the <c>Operator</c> on <c>AutoDiff.Var</c>.</param>
/// <param name="Diagnostics">All errors for this function, its own and those of its derivatives' binding.</param>
/// <param name="BranchPoints">Where the function or its rules branch on an input, for the declared-op sweep.</param>
/// <param name="HintSuffix">
/// What keeps the generated file's name unique when another function's differs only in letter case (Sq and SQ, or
/// namespaces Models and models): hint names are compared ignoring case. Null otherwise.
/// </param>
/// <param name="BranchSurfaces">
/// The lines in the plane of two inputs on which the function or its rules branch, each solved for the input declared
/// first, for the declared-op sweep.
/// </param>
internal sealed record FunctionSpec(
    FunctionModel Function,
    EquatableArray<PartialRule> Partials,
    bool EmitOperator,
    EquatableArray<DiagnosticInfo> Diagnostics,
    EquatableArray<BranchPoint> BranchPoints = default,
    string? HintSuffix = null,
    EquatableArray<BranchSurface> BranchSurfaces = default)
{
    /// <summary>Code is emitted only for a function without errors, so the generator never emits code that does not compile.</summary>
    public bool CanEmit => Diagnostics.IsEmpty && Partials.Count == Function.Inputs.Count && Partials.Count > 0;
}

/// <summary>
/// The rule for ∂F/∂input: the derivative method and the names of what it reads, in its parameter order, and its body
/// translated lane for lane (<see langword="null"/> when it has no vector form). A rule derived from the function's body
/// carries that method's body in <paramref name="DerivedBody"/>, and the emitter writes the method. <paramref name="SecondOrder"/>
/// is the rule differentiated once more, for Hessians; <paramref name="Quotient"/> its split into numerator and divisor when
/// it is one quotient whose divisor reads inputs and not the result; <paramref name="ReflectionBody"/> its vector body at x and at −x side
/// by side, for a one-input function (<see cref="VectorTranslator.TranslateReflection"/>). <paramref name="CallsNative"/>:
/// whether the rule calls the C library or another method (<see cref="NativeCalls"/>).
/// </summary>
internal sealed record PartialRule(
    string MethodName,
    EquatableArray<string> Arguments,
    string? VectorBody = null,
    string? DerivedBody = null,
    SecondOrderModel? SecondOrder = null,
    QuotientModel? Quotient = null,
    string? ReflectionBody = null,
    bool CallsNative = false);

/// <summary>
/// What one function needs to know about the others: duplicate names (AD1011) and operators (AD1012), and, for
/// derivatives, whether the function they name exists (AD1006).
/// </summary>
internal sealed record FunctionKey(string ContainingType, string Name, int Arity, string? Operator, LocationInfo? Location);
