namespace AutoDiff.Generators.Model;

/// <summary>A value of an input at which a body branches: the input compared with a constant.</summary>
/// <param name="Input">The parameter's name.</param>
/// <param name="Value">The constant.</param>
internal sealed record BranchPoint(string Input, double Value);
