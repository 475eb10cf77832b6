using Microsoft.CodeAnalysis;

namespace AutoDiff.Analyzers;

/// <summary>
/// The stability diagnostics AD2001–AD2005: an unstable composition of <c>AutoDiff.Ops</c> and its stable op. The titles
/// are generic; every message takes two arguments: {0}, the arguments of the call inside the flagged one (σ's, Exp's,
/// Sum's) as written, and {1}, the stable call the code fix writes (unqualified), both with whitespace runs as single
/// spaces and text over 40 characters shortened to its first part and "…".
/// </summary>
public static class StabilityDiagnostics
{
    /// <summary>The category every stability diagnostic carries.</summary>
    public const string Category = "AutoDiff.Stability";

    /// <summary>ID of <see cref="LogOfSigmoid"/>.</summary>
    public const string LogOfSigmoidId = "AD2001";

    /// <summary>ID of <see cref="LogOfOneMinusSigmoid"/>.</summary>
    public const string LogOfOneMinusSigmoidId = "AD2002";

    /// <summary>ID of <see cref="LogOfOnePlusExp"/>.</summary>
    public const string LogOfOnePlusExpId = "AD2003";

    /// <summary>ID of <see cref="LogOfSumOfExp"/>.</summary>
    public const string LogOfSumOfExpId = "AD2004";

    /// <summary>ID of <see cref="Log1pOfExp"/>.</summary>
    public const string Log1pOfExpId = "AD2005";

    /// <summary>
    /// Diagnostic property set on an AD2004 whose rewrite the code fix cannot write faithfully (a tensor <c>Sum</c> with
    /// named arguments out of order whose names no <c>LogSumExp</c> overload has), so it does not offer one.
    /// </summary>
    public const string NoFixProperty = "NoFix";

    /// <summary>
    /// Diagnostic property of an AD2004 on a tensor <c>Sum</c> whose <c>Exp</c> is not its first written argument
    /// (<c>Sum(axis: 1, x: Exp(t))</c>): the index of that argument in the argument list.
    /// </summary>
    public const string SourceArgumentProperty = "SourceArgument";

    /// <summary>
    /// Diagnostic property of an AD2002 whose σ argument is an integer converted to double (<c>Sigmoid(k)</c>): the fix
    /// negates it as a double, <c>-(double)k</c>.
    /// </summary>
    public const string IntegerArgumentProperty = "IntegerArgument";

    /// <summary>Log(Sigmoid(x)) → LogSigmoid(x).</summary>
    public static readonly DiagnosticDescriptor LogOfSigmoid = new(
        LogOfSigmoidId,
        "Log(Sigmoid(x)) is unstable; use LogSigmoid(x)",
        "Log(Sigmoid({0})) rounds to 0 where the argument is above 37 and gives −∞ where it is below −745; use {1}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "σ(x) rounds to 1 once e⁻ˣ is below half an ulp of 1 (x > 37), so its log loses every digit of −e⁻ˣ, and σ(x) underflows to 0 for x < −745, so its log and gradient become −∞ and NaN. LogSigmoid(x) = −Softplus(−x) is accurate everywhere.");

    /// <summary>Log(1 − Sigmoid(x)) → LogSigmoid(−x).</summary>
    public static readonly DiagnosticDescriptor LogOfOneMinusSigmoid = new(
        LogOfOneMinusSigmoidId,
        "Log(1 - Sigmoid(x)) is unstable; use LogSigmoid(-x)",
        "Log(1 - Sigmoid({0})) cancels catastrophically where the argument is positive and gives −∞ where it is above 37; use {1}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "1 − σ(x) subtracts two nearly equal numbers once σ(x) approaches 1 and is exactly 0 for x > 37, so its log is −∞ and its gradient NaN. 1 − σ(x) = σ(−x), so LogSigmoid(−x) computes the same value accurately.");

    /// <summary>Log(1 + Exp(x)) → Softplus(x).</summary>
    public static readonly DiagnosticDescriptor LogOfOnePlusExp = new(
        LogOfOnePlusExpId,
        "Log(1 + Exp(x)) is unstable; use Softplus(x)",
        "Log(1 + Exp({0})) overflows to ∞ where the argument is above 709 and rounds to 0 where it is below −37; use {1}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "eˣ overflows for x > 709, making the result ∞ instead of ≈ x, and 1 + eˣ rounds to 1 for x < −37, losing every digit of ≈ eˣ. Softplus(x) = max(x, 0) + Log1p(e^(−|x|)) is accurate everywhere.");

    /// <summary>Log(Sum(Exp(x))) → LogSumExp(x).</summary>
    public static readonly DiagnosticDescriptor LogOfSumOfExp = new(
        LogOfSumOfExpId,
        "Log(Sum(Exp(x))) is unstable; use LogSumExp(x)",
        "Log(Sum({0})) overflows to ∞ once an exponent exceeds 709 and gives −∞ when all are below −745; use {1}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Each eˣ overflows for x > 709 and underflows for x < −745, so the sum is ∞ or 0 long before its log leaves the double range. LogSumExp shifts by the maximum first, m + log Σ e^(x − m), so nothing overflows, and its gradient is the softmax.");

    /// <summary>Log1p(Exp(x)) → Softplus(x).</summary>
    public static readonly DiagnosticDescriptor Log1pOfExp = new(
        Log1pOfExpId,
        "Log1p(Exp(x)) is unstable; use Softplus(x)",
        "Log1p(Exp({0})) overflows to ∞ where the argument is above 709, and its gradient is NaN there; use {1}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Log1p keeps the digits of a small eˣ (x → −∞), but eˣ itself overflows for x > 709, making the result ∞ instead of ≈ x and the gradient eˣ/(1 + eˣ) = ∞/∞ = NaN. Softplus(x) = max(x, 0) + Log1p(e^(−|x|)) is accurate everywhere.");
}
