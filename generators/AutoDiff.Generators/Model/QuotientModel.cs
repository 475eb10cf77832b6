namespace AutoDiff.Generators.Model;

/// <summary>
/// A rule written as one quotient whose divisor is one of its parameters, <c>n / v</c> (∂(a/b)/∂b = <c>-result / b</c>):
/// the numerator translated lane for lane, and the parameter that divides it. Summed into a broadcast input whose divisor
/// is broadcast too, Σ g·n/v is taken as (Σ g·n)/v: one division per row instead of one per element.
/// </summary>
/// <param name="NumeratorBody">The numerator as a translated body (<c>return …;</c>), as <see cref="VectorTranslator"/> writes it.</param>
/// <param name="Divisor">The parameter's name: an input of the function, or <c>result</c>.</param>
internal sealed record QuotientModel(string NumeratorBody, string Divisor);
