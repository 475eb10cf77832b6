namespace AutoDiff.Generators.Model;

/// <summary>A value of an input at which a body branches: where an expression in the input equals the constant it is compared with.</summary>
/// <param name="Input">The parameter's name.</param>
/// <param name="Value">The input's value there.</param>
internal sealed record BranchPoint(string Input, double Value);

/// <summary>
/// A line in the plane of two inputs on which a body branches: where an affine expression in both equals another,
/// solved as <paramref name="Input"/> = <paramref name="Slope"/>·<paramref name="Other"/> + <paramref name="Offset"/>.
/// </summary>
/// <param name="Input">The parameter solved for: the one declared first.</param>
/// <param name="Other">The other parameter.</param>
/// <param name="Slope">The coefficient of <paramref name="Other"/>, finite and nonzero.</param>
/// <param name="Offset">The constant term, finite.</param>
internal sealed record BranchSurface(string Input, string Other, double Slope, double Offset)
{
    /// <summary>The same line solved for <see cref="Other"/>: y = x/s − o/s where x = s·y + o.</summary>
    public BranchSurface Flipped() => new(Other, Input, 1.0 / Slope, -Offset / Slope + 0.0);
}
