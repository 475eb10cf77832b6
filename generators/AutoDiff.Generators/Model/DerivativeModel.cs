namespace AutoDiff.Generators.Model;

/// <summary>A <c>[Derivative]</c> method as declared.</summary>
/// <param name="ContainingType">The containing type, fully qualified with <c>global::</c>.</param>
/// <param name="MethodName">The derivative method's name, unescaped.</param>
/// <param name="Function">The function it differentiates (the attribute's first argument); <see langword="null"/> if written as null.</param>
/// <param name="WithRespectTo">The input it differentiates with respect to, <see langword="null"/> when omitted.</param>
/// <param name="Parameters">The method's parameters in declaration order: the values it reads.</param>
/// <param name="Location">The method's identifier.</param>
/// <param name="AttributeLocation">The whole attribute.</param>
/// <param name="FunctionLocation">The attribute's function argument.</param>
/// <param name="WithRespectToLocation">The attribute's withRespectTo argument, if written.</param>
/// <param name="Diagnostics">Errors found from the declaration alone (AD1010).</param>
/// <param name="VectorBody">The body translated lane for lane by <see cref="VectorTranslator"/>, or <see langword="null"/> when it has no vector form.</param>
/// <param name="SecondOrder">The rule differentiated once more, for Hessians (<see cref="SecondOrderDeriver"/>).</param>
/// <param name="BranchPoints">Where the rule branches on one of its parameters (<see cref="BranchPointFinder"/>).</param>
/// <param name="BranchSurfaces">The lines in the plane of two of its parameters on which the rule branches (<see cref="BranchPointFinder"/>).</param>
/// <param name="Quotient">The rule as numerator and divisor, when it is one quotient whose divisor reads inputs and not the result (<see cref="QuotientModel"/>).</param>
/// <param name="CallsNative">Whether the rule calls the C library or another method (<see cref="NativeCalls"/>).</param>
/// <param name="ReflectionBody">
/// For a rule reading one input: its vector body at x and at −x side by side, what they share written once
/// (<see cref="VectorTranslator.TranslateReflection"/>); <see langword="null"/> when they share nothing.
/// </param>
internal sealed record DerivativeModel(
    string ContainingType,
    string MethodName,
    string? Function,
    string? WithRespectTo,
    EquatableArray<ParameterModel> Parameters,
    LocationInfo? Location,
    LocationInfo? AttributeLocation,
    LocationInfo? FunctionLocation,
    LocationInfo? WithRespectToLocation,
    EquatableArray<DiagnosticInfo> Diagnostics,
    string? VectorBody = null,
    SecondOrderModel? SecondOrder = null,
    EquatableArray<BranchPoint> BranchPoints = default,
    QuotientModel? Quotient = null,
    string? ReflectionBody = null,
    EquatableArray<BranchSurface> BranchSurfaces = default,
    bool CallsNative = false)
{
    public bool IsValid => Diagnostics.IsEmpty;
}
