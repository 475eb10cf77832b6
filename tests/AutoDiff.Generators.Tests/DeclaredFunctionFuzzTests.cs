using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace AutoDiff.Generators.Tests;

/// <summary>
/// A differential fuzzer of the generator's derived rules, bounded and deterministic: random declared functions with
/// their derivatives omitted (<see cref="RandomDeclaration"/>), compiled through the generator in batches, each held to
/// three oracles: (1) the same body written over <see cref="Var"/> and differentiated by the tape, operation by
/// operation (a derivation independent of the generator's symbolic one), at random points: equal values bit for bit, and
/// equal gradients to rounding, with central differences deciding when they are not; (2) <see cref="DeclaredOpSweep"/>:
/// finite differences at ordinary and edge points and on both sides of every branch, and the generated tensor kernels
/// (vector bodies, broadcasting) against the <see cref="Var"/> overloads; (3) the compilation: every function built from
/// documented constructs must compile with no diagnostic from the generator and no error or warning in generated code.
/// </summary>
public class DeclaredFunctionFuzzTests
{
    // Measured: 8–9 s per batch of 40 functions in Release on this machine (Roslyn compile, emit, load, the sweep).
    // AUTODIFF_FUZZ_BATCHES runs more batches (a local hunt), AUTODIFF_FUZZ_FIRST starts at another batch.
    private const int DefaultBatches = 3;
    private const int FunctionsPerBatch = 40;
    private const int Seed = 20261128;

    // Two exact derivations of one function differ only by rounding in another order; 1e-9 relative leaves room for
    // moderate cancellation, and a disagreement beyond it is settled by central differences before it counts.
    private const double DerivationTolerance = 1e-9;

    private readonly ITestOutputHelper _out;

    public DeclaredFunctionFuzzTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public void Random_declared_functions_compile_and_their_derived_rules_agree_with_the_tape_and_the_sweep()
    {
        int batches = int.TryParse(Environment.GetEnvironmentVariable("AUTODIFF_FUZZ_BATCHES"), out int b) ? b : DefaultBatches;
        int firstBatch = int.TryParse(Environment.GetEnvironmentVariable("AUTODIFF_FUZZ_FIRST"), out int f) ? f : 0;
        var features = new int[Enum.GetValues<RandomDeclaration.Feature>().Length];
        var failures = new List<string>();
        var counts = new Counts();
        for (int batch = firstBatch; batch < firstBatch + batches && failures.Count < 40; batch++)
        {
            var random = new Random(unchecked(Seed + (batch * 7919)));
            var functions = Enumerable.Range(0, FunctionsPerBatch).Select(_ => RandomDeclaration.Next(random)).ToArray();
            foreach (var function in functions)
            {
                for (int k = 0; k < features.Length; k++)
                {
                    features[k] += function.Features[k];
                }
            }

            string typeName = $"Fuzz.Batch{batch}";
            Type type;
            try
            {
                type = GeneratorHarness.CompileAndLoad(Source(batch, functions), $"Fuzz{batch}", typeName);
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException)
            {
                failures.Add($"batch {batch} did not compile cleanly: {e.Message}\n{Source(batch, functions)}");
                continue;
            }

            for (int i = 0; i < functions.Length; i++)
            {
                var (declared, overVar) = Methods(type, functions, i);
                for (int p = 0; p < 4; p++)
                {
                    double[] x = Enumerable.Range(0, functions[i].Inputs).Select(_ => Point(random)).ToArray();
                    counts.Points++;
                    string? failure = Compare(declared, overVar, x, counts);
                    if (failure is not null)
                    {
                        failures.Add($"batch {batch}, F{i} at ({Format(x)}): {failure}\n{functions[i].Declaration($"F{i}")}");
                        break;
                    }
                }
            }

            var report = DeclaredOpSweep.Run(type);
            counts.SweepPoints += report.PointsChecked;
            counts.TensorKernels += report.TensorKernelsChecked.Count;
            foreach (var failure in report.Failures)
            {
                // The sweep holds a function to finite differences, so it also reports what the function's own
                // composition does at an edge (0·∞ in the chain rule at x = ∞) or where differences cannot follow it (a
                // ratio of two vanishing terms): what the tape computes alike from the same body is the function's, not
                // the generator's.
                int index = int.Parse(failure.Function.AsSpan(failure.Function.LastIndexOf('F') + 1));

                // A failure of no one input (input −1: an overload threw, or a value differs from the double function's or
                // the Var overload's) has no partial to hold to the tape's; it is reported as it is. (It indexed the
                // gradients at −1, and the fuzzer stopped with an IndexOutOfRangeException instead of naming it.)
                if (failure.Input < 0)
                {
                    failures.Add($"batch {batch}, sweep of {failure.Function}: {failure}\n{functions[index].Declaration($"F{index}")}");
                    continue;
                }

                var (declared, overVar) = Methods(type, functions, index);
                var (value, derived) = Gradient(declared, failure.Point);
                double tape = Gradient(overVar, failure.Point).Gradient[failure.Input];
                if (Disagreement(declared, failure.Point, failure.Input, value, derived[failure.Input], tape, counts) is null)
                {
                    counts.SweepFindingsTheTapeShares++;
                    continue;
                }

                failures.Add($"batch {batch}, sweep of {failure.Function} at ({Format(failure.Point)}), input {failure.Input}: " +
                    $"AD {failure.Ad:R}, reference {failure.Reference:R}, tape {tape:R}: {failure.Reason}\n{functions[index].Declaration($"F{index}")}");
            }
        }

        _out.WriteLine($"{batches * FunctionsPerBatch} functions; {counts.Points} points against the tape ({counts.SettledByDifferences} settled by " +
            $"central differences, {counts.FiniteWhereTapeIsNot} finite where the tape's is not); sweep points {counts.SweepPoints} " +
            $"({counts.SweepFindingsTheTapeShares} sweep findings the tape shares); tensor kernels checked {counts.TensorKernels}");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));

        // Coverage, so that a change to the generator of functions cannot quietly stop exercising a construct.
        for (int k = 0; k < features.Length; k++)
        {
            Assert.True(features[k] >= batches * 2, $"{(RandomDeclaration.Feature)k} drawn {features[k]} times");
        }

        Assert.True(counts.TensorKernels >= batches * FunctionsPerBatch * 9 / 10, $"tensor kernels checked {counts.TensorKernels}");
    }

    // Function i's generated Var overload (all inputs Var) and its twin written over Var.
    private static (MethodInfo Declared, MethodInfo OverVar) Methods(Type type, RandomDeclaration[] functions, int i) =>
        (type.GetMethod($"F{i}", Enumerable.Repeat(typeof(Var), functions[i].Inputs).ToArray())!,
         type.GetMethod($"G{i}", BindingFlags.Public | BindingFlags.Static)!);

    private static string Format(double[] point) => string.Join(", ", point.Select(v => v.ToString("R")));

    /// <summary>What the oracles saw, for the test's output and its coverage checks.</summary>
    private sealed class Counts
    {
        public int Points { get; set; }

        public int SettledByDifferences { get; set; }

        public int FiniteWhereTapeIsNot { get; set; }

        public int SweepPoints { get; set; }

        public int SweepFindingsTheTapeShares { get; set; }

        public int TensorKernels { get; set; }
    }

    private static string Source(int batch, RandomDeclaration[] functions)
    {
        var text = new StringBuilder();
        // Random bodies compare a value with itself (CS1718), leave locals unread (CS0219) and have no XML docs (CS1591);
        // generated files are still held to no warning at all.
        text.Append("#pragma warning disable CS1718, CS0219, CS1591\nusing System;\nusing AutoDiff;\n\nnamespace Fuzz;\n\npublic static partial class Batch").Append(batch).Append("\n{\n");
        for (int i = 0; i < functions.Length; i++)
        {
            text.Append(functions[i].Declaration($"F{i}")).Append('\n').Append(functions[i].OverVar($"G{i}")).Append('\n');
        }

        return text.Append("}\n").ToString();
    }

    // Mostly ordinary values; some at 0, −0 and moderately large, where rules with divisions and branches go wrong.
    private static double Point(Random random) => random.Next(10) switch
    {
        0 => 0.0,
        1 => -0.0,
        2 => (random.NextDouble() - 0.5) * 60.0,
        _ => Math.Round((random.NextDouble() - 0.5) * 6.0, 3),
    };

    private static string? Compare(MethodInfo declared, MethodInfo overVar, double[] x, Counts counts)
    {
        var (value, gradient) = Gradient(declared, x);
        var (twinValue, twinGradient) = Gradient(overVar, x);
        if (BitConverter.DoubleToInt64Bits(value) != BitConverter.DoubleToInt64Bits(twinValue) && !(double.IsNaN(value) && double.IsNaN(twinValue)))
        {
            return $"value {value:R}, over Var {twinValue:R}";
        }

        for (int k = 0; k < x.Length; k++)
        {
            if (Disagreement(declared, x, k, value, gradient[k], twinGradient[k], counts) is { } failure)
            {
                return failure;
            }
        }

        return null;
    }

    /// <summary>
    /// Null when the derived ∂/∂x_k agrees with the tape's: equal, both NaN, within rounding, or, where they differ, when
    /// central differences do not show the derived one wrong. A NaN or infinite derived partial where the tape's is finite
    /// and the value is finite is wrong; a finite derived partial where the tape's is not is the derived rule taking the
    /// limit (a zero factor in the chain rule, which the tape multiplies) unless central differences disagree with it.
    /// </summary>
    private static string? Disagreement(MethodInfo declared, double[] x, int k, double value, double derived, double tape, Counts counts)
    {
        if (derived.Equals(tape) || Math.Abs(derived - tape) <= DerivationTolerance * Math.Max(1.0, Math.Max(Math.Abs(derived), Math.Abs(tape))))
        {
            return null;
        }

        if (!double.IsFinite(value))
        {
            return null;
        }

        if (!double.IsFinite(derived))
        {
            return double.IsFinite(tape) || (double.IsInfinity(derived) && double.IsInfinity(tape))
                ? $"∂/∂x{k}: derived {derived:R}, tape {tape:R}"
                : null;
        }

        double? reference = CentralDifference(declared, x, k);
        if (!double.IsFinite(tape))
        {
            counts.FiniteWhereTapeIsNot++;
            return reference is double limit && Math.Abs(derived - limit) > 1e-4 * Math.Max(1.0, Math.Abs(limit))
                ? $"∂/∂x{k}: derived {derived:R}, tape {tape:R}, central differences {limit:R}"
                : null;
        }

        // Rounding in a different order, or a wrong rule? Central differences at two steps: when they agree with each
        // other they say which derivation is right.
        if (reference is double r && Math.Abs(tape - r) <= 1e-5 * Math.Max(1.0, Math.Abs(r)) && Math.Abs(derived - r) > 1e-4 * Math.Max(1.0, Math.Abs(r)))
        {
            return $"∂/∂x{k}: derived {derived:R}, tape {tape:R}, central differences {r:R}";
        }

        counts.SettledByDifferences++;
        return null;
    }

    private static double? CentralDifference(MethodInfo declared, double[] x, int k)
    {
        double Estimate(double h)
        {
            double[] up = (double[])x.Clone(), down = (double[])x.Clone();
            up[k] += h;
            down[k] -= h;
            return (Value(declared, up) - Value(declared, down)) / (2 * h);
        }

        double step = 1e-5 * Math.Max(1.0, Math.Abs(x[k]));
        double coarse = Estimate(step), fine = Estimate(step / 4);
        return double.IsFinite(coarse) && Math.Abs(coarse - fine) <= 1e-6 * Math.Max(1.0, Math.Abs(fine)) ? fine : null;
    }

    private static double Value(MethodInfo method, double[] x)
    {
        using (Tape.NoGrad())
        {
            return ((Var)method.Invoke(null, x.Select(v => (object)(Var)v).ToArray())!).Value;
        }
    }

    private static (double Value, double[] Gradient) Gradient(MethodInfo method, double[] x)
    {
        using (Tape.Scope())
        {
            var leaves = x.Select(Var.Leaf).ToArray();
            var y = (Var)method.Invoke(null, leaves.Select(v => (object)v).ToArray())!;

            // A body that reads no input (all its paths end in literals) is a constant: its gradient is 0.
            if (y.IsConstant)
            {
                return (y.Value, new double[x.Length]);
            }

            y.Backward();
            return (y.Value, leaves.Select(v => v.Grad).ToArray());
        }
    }
}
