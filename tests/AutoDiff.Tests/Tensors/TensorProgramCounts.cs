namespace AutoDiff.Tests.Tensors;

/// <summary>Counts of what <see cref="TensorProgramOracles.Check"/> compared, for a fuzzing run's report.</summary>
internal sealed class TensorProgramCounts
{
    public int Programs { get; set; }
    public int FiniteDifferenceChecks { get; set; }
    public int FiniteDifferenceSkipped { get; set; }
    public int FiniteDifferenceRechecks { get; set; }
    public int CompiledReplays { get; set; }
    public int CompileRefusals { get; set; }
}
