namespace AutoDiff.Generators.Model;

/// <summary>A value of an input at which a body branches: where an expression in the input equals the constant it is compared with.</summary>
/// <param name="Input">The parameter's name.</param>
/// <param name="Value">The input's value there.</param>
internal sealed record BranchPoint(string Input, double Value);
