using Microsoft.CodeAnalysis;

namespace AutoDiff.Generators;

/// <summary>
/// Every diagnostic the generator reports. The IDs are public contract (users suppress and search for them): never
/// renumber; add new ones at the end and list them in AnalyzerReleases.Unshipped.md.
/// </summary>
internal static class Diagnostics
{
    public const string Category = "AutoDiff.Generator";

    public static readonly DiagnosticDescriptor FunctionNotStatic = Error(
        "AD1001",
        "Differentiable function must be static",
        "[Differentiable] function '{0}' must be static");

    public static readonly DiagnosticDescriptor InvalidContainingType = Error(
        "AD1002",
        "Differentiable function must be declared in a top-level, non-generic static partial class",
        "[Differentiable] function '{0}' is declared in '{1}', which is not a top-level, non-generic 'static partial class'");

    public static readonly DiagnosticDescriptor InvalidInputCount = Error(
        "AD1003",
        "Differentiable function takes 1 to 4 inputs",
        "[Differentiable] function '{0}' takes {1} inputs; a differentiable function takes 1 to 4");

    public static readonly DiagnosticDescriptor NotDouble = Error(
        "AD1004",
        "Inputs and return of a differentiable function must be double passed by value",
        "{0} of [Differentiable] function '{1}' is '{2}'; its inputs and return must be 'double' passed by value");

    public static readonly DiagnosticDescriptor MissingDerivative = Error(
        "AD1005",
        "Missing derivative",
        "Input '{0}' of '{1}' has no [Derivative]; add '{2} static double Name(...)' returning d{1}/d{0}");

    public static readonly DiagnosticDescriptor UnknownFunction = Error(
        "AD1006",
        "Derivative names an unknown function",
        "[Derivative] names '{0}', but '{1}' has no [Differentiable] function of that name");

    public static readonly DiagnosticDescriptor InvalidWithRespectTo = Error(
        "AD1007",
        "Derivative must name an input of its function",
        "[Derivative] of '{0}' {1}; its inputs are {2}");

    public static readonly DiagnosticDescriptor DuplicateDerivative = Error(
        "AD1008",
        "Duplicate derivative",
        "Duplicate derivative for input '{0}' of '{1}': '{2}' already declares it");

    public static readonly DiagnosticDescriptor UnknownDerivativeParameter = Error(
        "AD1009",
        "Derivative parameter must name an input or 'result'",
        "Derivative parameter '{0}' is neither an input of '{1}' ({2}) nor 'result'");

    public static readonly DiagnosticDescriptor InvalidDerivativeSignature = Error(
        "AD1010",
        "Derivative method must be static, non-generic, return double and take double parameters by value",
        "[Derivative] method '{0}' {1}; a derivative must be static, non-generic, return 'double' and take 'double' parameters by value");

    public static readonly DiagnosticDescriptor DuplicateFunction = Error(
        "AD1011",
        "Differentiable functions cannot be overloaded",
        "'{1}' already has a [Differentiable] function named '{0}'; overloads are not supported");

    public static readonly DiagnosticDescriptor InvalidOperator = Error(
        "AD1012",
        "Invalid Operator",
        "Operator \"{0}\" of '{1}' is not allowed: {2}");

    public static readonly DiagnosticDescriptor InputNamedResult = Error(
        "AD1013",
        "An input may not be named 'result'",
        "Input 'result' of '{0}' must be renamed: 'result' names the function's value in derivative rules");

    public static readonly DiagnosticDescriptor GenericFunction = Error(
        "AD1014",
        "Differentiable function must not be generic",
        "[Differentiable] function '{0}' must not be generic");

    public static readonly DiagnosticDescriptor UnsupportedDerivative = Error(
        "AD1015",
        "Derivative cannot be derived from the function body",
        "The derivative of '{0}' was omitted, but it cannot be derived from the body: {1}; declare {2} explicitly");

    public static readonly DiagnosticDescriptor LanguageVersionTooOld = Error(
        "AD1016",
        "Differentiable functions need C# 13 or later",
        "[Differentiable] function '{0}' is compiled as C# {1}, but the code generated for it needs C# 13 or later (params spans, collection expressions, static abstract interface members); set <LangVersion>13</LangVersion> or later, the default of the .NET 9 SDK and later");

    private static DiagnosticDescriptor Error(string id, string title, string messageFormat) =>
        new(id, title, messageFormat, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
