using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>
/// The emitted text for representative declarations, compared with reviewed files under Snapshots/. Set
/// AUTODIFF_UPDATE_SNAPSHOTS=1 to rewrite them, then review the diff before committing it.
/// </summary>
/// <remarks>
/// The generator writes its own assembly version, the package's, into every [GeneratedCode]; the snapshots hold
/// <see cref="VersionPlaceholder"/> there instead, so a version bump does not rewrite them. Only the generator's actual
/// version is replaced, so output with any other version still differs from the snapshot.
/// </remarks>
public class SnapshotTests
{
    [Fact]
    public void Unary_function_in_the_global_namespace()
    {
        const string source = """
            using System;
            using AutoDiff;

            internal static partial class Functions
            {
                /// <summary>y = 2ˣ; dy/dx = y·ln 2.</summary>
                [Differentiable]
                internal static double Exp2(double x) => Math.Pow(2.0, x);

                [Derivative(nameof(Exp2))]
                private static double Exp2Derivative(double result) => result * Math.Log(2.0);
            }
            """;

        GeneratorResult result = GeneratorHarness.Run(source);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));
        AssertSnapshot("Functions.Exp2.g.cs", result.Source("Functions.Exp2.g.cs"));
    }

    [Fact]
    public void Binary_function_with_an_operator_in_the_library()
    {
        const string source = """
            namespace AutoDiff;

            /// <summary>Ops.</summary>
            public static partial class Ops
            {
                /// <summary>y = a / b; ∂y/∂a = 1/b, ∂y/∂b = −a/b² = −y/b.</summary>
                [Differentiable(Operator = "/")]
                public static double Divide(double a, double b) => a / b;

                [Derivative(nameof(Divide), "a")]
                private static double DivideDa(double b) => 1.0 / b;

                [Derivative(nameof(Divide), "b")]
                private static double DivideDb(double b, double result) => -result / b;
            }
            """;

        GeneratorResult result = GeneratorHarness.Run(
            GeneratorHarness.Compile(GeneratorHarness.WithLibrary(source), referenceRuntime: false, assemblyName: "AutoDiff"));

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));
        AssertSnapshot("AutoDiff.Ops.Divide.g.cs", result.Source("AutoDiff.Ops.Divide.g.cs"));
    }

    [Fact]
    public void Three_input_user_function_in_a_user_namespace()
    {
        GeneratorResult result = GeneratorHarness.Run(UserFunctions.Source);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));
        AssertSnapshot("Models.Stats.Densities.LogNormal.g.cs", result.Source("Models.Stats.Densities.LogNormal.g.cs"));
    }

    private static void AssertSnapshot(string name, string actual, [CallerFilePath] string testFile = "")
    {
        actual = Normalize(actual);
        if (Environment.GetEnvironmentVariable("AUTODIFF_UPDATE_SNAPSHOTS") == "1")
        {
            // Written next to this source file, not into bin/, so the update shows up in the working tree.
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots", name), actual);
            return;
        }

        string path = Path.Combine(AppContext.BaseDirectory, "Snapshots", name);
        Assert.True(File.Exists(path), $"No snapshot {name}; run with AUTODIFF_UPDATE_SNAPSHOTS=1 to create it, then review it.");
        Assert.Equal(Normalize(File.ReadAllText(path)), actual);
    }

    private const string VersionPlaceholder = "{GeneratorVersion}";

    private static readonly string s_generatedCodeWithVersion =
        $"GeneratedCode(\"AutoDiff.Generators\", \"{typeof(AutoDiffGenerator).Assembly.GetName().Version}\")";

    private static string Normalize(string text) => text
        .Replace("\r\n", "\n", StringComparison.Ordinal)
        .Replace(s_generatedCodeWithVersion, $"GeneratedCode(\"AutoDiff.Generators\", \"{VersionPlaceholder}\")", StringComparison.Ordinal);
}

/// <summary>A user project's own differentiable functions, shared by the snapshot and runtime tests.</summary>
internal static class UserFunctions
{
    public const string Source = """
        using System;
        using AutoDiff;

        namespace Models.Stats;

        /// <summary>Densities.</summary>
        public static partial class Densities
        {
            /// <summary>log N(y; μ, σ) = −½ log 2π − log σ − (y − μ)²/(2σ²).</summary>
            [Differentiable]
            public static double LogNormal(double y, double mu, double sigma)
            {
                double z = (y - mu) / sigma;
                return -0.91893853320467274178 - Math.Log(sigma) - 0.5 * z * z;
            }

            // The rules take their parameters in orders of their own: the generator must bind them by name.
            [Derivative(nameof(LogNormal), "y")]
            private static double LogNormalDy(double mu, double y, double sigma) => -(y - mu) / (sigma * sigma);

            [Derivative(nameof(LogNormal), "mu")]
            private static double LogNormalDmu(double sigma, double y, double mu) => (y - mu) / (sigma * sigma);

            [Derivative(nameof(LogNormal), "sigma")]
            private static double LogNormalDsigma(double y, double sigma, double mu)
            {
                double z = (y - mu) / sigma;
                return (z * z - 1.0) / sigma;
            }

            /// <summary>√(a² + b²); ∂/∂a = a/y, ∂/∂b = b/y.</summary>
            [Differentiable]
            public static double Hypot(double a, double b) => Math.Sqrt(a * a + b * b);

            [Derivative(nameof(Hypot), "a")]
            private static double HypotDa(double result, double a) => a / result;

            [Derivative(nameof(Hypot), "b")]
            private static double HypotDb(double b, double result) => b / result;

            /// <summary>a²/b; ∂/∂a = 2a/b, ∂/∂b = −y/b: both rules are quotients by b.</summary>
            [Differentiable]
            public static double SquareOver(double a, double b) => a * a / b;

            [Derivative(nameof(SquareOver), "a")]
            private static double SquareOverDa(double a, double b) => 2.0 * a / b;

            [Derivative(nameof(SquareOver), "b")]
            private static double SquareOverDb(double b, double result) => -result / b;

            /// <summary>a·√b; ∂/∂a = √b, ∂/∂b = a/(2√b) = ½y/b, a quotient by b whose numerator is 0 wherever a is.</summary>
            [Differentiable]
            public static double SqrtScale(double a, double b) => a * Math.Sqrt(b);

            [Derivative(nameof(SqrtScale), "a")]
            private static double SqrtScaleDa(double b) => Math.Sqrt(b);

            [Derivative(nameof(SqrtScale), "b")]
            private static double SqrtScaleDb(double b, double result) => 0.5 * result / b;

            /// <summary>a²/s²; ∂/∂s = −2a²/(s·s·s), a quotient by an expression of s.</summary>
            [Differentiable]
            public static double SquareOverSquare(double a, double s) => a * a / (s * s);

            [Derivative(nameof(SquareOverSquare), "a")]
            private static double SquareOverSquareDa(double a, double s) => 2.0 * a / (s * s);

            [Derivative(nameof(SquareOverSquare), "s")]
            private static double SquareOverSquareDs(double a, double s) => -2.0 * a * a / (s * s * s);

            /// <summary>x/(a·b·c); each rule is one quotient by an expression of the scales.</summary>
            [Differentiable]
            public static double Ratio4(double x, double a, double b, double c) => x / (a * b * c);

            [Derivative(nameof(Ratio4), "x")]
            private static double Ratio4Dx(double a, double b, double c) => 1.0 / (a * b * c);

            [Derivative(nameof(Ratio4), "a")]
            private static double Ratio4Da(double x, double a, double b, double c) => -x / (a * a * b * c);

            [Derivative(nameof(Ratio4), "b")]
            private static double Ratio4Db(double x, double a, double b, double c) => -x / (a * b * b * c);

            [Derivative(nameof(Ratio4), "c")]
            private static double Ratio4Dc(double x, double a, double b, double c) => -x / (a * b * c * c);

            /// <summary>a·b·c·d; each partial is the product of the other three.</summary>
            [Differentiable]
            public static double Product4(double a, double b, double c, double d) => a * b * c * d;

            [Derivative(nameof(Product4), "a")]
            private static double Product4Da(double b, double c, double d) => b * c * d;

            [Derivative(nameof(Product4), "b")]
            private static double Product4Db(double a, double c, double d) => a * c * d;

            [Derivative(nameof(Product4), "c")]
            private static double Product4Dc(double a, double b, double d) => a * b * d;

            [Derivative(nameof(Product4), "d")]
            private static double Product4Dd(double a, double b, double c) => a * b * c;
        }
        """;
}
