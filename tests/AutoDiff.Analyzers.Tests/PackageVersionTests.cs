using AutoDiff.CodeFixes;
using AutoDiff.Tests.Shared;
using Xunit;

namespace AutoDiff.Analyzers.Tests;

/// <summary>The analyzer and its code fixes are versioned with the package that ships them.</summary>
public class PackageVersionTests
{
    [Fact]
    public void Analyzer_assembly_carries_the_package_version() =>
        PackageVersionAssert.CarriesPackageVersion(typeof(StabilityAnalyzer).Assembly);

    [Fact]
    public void Code_fix_assembly_carries_the_package_version() =>
        PackageVersionAssert.CarriesPackageVersion(typeof(StabilityCodeFixProvider).Assembly);
}
