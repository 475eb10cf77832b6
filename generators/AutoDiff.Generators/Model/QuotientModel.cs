namespace AutoDiff.Generators.Model;

/// <summary>
/// A rule written as one quotient <c>n / v</c> whose divisor reads inputs and no result: one parameter
/// (∂(a/b)/∂b = <c>-result / b</c>) or an expression of them (∂/∂μ = <c>(y - mu) / (sigma * sigma)</c>). The numerator
/// and the divisor translated lane for lane, and what the divisor reads. Summed into a broadcast input whose divisor
/// reads only broadcast inputs, Σ g·n/v is taken as (Σ g·n)/v: one division per row instead of one per element.
/// </summary>
/// <param name="NumeratorBody">The numerator as a translated body (<c>return …;</c>), as <see cref="VectorTranslator"/> writes it.</param>
/// <param name="DivisorBody">The divisor as a translated body (<c>return …;</c>).</param>
/// <param name="DivisorReads">The parameters the divisor reads, in the order they first appear; never the result.</param>
internal sealed record QuotientModel(string NumeratorBody, string DivisorBody, EquatableArray<string> DivisorReads);
