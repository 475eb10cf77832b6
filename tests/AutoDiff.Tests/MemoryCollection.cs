using Xunit;

namespace AutoDiff.Tests;

/// <summary>
/// Tests that measure the process's heap run alone: xunit runs other test classes in parallel, and their tapes
/// (one test builds a 10⁷-node graph) would show up in the measurement.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "Heap measurements";
}
