using System;
using System.Reflection;
using Xunit;

namespace AutoDiff.Tests.Shared;

/// <summary>
/// Checks that a Roslyn component shipped in the AutoDiff package (generator, analyzer, code fix) carries the package's
/// version. The witness is the runtime AutoDiff.dll, the assembly the packed project itself builds from its
/// &lt;Version&gt;, not anything the component reports about itself.
/// </summary>
internal static class PackageVersionAssert
{
    /// <summary>Asserts that <paramref name="component"/> has the runtime's assembly, file and informational versions.</summary>
    public static void CarriesPackageVersion(Assembly component)
    {
        // An IDE host binds analyzers by name and assembly version: two package versions whose components share one
        // assembly version can resolve the code fix's InternalsVisibleTo reference to the other package's analyzer.
        Assembly runtime = typeof(global::AutoDiff.Var).Assembly;
        string name = component.GetName().Name!;

        Assert.False(string.IsNullOrEmpty(FileVersion(component)), $"{name} has no file version");
        Assert.False(string.IsNullOrEmpty(InformationalVersion(component)), $"{name} has no informational version");
        Assert.Equal(runtime.GetName().Version, component.GetName().Version);
        Assert.Equal(FileVersion(runtime), FileVersion(component));
        Assert.Equal(InformationalVersion(runtime), InformationalVersion(component));
    }

    private static string? FileVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyFileVersionAttribute>()?.Version;

    private static string? InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
}
