using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using AutoDiff.Analyzers;
using AutoDiff.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace AutoDiff.Analyzers.Tests;

/// <summary>Runs <see cref="StabilityAnalyzer"/> and <see cref="StabilityCodeFixProvider"/> on a source that uses AutoDiff.</summary>
internal static class Verify
{
    /// <summary>
    /// The framework the test sources compile against: the running net10.0 shared framework's own assemblies. Testing 1.1.4
    /// has no named net10.0 set, and resolving Microsoft.NETCore.App.Ref 10.0.0 through its embedded NuGet client fails
    /// against the package mirror, so no reference pack is downloaded at all.
    /// </summary>
    private static readonly ImmutableArray<MetadataReference> Framework = LoadFramework();

    private static ImmutableArray<MetadataReference> LoadFramework()
    {
        string directory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string[] paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return [.. paths
            .Where(path => string.Equals(Path.GetDirectoryName(path), directory, StringComparison.Ordinal))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }

    public static DiagnosticResult Diagnostic(string id) => CSharpAnalyzerVerifier<StabilityAnalyzer, DefaultVerifier>.Diagnostic(id);

    public static Task AnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<StabilityAnalyzer, DefaultVerifier> { TestCode = source };
        Configure(test.TestState, test);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    public static Task CodeFixAsync(string source, string fixedSource, params DiagnosticResult[] expected) =>
        CodeFixAsync(source, fixedSource, expected, remaining: []);

    /// <summary>As <see cref="CodeFixAsync(string, string, DiagnosticResult[])"/>, with <paramref name="remaining"/> left unfixed in <paramref name="fixedSource"/>.</summary>
    public static Task CodeFixAsync(string source, string fixedSource, DiagnosticResult[] expected, DiagnosticResult[] remaining)
    {
        var test = new CSharpCodeFixTest<StabilityAnalyzer, StabilityCodeFixProvider, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
        };
        Configure(test.TestState, test);
        test.ExpectedDiagnostics.AddRange(expected);
        test.FixedState.ExpectedDiagnostics.AddRange(remaining);
        return test.RunAsync();
    }

    private static void Configure(SolutionState state, AnalyzerTest<DefaultVerifier> test)
    {
        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        state.AdditionalReferences.AddRange(Framework);
        state.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(Var).Assembly.Location));
    }
}
