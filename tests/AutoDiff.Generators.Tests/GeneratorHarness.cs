using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using AutoDiff.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiff.Generators.Tests;

/// <summary>Builds compilations and runs the generator over them.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    /// <summary>
    /// A minimal AutoDiff library in source: what the generator needs to see that the compilation "is" the library
    /// (it declares AutoDiff.Var, so operators are allowed), with just the members generated code calls.
    /// </summary>
    /// <remarks>
    /// What generated code implements or is annotated with (the kernel interfaces, <c>ISecondOrderRule</c>,
    /// <c>IConstantOperands</c>, the declaration attributes, <c>PartialReads</c>) is the runtime's own source, compiled
    /// beside this (<see cref="WithLibrary"/>), not mirrored here: a mirror could keep a member the runtime dropped, or
    /// lack a default the runtime added, and the snapshots would still compile.
    /// </remarks>
    public const string LibraryStub = """
        using System;
        using System.Runtime.Intrinsics;

        namespace AutoDiff
        {
            /// <summary>Stub.</summary>
            public readonly partial struct Var
            {
                /// <summary>Stub.</summary>
                public double Value { get; init; }

                /// <summary>Stub.</summary>
                public bool IsConstant { get; init; }

                /// <summary>Stub.</summary>
                public static implicit operator Var(double value) => new() { Value = value, IsConstant = true };
            }

            /// <summary>Stub.</summary>
            public sealed class Tape
            {
                /// <summary>Stub.</summary>
                public static Var Unary(string op, double result, Var x, double dx) => result;

                /// <summary>Stub.</summary>
                public static Var Binary(string op, double result, Var a, double da, Var b, double db) => result;

                /// <summary>Stub.</summary>
                public static Var Nary(string op, double result, ReadOnlySpan<Var> inputs, ReadOnlySpan<double> partials) => result;

                /// <summary>Stub.</summary>
                public static Var Unary<TRule>(string op, double result, Var x, double dx, TRule rule) where TRule : struct, ISecondOrderRule => result;

                /// <summary>Stub.</summary>
                public static Var Binary<TRule>(string op, double result, Var a, double da, Var b, double db, TRule rule) where TRule : struct, ISecondOrderRule => result;

                /// <summary>Stub.</summary>
                public static Var Nary<TRule>(string op, double result, ReadOnlySpan<Var> inputs, ReadOnlySpan<double> partials, TRule rule) where TRule : struct, ISecondOrderRule => result;
            }

            /// <summary>Stub.</summary>
            public sealed partial class Tensor
            {
                /// <summary>Stub.</summary>
                public static implicit operator Tensor(Var x) => new();

                /// <summary>Stub.</summary>
                public static implicit operator Tensor(double x) => new();

                /// <summary>Stub.</summary>
                public static implicit operator Var(Tensor x) => new();
            }

            /// <summary>Stub.</summary>
            public struct CallCache512
            {
                /// <summary>Stub.</summary>
                public Vector512<double> Log(int slot, Vector512<double> x) => Vector512.Log(x);

                /// <summary>Stub.</summary>
                public Vector512<double> Exp(int slot, Vector512<double> x) => Vector512.Exp(x);

                /// <summary>Stub.</summary>
                public Vector512<double> Value<TKernel>(int slot, Vector512<double> x) where TKernel : struct, IUnaryKernel => TKernel.Value(x);

                /// <summary>Stub.</summary>
                public Vector512<double> Value<TKernel>(int slot, Vector512<double> a, Vector512<double> b) where TKernel : struct, IBinaryKernel => TKernel.Value(a, b);
            }

            /// <summary>Stub.</summary>
            public struct CallCache256
            {
                /// <summary>Stub.</summary>
                public Vector256<double> Log(int slot, Vector256<double> x) => Vector256.Log(x);

                /// <summary>Stub.</summary>
                public Vector256<double> Exp(int slot, Vector256<double> x) => Vector256.Exp(x);

                /// <summary>Stub.</summary>
                public Vector256<double> Value<TKernel>(int slot, Vector256<double> x) where TKernel : struct, IUnaryKernel => TKernel.Value(x);

                /// <summary>Stub.</summary>
                public Vector256<double> Value<TKernel>(int slot, Vector256<double> a, Vector256<double> b) where TKernel : struct, IBinaryKernel => TKernel.Value(a, b);
            }

            /// <summary>Stub.</summary>
            public static class VectorMath
            {
                /// <summary>Stub.</summary>
                public static Vector512<double> Log(Vector512<double> x) => Vector512.Log(x);

                /// <summary>Stub.</summary>
                public static Vector256<double> Log(Vector256<double> x) => Vector256.Log(x);

                /// <summary>Stub.</summary>
                public static Vector512<double> Exp(Vector512<double> x) => Vector512.Exp(x);

                /// <summary>Stub.</summary>
                public static Vector256<double> Exp(Vector256<double> x) => Vector256.Exp(x);
            }

            /// <summary>Stub.</summary>
            public static class KernelVectors
            {
                /// <summary>Stub.</summary>
                public static Vector512<double> Value<TKernel>(Vector512<double> x) where TKernel : struct, IUnaryKernel => TKernel.Value(x);

                /// <summary>Stub.</summary>
                public static Vector256<double> Value<TKernel>(Vector256<double> x) where TKernel : struct, IUnaryKernel => TKernel.Value(x);

                /// <summary>Stub.</summary>
                public static Vector512<double> Value<TKernel>(Vector512<double> a, Vector512<double> b) where TKernel : struct, IBinaryKernel => TKernel.Value(a, b);

                /// <summary>Stub.</summary>
                public static Vector256<double> Value<TKernel>(Vector256<double> a, Vector256<double> b) where TKernel : struct, IBinaryKernel => TKernel.Value(a, b);

                /// <summary>Stub.</summary>
                public static void ValueAndReflection<TKernel>(Vector512<double> x, Vector512<double> magnitude, out Vector512<double> value, out Vector512<double> reflection) where TKernel : struct, IUnaryKernel => (value, reflection) = (TKernel.Value(x), TKernel.Value(-x));

                /// <summary>Stub.</summary>
                public static void ValueAndReflection<TKernel>(Vector256<double> x, Vector256<double> magnitude, out Vector256<double> value, out Vector256<double> reflection) where TKernel : struct, IUnaryKernel => (value, reflection) = (TKernel.Value(x), TKernel.Value(-x));
            }

            /// <summary>Stub.</summary>
            public static class TensorKernels
            {
                /// <summary>Stub.</summary>
                public static Tensor Unary<TKernel>(Tensor x) where TKernel : struct, IUnaryKernel => x;

                /// <summary>Stub.</summary>
                public static Tensor Binary<TKernel>(Tensor a, Tensor b) where TKernel : struct, IBinaryKernel => a;

                /// <summary>Stub.</summary>
                public static Tensor Nary<TKernel>(params ReadOnlySpan<Tensor> inputs) where TKernel : struct, INaryKernel => inputs[0];
            }
        }
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_frameworkReferences = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path =>
            {
                string name = Path.GetFileNameWithoutExtension(path);
                return name is "netstandard" or "mscorlib" || name.StartsWith("System.", StringComparison.Ordinal) || name == "System";
            })
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    private static readonly MetadataReference s_runtimeReference =
        MetadataReference.CreateFromFile(typeof(AutoDiff.Var).Assembly.Location);

    /// <summary>
    /// The sources of a compilation that is the library: <see cref="LibraryStub"/>, then <paramref name="source"/>
    /// (Source1.cs in diagnostics), then the runtime's own sources of <see cref="LibrarySources"/>, copied beside the
    /// tests at build time.
    /// </summary>
    public static string[] WithLibrary(string source) =>
        [LibraryStub, source, .. s_librarySources.Value];

    /// <summary>The runtime files a library compilation includes as they are (linked in the project file).</summary>
    public static readonly string[] LibrarySources =
    [
        "PartialReads.cs", "ElementwiseKernels.cs", "ISecondOrderRule.cs", "IConstantOperands.cs",
        "DifferentiableAttribute.cs", "DerivativeAttribute.cs", "BranchPointAttribute.cs", "BranchSurfaceAttribute.cs",
    ];

    // Their doc comments name runtime members the stub leaves out (AD, DeclaredOpSweep, TensorKernels' loops); those
    // references are the runtime build's to check, so CS1574 is silenced in these files only, and generated code's
    // own references are still checked.
    private static readonly Lazy<string[]> s_librarySources = new(() =>
        LibrarySources
            .Select(name => "#pragma warning disable CS1574\n" + File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "LibrarySources", name)))
            .ToArray());

    /// <summary>A library compilation of <paramref name="sources"/>, referencing the real AutoDiff runtime unless told not to.</summary>
    public static CSharpCompilation Compile(IEnumerable<string> sources, bool referenceRuntime = true, string assemblyName = "UserCode") =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            referenceRuntime ? s_frameworkReferences.Value.Add(s_runtimeReference) : s_frameworkReferences.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            [new AutoDiffGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator once: the compilation with its output added, and what it generated and reported.</summary>
    public static GeneratorResult Run(Compilation compilation)
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        return new GeneratorResult(output, result.GeneratedSources, result.Diagnostics);
    }

    public static GeneratorResult Run(params string[] sources) => Run(Compile(sources));

    /// <summary>
    /// Runs the generator on user-style <paramref name="source"/>, requires no diagnostic, error or warning, emits the
    /// assembly and loads it in a context of its own, returning type <paramref name="typeName"/>. The context's reference
    /// to AutoDiff falls back to the default context, so the loaded code shares this process's tape with the test.
    /// </summary>
    public static Type CompileAndLoad(string source, string assemblyName, string typeName) => CompileAndLoad([source], assemblyName, typeName);

    /// <summary>As <see cref="CompileAndLoad(string, string, string)"/>, for user code in several files.</summary>
    public static Type CompileAndLoad(string[] sources, string assemblyName, string typeName)
    {
        GeneratorResult result = Run(Compile(sources, assemblyName: assemblyName));
        Xunit.Assert.Empty(result.Diagnostics);
        var errors = ErrorsAndWarnings(result.Output);
        Xunit.Assert.True(errors.IsEmpty, string.Join(Environment.NewLine, errors.Select(d => d + " in " + d.Location.SourceTree?.FilePath)));

        using var image = new MemoryStream();
        var emit = result.Output.Emit(image);
        Xunit.Assert.True(emit.Success, string.Join(Environment.NewLine, emit.Diagnostics));
        image.Position = 0;
        var assembly = new System.Runtime.Loader.AssemblyLoadContext(assemblyName).LoadFromStream(image);
        return assembly.GetType(typeName, throwOnError: true)!;
    }

    /// <summary>Diagnostics of the compilation that are errors or warnings (the generated code must have neither).</summary>
    public static ImmutableArray<Diagnostic> ErrorsAndWarnings(Compilation compilation) =>
        compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToImmutableArray();
}

internal sealed record GeneratorResult(
    Compilation Output,
    ImmutableArray<GeneratedSourceResult> Sources,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public string Source(string hintName) =>
        Sources.Single(s => s.HintName == hintName).SourceText.ToString();

    public IEnumerable<string> HintNames => Sources.Select(s => s.HintName);
}

/// <summary>
/// Source with one span marked <c>[|like this|]</c>: the text without the markers and the marked span, so a test says
/// where a diagnostic belongs by pointing at it.
/// </summary>
internal sealed record MarkedSource(string Text, TextSpan Span)
{
    public static MarkedSource Parse(string markup)
    {
        int start = markup.IndexOf("[|", StringComparison.Ordinal);
        int end = markup.IndexOf("|]", StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new ArgumentException("The source must mark one span with [| and |].", nameof(markup));
        }

        string text = markup.Remove(end, 2).Remove(start, 2);
        return new MarkedSource(text, TextSpan.FromBounds(start, end - 2));
    }

    /// <summary>The 0-based line and column of the span's start.</summary>
    public LinePosition Start => SourceText.From(Text).Lines.GetLinePosition(Span.Start);
}
