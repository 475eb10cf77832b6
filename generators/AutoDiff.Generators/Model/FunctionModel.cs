namespace AutoDiff.Generators.Model;

/// <summary>A <c>[Differentiable]</c> method as declared, before its derivatives are bound to it.</summary>
/// <param name="ContainingType">The containing type, fully qualified with <c>global::</c>; the key that pairs functions with derivatives.</param>
/// <param name="Namespace">The containing namespace (keywords escaped), empty for the global namespace.</param>
/// <param name="ClassName">The containing class's simple name, unescaped.</param>
/// <param name="Name">The function's name, unescaped.</param>
/// <param name="Accessibility">The function's accessibility as C# modifiers, e.g. <c>public</c>.</param>
/// <param name="Inputs">The parameters, in order.</param>
/// <param name="Operator">The <c>Operator</c> named argument, or <see langword="null"/> when unset or invalid for the arity.</param>
/// <param name="OperatorLocation">Where the <c>Operator</c> argument is written.</param>
/// <param name="Location">The method's identifier.</param>
/// <param name="Diagnostics">Errors found from the declaration alone (AD1001–AD1004, AD1012 arity, AD1013, AD1014).</param>
/// <param name="VectorBody">The body translated lane for lane by <see cref="VectorTranslator"/>, or <see langword="null"/> when it has no vector form.</param>
/// <param name="DerivedPartials">
/// The partials derived from the body by <see cref="SymbolicDifferentiator"/>, one method body per input in order; empty when the
/// body cannot be read or is not differentiable. Used for the inputs that declare no <c>[Derivative]</c>.
/// </param>
/// <param name="DerivationError">What in the body is not differentiable, and where (AD1015); <see langword="null"/> otherwise.</param>
/// <param name="BodyUnreadable">
/// Whether nothing could be derived because the body cannot be read (an extern function, a partial method whose
/// implementing declaration names its inputs otherwise): an input without a rule is then AD1005. False where there is a
/// body, where the signature itself is an error (AD1004, AD1014), and for a partial method without implementing
/// declaration (the compiler's CS8795): their one error already describes the problem.
/// </param>
/// <param name="DerivedSecondOrder">The second-order models of <paramref name="DerivedPartials"/>, one per partial.</param>
/// <param name="DerivedVectorBodies">
/// The vector bodies of <paramref name="DerivedPartials"/>, one per partial, or empty when any of them has no vector form.
/// </param>
/// <param name="BranchPoints">Where the body branches on an input (<see cref="BranchPointFinder"/>).</param>
/// <param name="BranchSurfaces">The lines in the plane of two inputs on which the body branches (<see cref="BranchPointFinder"/>).</param>
/// <param name="CallsNative">Whether the body calls the C library or another method (<see cref="NativeCalls"/>).</param>
/// <param name="KernelIsPublic">
/// Whether the function is public and every type around it too, so other assemblies may call it: a one- or two-input
/// function's tensor kernel is then public as well, and the vector bodies of their declarations call it
/// (<see cref="VectorTranslator"/>).
/// </param>
/// <param name="CallerAttributes">
/// The function's <c>[Obsolete]</c> and <c>[Experimental]</c> as C# source, one a line, written on every generated member
/// that calls the function (its overloads, its kernel's <c>Value</c>), or <see langword="null"/>.
/// </param>
/// <param name="ReflectionBody">
/// For one input: the vector body at x and at −x side by side, what they share written once
/// (<see cref="VectorTranslator.TranslateReflection"/>); <see langword="null"/> when they share nothing.
/// </param>
internal sealed record FunctionModel(
    string ContainingType,
    string Namespace,
    string ClassName,
    string Name,
    string Accessibility,
    EquatableArray<ParameterModel> Inputs,
    string? Operator,
    LocationInfo? OperatorLocation,
    LocationInfo? Location,
    EquatableArray<DiagnosticInfo> Diagnostics,
    string? VectorBody = null,
    EquatableArray<string> DerivedPartials = default,
    DerivationError? DerivationError = null,
    bool BodyUnreadable = false,
    EquatableArray<SecondOrderModel> DerivedSecondOrder = default,
    EquatableArray<string> DerivedVectorBodies = default,
    EquatableArray<BranchPoint> BranchPoints = default,
    string? ReflectionBody = null,
    EquatableArray<BranchSurface> BranchSurfaces = default,
    bool CallsNative = false,
    bool KernelIsPublic = false,
    string? CallerAttributes = null);

/// <summary>A parameter's name and where it is declared.</summary>
internal sealed record ParameterModel(string Name, LocationInfo? Location);

/// <summary>Why a function's body could not be differentiated symbolically (AD1015), and where.</summary>
internal sealed record DerivationError(string What, LocationInfo? Location);
