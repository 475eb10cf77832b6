using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace AutoDiff.Generators.Tests;

/// <summary>
/// A declaration whose body or rule calls the library's own declared functions (<c>Ops.Softplus</c>, <c>Ops.Sigmoid</c>,
/// <c>Ops.LogSigmoid</c>): its vector bodies call their public kernels, so its fused kernel runs vectorized, and the
/// tensor gradient at every length (whole vectors and the scalar tail) equals closed forms written here.
/// </summary>
public class LibraryCallTests
{
    private const string Source = """
        using AutoDiff;

        namespace Models.Library;

        /// <summary>The logistic term, declared through the library's functions.</summary>
        public static partial class Logistic
        {
            /// <summary>y·z − softplus(z) = y·log σ(z) + (1 − y)·log σ(−z).</summary>
            [Differentiable]
            public static double Term(double y, double z) => y * z - Ops.Softplus(z);

            [Derivative(nameof(Term), "y")] private static double TermDy(double z) => z;

            [Derivative(nameof(Term), "z")] private static double TermDz(double y, double z) => y - Ops.Sigmoid(z);

            /// <summary>The same function as the composed expression, its rules derived.</summary>
            [Differentiable]
            public static double Pair(double y, double z) => y * Ops.LogSigmoid(z) + (1 - y) * Ops.LogSigmoid(-z);

            /// <summary>Three inputs: public, but its kernel stays private (the translator calls one- and two-input kernels).</summary>
            [Differentiable]
            public static double Scaled(double y, double z, double s) => s * (y * z - Ops.Softplus(z));
        }

        internal static partial class Hidden
        {
            [Differentiable]
            public static double Shifted(double x) => Ops.Softplus(x) - 1.0;

            [Derivative(nameof(Shifted))] private static double ShiftedDx(double x) => Ops.Sigmoid(x);
        }
        """;

    private static readonly Lazy<Type> s_logistic = new(() => GeneratorHarness.CompileAndLoad(Source, "LibraryCalls", "Models.Library.Logistic"));

    [Fact]
    public void Vector_bodies_call_the_public_kernels_of_the_library_functions()
    {
        GeneratorResult result = GeneratorHarness.Run(Source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.ErrorsAndWarnings(result.Output));

        string term = result.Source("Models.Library.Logistic.Term.g.cs");
        Assert.Contains("public static bool IsValueVectorized => true;", term, StringComparison.Ordinal);
        Assert.Contains("public static bool IsDerivativeVectorized => true;", term, StringComparison.Ordinal);
        Assert.Contains("global::AutoDiff.KernelVectors.Value<global::AutoDiff.Ops.__SoftplusKernel>(z)", term, StringComparison.Ordinal);
        Assert.Contains("global::AutoDiff.KernelVectors.Value<global::AutoDiff.Ops.__SigmoidKernel>(z)", term, StringComparison.Ordinal);
        Assert.Contains("__callCache.Value<global::AutoDiff.Ops.__SoftplusKernel>(", term, StringComparison.Ordinal);

        string pair = result.Source("Models.Library.Logistic.Pair.g.cs");
        Assert.Contains("public static bool IsValueVectorized => true;", pair, StringComparison.Ordinal);
        Assert.Contains("public static bool IsDerivativeVectorized => true;", pair, StringComparison.Ordinal);

        // A public function in a public class gets a public kernel, for other assemblies; one in an internal class keeps
        // its kernel private.
        Assert.Contains("public readonly struct __TermKernel", term, StringComparison.Ordinal);
        Assert.Contains("private readonly struct __ShiftedKernel", result.Source("Models.Library.Hidden.Shifted.g.cs"), StringComparison.Ordinal);
        Assert.Contains("private readonly struct __ScaledKernel : global::AutoDiff.INaryKernel", result.Source("Models.Library.Logistic.Scaled.g.cs"), StringComparison.Ordinal);

        // A one-input function of ±x whose body and rule call the library's Softplus and Sigmoid gets a reflection that
        // calls theirs.
        Assert.Contains(
            "global::AutoDiff.KernelVectors.ValueAndReflection<global::AutoDiff.Ops.__SoftplusKernel>(x, __magnitude,",
            result.Source("Models.Library.Hidden.Shifted.g.cs"),
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_compiled_pair_of_a_function_at_z_and_minus_z_through_the_library_reflection_matches_the_closed_form()
    {
        // Σ Shifted(z) + Shifted(−z) = Σ softplus(z) + softplus(−z) − 2; ∂/∂z = σ(z) − σ(−z) = tanh(z/2).
        var shifted = GeneratorHarness.CompileAndLoad(Source, "LibraryCallsHidden", "Models.Library.Hidden")
            .GetMethod("Shifted", BindingFlags.Public | BindingFlags.Static, [typeof(Tensor)])!
            .CreateDelegate<Func<Tensor, Tensor>>();
        double[] z = [.. Enumerable.Range(0, 27).Select(i => 6.0 * Math.Cos(0.9 * i))];
        var compiled = AD.Compile(p => Ops.Sum(shifted(p[0]) + shifted(-p[0])), Tensor.Vector(z));
        for (int call = 0; call < 3; call++)
        {
            var (value, gradients) = compiled.ValueAndGrad(Tensor.Vector(z));
            static double Softplus(double t) => Math.Max(t, 0.0) + Math.Log(1.0 + Math.Exp(-Math.Abs(t)));
            double expected = z.Sum(t => Softplus(t) + Softplus(-t) - 2.0);
            Assert.Equal(expected, value, 1e-12 * Math.Abs(expected));
            double[] dz = gradients[0].ToArray();
            for (int i = 0; i < z.Length; i++)
            {
                Assert.Equal(Math.Tanh(z[i] / 2), dz[i], 1e-14);
            }
        }
    }

    [Theory]
    [InlineData("Term")]
    [InlineData("Pair")]
    public void Tensor_values_and_gradients_match_the_closed_form_at_every_length(string name)
    {
        var function = s_logistic.Value.GetMethod(name, BindingFlags.Public | BindingFlags.Static, [typeof(Tensor), typeof(Tensor)])!
            .CreateDelegate<Func<Tensor, Tensor, Tensor>>();
        for (int n = 0; n <= 27; n++)
        {
            double[] z = [.. Enumerable.Range(0, n).Select(i => 9.0 * Math.Sin(1.3 * i + 0.2))];
            double[] y = [.. Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 1.0 : 0.0)];
            var (value, gradients) = AD.ValueAndGrad(p => Ops.Sum(function(p[0], p[1])), Tensor.Vector(y), Tensor.Vector(z));

            // log σ(z) = −log(1 + e^−z), written for each sign so that the exponential never overflows.
            static double LogSigmoid(double t) => t >= 0 ? -Math.Log(1.0 + Math.Exp(-t)) : t - Math.Log(1.0 + Math.Exp(t));
            double expected = Enumerable.Range(0, n).Sum(i => y[i] * LogSigmoid(z[i]) + (1 - y[i]) * LogSigmoid(-z[i]));
            Assert.Equal(expected, value, 1e-12 * Math.Max(1.0, Math.Abs(expected)));
            double[] dy = gradients[0].ToArray(), dz = gradients[1].ToArray();
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(LogSigmoid(z[i]) - LogSigmoid(-z[i]), dy[i], 1e-12);
                Assert.Equal(y[i] - 1.0 / (1.0 + Math.Exp(-z[i])), dz[i], 1e-12);
            }
        }
    }
}
