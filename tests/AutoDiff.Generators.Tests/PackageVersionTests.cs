using System.Linq;
using AutoDiff.Tests.Shared;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>The generator is versioned with the package that ships it, and says so in the code it writes.</summary>
public class PackageVersionTests
{
    [Fact]
    public void Generator_assembly_carries_the_package_version() =>
        PackageVersionAssert.CarriesPackageVersion(typeof(AutoDiffGenerator).Assembly);

    [Fact]
    public void Generated_code_attribute_names_the_package_version()
    {
        // Read from the compiled symbols, not the text: every generated member's [GeneratedCode] names the tool and the
        // version of the runtime it was packed with.
        GeneratorResult result = GeneratorHarness.Run(UserFunctions.Source);
        INamedTypeSymbol densities = result.Output.GetTypeByMetadataName("Models.Stats.Densities")!;
        var attributes = densities.GetMembers()
            .SelectMany(member => member.GetAttributes())
            .Where(attribute => attribute.AttributeClass?.ToDisplayString() == "System.CodeDom.Compiler.GeneratedCodeAttribute")
            .ToList();

        Assert.NotEmpty(attributes);
        string expected = typeof(global::AutoDiff.Var).Assembly.GetName().Version!.ToString();
        Assert.All(attributes, attribute =>
        {
            Assert.Equal("AutoDiff.Generators", attribute.ConstructorArguments[0].Value);
            Assert.Equal(expected, attribute.ConstructorArguments[1].Value);
        });
    }
}
