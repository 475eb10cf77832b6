using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoDiff.Tests.Tensors;
using Xunit;

namespace AutoDiff.Tests.Simd;

/// <summary>
/// The reflected loop (f and f′ at x and at −x in one pass, what they share computed once) against the loops it stands
/// in for: <see cref="ElementwiseLoops.UnaryValueAndPartial{TKernel}"/> at x and, separately, at the negation's output
/// (and that output, when the loop writes −x too, as a recording that computes ahead has it do), bit for bit, at every width and every length 0…3·8+3, with NaN, ±∞, ±0, subnormal and huge values. A NaN's sign is
/// the exception: once the JIT has recompiled the loops (tier 1), the two forms give NaNs of opposite signs for a NaN
/// input (seen in a full test run, never in a short one), as the pass over a compiled trace documents.
/// </summary>
public class ReflectedLoopTests
{
    private const int MaxLength = 3 * 8 + 3;

    private static readonly double[] Specials =
    [
        double.NaN, -double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon, -double.Epsilon,
        1e-310, -1e-310, 1e-20, -1e-20, 1e300, -1e300, 709.7, -709.7, 745.0, -746.0, 40.0, -40.0, 1.0, -1.0, 18.5, -37.0,
    ];

    // Every kernel of the library and of this test project's declarations that has a reflection, by name.
    public static IEnumerable<object[]> ReflectedKernels() =>
        typeof(AutoDiff.Ops).GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).Concat(typeof(FusedFunctions).GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
            .Where(t => t.IsValueType && !t.IsGenericTypeDefinition && typeof(IUnaryKernel).IsAssignableFrom(t) && Loops(t).HasReflection)
            .Select(t => t.DeclaringType!.Name + "." + t.Name[2..^"Kernel".Length])
            .Order(StringComparer.Ordinal)
            .Select(name => new object[] { name });

    [Fact]
    public void The_generator_gives_reflections_to_the_functions_that_share_work_between_x_and_minus_x()
    {
        // Their values and rules read |x| or call a declared function of ±x: e^(−|x|) at x is e^(−|x|) at −x. Abs reads
        // |x| too, but its rule does not, so it has none; nor has any op that never reads |x| (Exp, Tanh, Square, Cube).
        // OddPart pairs its calls of Cube, which has no reflection and is evaluated at x and −x in turn.
        Assert.Equal(
            ["FusedFunctions.LogCosh", "FusedFunctions.OddPart", "Ops.LogSigmoid", "Ops.Sigmoid", "Ops.Softplus"],
            ReflectedKernels().Select(o => (string)o[0]));
    }

    [Fact]
    public void A_kernel_without_a_reflection_is_refused_by_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Loops(typeof(FusedFunctions).GetNestedType("__CubeKernel", BindingFlags.Public | BindingFlags.NonPublic)!)
            .Reflected([1.0], new double[1], new double[1], new double[1], new double[1], 512, []));
        Assert.Contains("Cube has no reflection", error.Message);
    }

    [Theory]
    [MemberData(nameof(ReflectedKernels))]
    public void The_reflected_loop_gives_the_bits_of_the_two_loops_it_replaces(string op)
    {
        var loops = Loops(op.Split('.') is [var owner, var name]
            ? (owner == nameof(AutoDiff.Ops) ? typeof(AutoDiff.Ops) : typeof(FusedFunctions)).GetNestedType("__" + name + "Kernel", BindingFlags.Public | BindingFlags.NonPublic)!
            : throw new ArgumentException(op));
        var random = new Random(StableSeed.Of(op));
        foreach (int width in new[] { 0, 256, 512 })
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                double[] x = [.. Enumerable.Range(0, n).Select(_ => random.Next(3) switch
                {
                    0 => Specials[random.Next(Specials.Length)],
                    1 => 60 * random.NextDouble() - 30,
                    _ => Math.ScaleB(random.NextDouble() - 0.5, random.Next(-40, 12)),
                })];

                // Apart: f at x; the negation's output −x (its own loop); f at that.
                double[] y = new double[n], p = new double[n], negated = new double[n], yNeg = new double[n], pNeg = new double[n];
                loops.ValueAndPartial(x, y, p, width);
                loops.Negate(x, negated, width);
                loops.ValueAndPartial(negated, yNeg, pNeg, width);

                // Together, as a compiled trace runs it (four outputs) and as a recording that computes ahead does (−x too).
                double[] ry = new double[n], rp = new double[n], ryNeg = new double[n], rpNeg = new double[n];
                loops.Reflected(x, ry, rp, ryNeg, rpNeg, width, []);
                double[] sy = new double[n], sp = new double[n], syNeg = new double[n], spNeg = new double[n], sNegated = new double[n];
                loops.Reflected(x, sy, sp, syNeg, spNeg, width, sNegated);
                double[] apart = [.. y, .. p, .. yNeg, .. pNeg, .. negated];
                double[][] runs = [[.. ry, .. rp, .. ryNeg, .. rpNeg], [.. sy, .. sp, .. syNeg, .. spNeg, .. sNegated]];
                foreach (var together in runs)
                {
                    for (int i = 0; i < together.Length; i++)
                    {
                        Assert.True(
                            SameBits.ButNaNSign(apart[i], together[i]),
                            $"{op} at width {width}, length {n}, {Outputs[i / Math.Max(n, 1)]} of x = {x[i % n]:R}: {together[i]:R}, apart {apart[i]:R}");
                    }
                }
            }
        }
    }

    private static readonly string[] Outputs = ["f(x)", "f′(x)", "f(−x)", "f′(−x)", "−x"];

    private static IReflectedLoops Loops(Type kernel) =>
        (IReflectedLoops)Activator.CreateInstance(typeof(ReflectedLoops<,>).MakeGenericType(kernel, NegationKernelType))!;

    // The library's negation kernel, which a compiled trace's −z runs through.
    private static Type NegationKernelType => typeof(AutoDiff.Ops).GetNestedType("__NegateKernel", BindingFlags.Public | BindingFlags.NonPublic)!;

    private interface IReflectedLoops
    {
        bool HasReflection { get; }

        void ValueAndPartial(double[] x, double[] y, double[] partial, int width);

        void Negate(double[] x, double[] y, int width);

        void Reflected(double[] x, double[] y, double[] partial, double[] reflectedY, double[] reflectedPartial, int width, double[] negated);
    }

    private sealed class ReflectedLoops<TKernel, TNegation> : IReflectedLoops
        where TKernel : struct, IUnaryKernel
        where TNegation : struct, IUnaryKernel
    {
        public bool HasReflection => TKernel.HasReflection;

        public void ValueAndPartial(double[] x, double[] y, double[] partial, int width) =>
            ElementwiseLoops.UnaryValueAndPartial<TKernel>(x, y, partial, width);

        public void Negate(double[] x, double[] y, int width) => ElementwiseLoops.UnaryValue<TNegation>(x, y, width);

        public void Reflected(double[] x, double[] y, double[] partial, double[] reflectedY, double[] reflectedPartial, int width, double[] negated) =>
            ElementwiseLoops.UnaryReflectedValueAndPartial<TKernel>(x, y, partial, reflectedY, reflectedPartial, width, negated);
    }
}
