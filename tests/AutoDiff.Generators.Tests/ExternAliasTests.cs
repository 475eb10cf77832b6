using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>
/// A declaration that calls a declared function of an assembly referenced through an extern alias
/// (<c>&lt;Aliases&gt;densities&lt;/Aliases&gt;</c>): generated code names other assemblies' kernels through
/// <c>global::</c>, where such an assembly is not, so the call must stay scalar instead of becoming code that does not
/// compile.
/// </summary>
public class ExternAliasTests
{
    private const string LibrarySource = """
        using AutoDiff;

        namespace Densities;

        /// <summary>A library of declared functions.</summary>
        public static partial class Library
        {
            /// <summary>x².</summary>
            [Differentiable]
            public static double Square(double x) => x * x;

            [Derivative(nameof(Square))] private static double SquareDx(double x) => 2 * x;
        }
        """;

    private const string UserSource = """
        extern alias densities;
        using AutoDiff;

        namespace Models;

        /// <summary>A user's function calling the library's through the alias.</summary>
        public static partial class User
        {
            /// <summary>x² + x.</summary>
            [Differentiable]
            public static double Shifted(double x) => densities::Densities.Library.Square(x) + x;

            [Derivative(nameof(Shifted))] private static double ShiftedDx(double x) => 2 * x + 1;
        }
        """;

    /// <summary>
    /// Each alias set with the library as a compiled image (a command-line build's reference) and as a compilation (an
    /// IDE's reference to another project, whose syntax trees are not the user's compilation's: reading a called
    /// function's body from them made the generator throw).
    /// </summary>
    [Theory]
    [InlineData(new string[0], true, false)]
    [InlineData(new[] { "global", "densities" }, true, false)]
    [InlineData(new[] { "densities" }, false, false)]
    [InlineData(new string[0], true, true)]
    [InlineData(new[] { "densities" }, false, true)]
    public void A_call_into_an_aliased_assembly_compiles_and_is_vectorized_only_when_the_assembly_is_also_global(
        string[] aliases, bool vectorized, bool asCompilation)
    {
        GeneratorResult library = GeneratorHarness.Run(GeneratorHarness.Compile([LibrarySource], assemblyName: "Densities"));
        Assert.Empty(library.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(library.Output));

        // Without an alias the user's file cannot say densities::, so it names the library plainly.
        string userSource = aliases.Contains("densities")
            ? UserSource
            : UserSource.Replace("extern alias densities;\n", string.Empty, StringComparison.Ordinal).Replace("densities::", string.Empty, StringComparison.Ordinal);
        MetadataReference reference;
        if (asCompilation)
        {
            reference = library.Output.ToMetadataReference(aliases: [.. aliases]);
        }
        else
        {
            using var image = new System.IO.MemoryStream();
            Assert.True(library.Output.Emit(image).Success);
            reference = MetadataReference.CreateFromImage(image.ToArray(), new MetadataReferenceProperties(aliases: [.. aliases]));
        }

        var user = GeneratorHarness.Compile([userSource], assemblyName: "Models").AddReferences(reference);
        GeneratorResult result = GeneratorHarness.Run(user);

        Assert.Empty(result.Diagnostics);
        var errors = GeneratorHarness.ErrorsAndWarnings(result.Output);
        Assert.True(errors.IsEmpty, string.Join(Environment.NewLine, errors));
        string shifted = result.Source("Models.User.Shifted.g.cs");
        Assert.Equal(vectorized, shifted.Contains("global::Densities.Library.__SquareKernel", StringComparison.Ordinal));
        Assert.Equal(vectorized, shifted.Contains("public static bool IsValueVectorized => true;", StringComparison.Ordinal));
    }

    /// <summary>
    /// The library referenced with "global" among its aliases (<c>global,densities</c>), beside another class of the same
    /// full name under <c>global::</c> — in the project's own files, or in another referenced assembly — which is what the
    /// alias is for: <c>global::Densities.Library</c> names that class (CS0426) or both (CS0433), not the library's, so the
    /// call stays scalar.
    /// </summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void A_call_whose_class_is_not_the_one_global_names_stays_scalar(bool inAnotherAssembly, bool asCompilation)
    {
        const string Namesake = """
            namespace Densities
            {
                /// <summary>Another class of the library's full name.</summary>
                public static class Library
                {
                }
            }
            """;
        GeneratorResult library = GeneratorHarness.Run(GeneratorHarness.Compile([LibrarySource], assemblyName: "Densities"));
        Assert.Empty(library.Diagnostics);

        string[] userSources = inAnotherAssembly ? [UserSource] : [UserSource, Namesake];
        var user = GeneratorHarness.Compile(userSources, assemblyName: "Models")
            .AddReferences(Reference(library.Output, ["global", "densities"], asCompilation));
        if (inAnotherAssembly)
        {
            user = user.AddReferences(Reference(GeneratorHarness.Compile([Namesake], assemblyName: "Namesakes"), [], asCompilation));
        }

        GeneratorResult result = GeneratorHarness.Run(user);

        Assert.Empty(result.Diagnostics);
        var errors = GeneratorHarness.ErrorsAndWarnings(result.Output);
        Assert.True(errors.IsEmpty, string.Join(Environment.NewLine, errors));
        string shifted = result.Source("Models.User.Shifted.g.cs");
        Assert.DoesNotContain("Densities.Library", shifted, StringComparison.Ordinal);
        Assert.DoesNotContain("public static bool IsValueVectorized => true;", shifted, StringComparison.Ordinal);
    }

    // The compilation as another project's reference: as an IDE passes it, or as its built assembly.
    private static MetadataReference Reference(Compilation compilation, string[] aliases, bool asCompilation)
    {
        if (asCompilation)
        {
            return compilation.ToMetadataReference(aliases: [.. aliases]);
        }

        using var image = new System.IO.MemoryStream();
        Assert.True(compilation.Emit(image).Success);
        return MetadataReference.CreateFromImage(image.ToArray(), new MetadataReferenceProperties(aliases: [.. aliases]));
    }
}
