using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;
using static AutoDiff.Tests.Ulp;
using AutoDiff.Tests.Tensors;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Simd;

/// <summary>
/// The vector bodies the generator translates from each declaration against the scalar fallback (width 0), on every
/// length 0…3·8+3 (so every split into whole vectors and a tail, at 256 and 512 bits), with NaN, ±∞, ±0, subnormal,
/// tiny and huge values, forward and backward with some zero adjoints; and the tensor path against the scalar Var path.
/// </summary>
public class SimdKernelTests
{
    private const int MaxLength = 3 * 8 + 3;

    private static readonly int[] Widths = [256, 512];

    // Pure arithmetic, comparisons and exact functions (Abs, Sqrt, Max, Min): the vector body is the same IEEE
    // arithmetic, so it must agree bit for bit. The others use Vector.Sin/Cos, within 2 ulp of Math's, or
    // VectorMath.Exp/Log, within 1 ulp of Math's (VectorMathTests), so Log's value is no longer bit for bit.
    private static readonly HashSet<string> Exact =
        ["Add", "Subtract", "Multiply", "Divide", "Negate", "Square", "Abs", "Relu", "Max", "Min", "Sqrt"];

    private const long CloseUlps = 4;

    private static readonly double[] Specials =
    [
        double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon, -double.Epsilon,
        1e-310, -1e-310, 1e-300, 1e-20, -1e-20, 1e300, -1e300, double.MaxValue, double.MinValue,
        709.7, 710.0, -745.0, -746.0, 40.0, -40.0, 1.0, -1.0, 0.5, 2.0, 1e10, -1e10,
    ];

    public static IEnumerable<object[]> UnaryKernels() => Kernels(typeof(IUnaryKernel));

    public static IEnumerable<object[]> BinaryKernels() => Kernels(typeof(IBinaryKernel));

    private static IEnumerable<object[]> Kernels(Type kind) =>
        typeof(AutoDiff.Ops).GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic)
            .Where(t => t.IsValueType && kind.IsAssignableFrom(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new object[] { KernelOpName(t) });

    private static string KernelOpName(Type kernel) => kernel.Name[2..^"Kernel".Length];

    // The library's kernels by op name; a test project's declared ones as "FusedFunctions.Name".
    private static Type KernelType(string op) => op.Split('.') is [_, var declared]
        ? typeof(FusedFunctions).GetNestedType("__" + declared + "Kernel", BindingFlags.Public | BindingFlags.NonPublic)!
        : typeof(AutoDiff.Ops).GetNestedType("__" + op + "Kernel", BindingFlags.Public | BindingFlags.NonPublic)!;

    // The library's two-input kernels are exact arithmetic, the same bits in any body; the declared ones here take
    // logarithms and exponentials, whose vector and scalar bodies differ.
    public static IEnumerable<object[]> BinaryKernelsWithDeclared() =>
        BinaryKernels().Concat(typeof(FusedFunctions).GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic)
            .Where(t => t.IsValueType && typeof(IBinaryKernel).IsAssignableFrom(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new object[] { nameof(FusedFunctions) + "." + KernelOpName(t) }));

    private static IUnaryLoops LoopsOf1(string op) =>
        (IUnaryLoops)Activator.CreateInstance(typeof(UnaryLoops<>).MakeGenericType(KernelType(op)))!;

    private static IBinaryLoops LoopsOf2(string op) =>
        (IBinaryLoops)Activator.CreateInstance(typeof(BinaryLoops<>).MakeGenericType(KernelType(op)))!;

    [Fact]
    public void The_generator_vectorizes_the_ops_whose_bodies_have_accurate_vector_forms()
    {
        string[] forward = [.. UnaryKernels().Concat(BinaryKernels()).Select(o => (string)o[0])
            .Where(op => KernelType(op).GetInterface(nameof(IUnaryKernel)) is not null ? LoopsOf1(op).IsValueVectorized : LoopsOf2(op).IsValueVectorized)];
        string[] backward = [.. UnaryKernels().Concat(BinaryKernels()).Select(o => (string)o[0])
            .Where(op => KernelType(op).GetInterface(nameof(IUnaryKernel)) is not null ? LoopsOf1(op).IsDerivativeVectorized : LoopsOf2(op).IsDerivativeVectorized)];

        Assert.Equal(
            ["Abs", "Add", "Cos", "Divide", "Exp", "Expm1", "Log", "Log1p", "LogSigmoid", "Max", "Min", "Multiply", "Negate", "Relu", "Sigmoid", "Sin", "Softplus", "Sqrt", "Square", "Subtract"],
            forward.Order(StringComparer.Ordinal));
        // Pow and Tanh call Math.Pow or Math.Tanh in their values, which have no accurate vector form; their rules
        // mostly do, so their backward is vectorized anyway. (Math.Log is VectorMath.Log, within 1 ulp.)
        Assert.Equal(
            ["Abs", "Add", "Cos", "Divide", "Exp", "Expm1", "Log", "Log1p", "LogSigmoid", "Max", "Min", "Multiply", "Negate", "Relu", "Sigmoid", "Sin", "Softplus", "Sqrt", "Square", "Subtract", "Tanh"],
            backward.Order(StringComparer.Ordinal));
    }

    // After the 512-bit loop, four of the (up to seven) elements left go through the 256-bit body, the rest through the
    // scalar one: so at every length each element is computed by the body the 256-bit loops use for it, and the two
    // widths agree bit for bit (a 512-bit body's lanes are the 256-bit body's operations).
    [Theory]
    [MemberData(nameof(UnaryKernels))]
    public void Unary_loops_at_512_bits_equal_those_at_256_bits_bit_for_bit(string op)
    {
        // Sin and Cos take .NET's Vector256/512.Sin and Cos, whose polynomials use MultiplyAddEstimate: fused or not
        // depending on how the JIT compiled them at the time (tier 0 or 1), so their bits may change during a run (this
        // test failed for them only in full-suite runs). Within 2 ulp of Math's all the same (the scalar-fallback tests).
        if (op is "Sin" or "Cos")
        {
            return;
        }

        var loops = LoopsOf1(op);
        var random = new Random(StableSeed.Of(op) ^ 23);
        for (int n = 0; n <= MaxLength; n++)
        {
            double[] x = Values(random, n), dy = Adjoints(random, n), start = Moderate(random, n);
            foreach (var (what, run) in new (string, Func<int, double[]>)[]
            {
                ("value", width => { var y = new double[n]; loops.Value(x, y, width); return y; }),
                ("kept partial", width => { var (y, p) = (new double[n], new double[n]); loops.ValueAndPartial(x, y, p, width); return [.. y, .. p]; }),
                ("backward", width => { var y = new double[n]; loops.Value(x, y, 0); var dx = (double[])start.Clone(); loops.Backward(x, y, dy, dx, width); return dx; }),
            })
            {
                if (what == "kept partial" && !loops.SavesPartial)
                {
                    continue;
                }

                VectorWidths.AssertSameBits($"{op} {what}, length {n}", run(256), run(512));
            }
        }
    }

    // Backward too, for every input with a value per element; a broadcast input's sum adds its lanes in another order.
    [Theory]
    [MemberData(nameof(BinaryKernelsWithDeclared))]
    public void Binary_loops_at_512_bits_equal_those_at_256_bits_bit_for_bit(string op)
    {
        var loops = LoopsOf2(op);
        var random = new Random(StableSeed.Of(op) ^ 29);
        for (int n = 1; n <= MaxLength; n++)
        {
            foreach (var (stepA, stepB) in new[] { (1, 1), (0, 1), (1, 0) })
            {
                double[] a = Values(random, stepA == 0 ? 1 : n), b = Values(random, stepB == 0 ? 1 : n);
                double[] y256 = new double[n], y512 = new double[n];
                loops.Value(a, stepA, b, stepB, y256, 256);
                loops.Value(a, stepA, b, stepB, y512, 512);
                VectorWidths.AssertSameBits($"{op} value, steps ({stepA}, {stepB}), length {n}", y256, y512);

                a = Moderate(random, a.Length);
                b = Moderate(random, b.Length);
                loops.Value(a, stepA, b, stepB, y256, 0);
                double[] dy = Adjoints(random, n), da256 = Moderate(random, a.Length), db256 = Moderate(random, b.Length);
                double[] da512 = [.. da256], db512 = [.. db256];
                loops.Backward(a, stepA, b, stepB, y256, dy, da256, db256, 256);
                loops.Backward(a, stepA, b, stepB, y256, dy, da512, db512, 512);
                if (stepA == 1)
                {
                    VectorWidths.AssertSameBits($"{op} backward into a, steps ({stepA}, {stepB}), length {n}", da256, da512);
                }

                if (stepB == 1)
                {
                    VectorWidths.AssertSameBits($"{op} backward into b, steps ({stepA}, {stepB}), length {n}", db256, db512);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(UnaryKernels))]
    public void Unary_vector_loops_equal_the_scalar_fallback(string op)
    {
        var loops = LoopsOf1(op);
        var random = new Random(StableSeed.Of(op));
        foreach (int width in Widths)
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                for (int trial = 0; trial < 4; trial++)
                {
                    double[] x = Values(random, n);
                    double[] scalar = new double[n], vector = new double[n];
                    loops.Value(x, scalar, 0);
                    loops.Value(x, vector, width);
                    AssertAgree(op, "value", x, null, scalar, vector, width);

                    // Backward from the scalar output, so only the derivative is compared; a third of the adjoints are 0.
                    double[] dy = Adjoints(random, n);
                    double[] start = Values(random, n).Select(v => double.IsFinite(v) ? v : 1.0).ToArray();
                    double[] dxScalar = [.. start], dxVector = [.. start];
                    loops.Backward(x, scalar, dy, dxScalar, 0);
                    loops.Backward(x, scalar, dy, dxVector, width);
                    AssertAgree(op, "derivative", x, null, dxScalar, dxVector, width, start);
                    for (int i = 0; i < n; i++)
                    {
                        if (dy[i] == 0.0)
                        {
                            // A zero adjoint contributes nothing, even where the derivative is NaN or infinite.
                            Assert.Equal(BitConverter.DoubleToInt64Bits(start[i]), BitConverter.DoubleToInt64Bits(dxVector[i]));
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void The_generator_keeps_the_partials_that_call_transcendental_functions()
    {
        string[] saving = [.. UnaryKernels().Select(o => (string)o[0]).Where(op => LoopsOf1(op).SavesPartial)];

        // σ(±x), exp's: kept. 2x, 1/x, 0.5/y, y, cos x (a .NET vector form, not a marked call): computed again. Tanh's
        // rule calls Exp, but its value is scalar (Math.Tanh), so its partial keeps its own vector loop in the backward.
        Assert.Equal(["Expm1", "LogSigmoid", "Sigmoid", "Softplus"], saving.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(UnaryKernels))]
    public void A_kept_partial_gives_the_bits_of_the_partial_computed_in_the_backward_pass(string op)
    {
        // The forward loop that keeps the partials, then the backward loop over them, against the value loop and the
        // backward loop that computes the partials: the same bits at every width and length, with zero adjoints (which
        // must contribute nothing, even against a NaN partial), assigned or accumulated.
        var loops = LoopsOf1(op);
        if (loops.IsValueVectorized != loops.IsDerivativeVectorized)
        {
            // Tanh: a scalar value beside a vector rule. The loop that keeps partials runs such a kernel lane by lane (the
            // scalar rule, within a few ulps of the vector one), and the generator does not make it keep them.
            Assert.False(loops.SavesPartial);
            return;
        }

        var random = new Random(StableSeed.Of(op) ^ 77);
        foreach (int width in Widths.Append(0))
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                double[] x = Values(random, n);
                double[] y = new double[n], yKept = new double[n], partials = new double[n];
                loops.Value(x, y, width);
                loops.ValueAndPartial(x, yKept, partials, width);
                Assert.True(SameBits.ButNaNSign(y, yKept), $"{op}, width {width}, n = {n}: the values computed with the partials differ");

                foreach (bool assign in new[] { false, true })
                {
                    double[] dy = Adjoints(random, n);
                    double[] start = Values(random, n).Select(v => double.IsFinite(v) ? v : 1.0).ToArray();
                    double[] computed = [.. start], kept = [.. start];
                    loops.Backward(x, y, dy, computed, width, assign);
                    loops.BackwardFromPartials(partials, y, dy, kept, width, assign);
                    Assert.True(SameBits.ButNaNSign(computed, kept), $"{op}, width {width}, n = {n}, assign {assign}: the kept partials give other bits");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(BinaryKernels))]
    public void Binary_vector_loops_equal_the_scalar_fallback_on_contiguous_rows(string op)
    {
        var loops = LoopsOf2(op);
        var random = new Random(StableSeed.Of(op));
        foreach (int width in Widths)
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                for (int trial = 0; trial < 4; trial++)
                {
                    double[] a = Values(random, n), b = Values(random, n);
                    double[] scalar = new double[n], vector = new double[n];
                    loops.Value(a, 1, b, 1, scalar, 0);
                    loops.Value(a, 1, b, 1, vector, width);
                    AssertAgree(op, "value", a, b, scalar, vector, width);

                    double[] dy = Adjoints(random, n);
                    double[] startA = Values(random, n).Select(v => double.IsFinite(v) ? v : 1.0).ToArray();
                    double[] startB = Values(random, n).Select(v => double.IsFinite(v) ? v : 1.0).ToArray();
                    double[] daS = [.. startA], dbS = [.. startB], daV = [.. startA], dbV = [.. startB];
                    loops.Backward(a, 1, b, 1, scalar, dy, daS, dbS, 0);
                    loops.Backward(a, 1, b, 1, scalar, dy, daV, dbV, width);
                    AssertAgree(op, "∂/∂a", a, b, daS, daV, width, startA);
                    AssertAgree(op, "∂/∂b", a, b, dbS, dbV, width, startB);

                    // A constant input (empty adjoint span) gets nothing and the other is unchanged by its absence.
                    double[] dbOnly = [.. startB];
                    loops.Backward(a, 1, b, 1, scalar, dy, [], dbOnly, width);
                    AssertAgree(op, "∂/∂b alone", a, b, dbS, dbOnly, width, startB);

                    // y = f(x, x): both partials accumulate into the same adjoints, in the scalar order.
                    double[] selfS = new double[n], selfV = new double[n];
                    loops.Value(a, 1, a, 1, selfS, 0);
                    double[] dxS = [.. startA], dxV = [.. startA];
                    loops.Backward(a, 1, a, 1, selfS, dy, dxS, dxS, 0);
                    loops.Backward(a, 1, a, 1, selfS, dy, dxV, dxV, width);
                    AssertAgree(op, "f(x, x)", a, a, dxS, dxV, width, startA);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(BinaryKernels))]
    public void Binary_vector_loops_equal_the_scalar_fallback_when_an_input_is_broadcast(string op)
    {
        var loops = LoopsOf2(op);
        var random = new Random(StableSeed.Of(op) ^ 7);
        foreach (int width in Widths)
        {
            for (int n = 1; n <= MaxLength; n++)
            {
                foreach ((int stepA, int stepB) in new[] { (0, 1), (1, 0), (0, 0) })
                {
                    // Values: specials in the forward; moderate values in the backward, whose broadcast input receives a
                    // sum that the vector loop adds in another order (equal up to rounding, which specials would not be).
                    double[] a = Values(random, stepA == 0 ? 1 : n), b = Values(random, stepB == 0 ? 1 : n);
                    double[] scalar = new double[n], vector = new double[n];
                    loops.Value(a, stepA, b, stepB, scalar, 0);
                    loops.Value(a, stepA, b, stepB, vector, width);
                    AssertAgree(op, $"value, steps {stepA},{stepB}", a, b, scalar, vector, width);

                    a = Moderate(random, a.Length);
                    b = Moderate(random, b.Length);
                    loops.Value(a, stepA, b, stepB, scalar, 0);
                    double[] dy = Adjoints(random, n);
                    double[] daS = Moderate(random, a.Length), dbS = Moderate(random, b.Length);
                    double[] daV = [.. daS], dbV = [.. dbS];
                    loops.Backward(a, stepA, b, stepB, scalar, dy, daS, dbS, 0);
                    loops.Backward(a, stepA, b, stepB, scalar, dy, daV, dbV, width);
                    AssertSums(op, stepA, daS, daV, n);
                    AssertSums(op, stepB, dbS, dbV, n);
                }
            }
        }
    }

    // The derivative at a NaN is undefined, and NaN propagates: Abs′, Relu′ and a NaN operand's partial of Max and Min
    // are NaN (they were 0, from comparisons that a NaN fails), while the other operand beside it gets 0. Every length
    // puts the NaN in a 512-bit block, a 256-bit block and the scalar tail in turn; every width, the scalar fallback
    // included, must give the same closed-form gradients.
    [Fact]
    public void A_NaN_input_of_Abs_Relu_Max_or_Min_gets_a_NaN_gradient_in_every_loop_and_lane()
    {
        const double G = 1.5;
        foreach (int width in Widths.Append(0))
        {
            for (int n = 1; n <= MaxLength; n++)
            {
                for (int at = 0; at < n; at++)
                {
                    // x = i − 3: below, at and above the kinks of Abs and Relu (0) and of Max and Min against b = 0.
                    double[] x = [.. Enumerable.Range(0, n).Select(i => i == at ? double.NaN : i - 3.0)];
                    double[] dy = [.. Enumerable.Repeat(G, n)];
                    foreach (var (op, expected) in new (string, Func<double, double>)[]
                    {
                        ("Abs", v => double.IsNaN(v) ? double.NaN : G * Math.Sign(v)),
                        ("Relu", v => double.IsNaN(v) ? double.NaN : v > 0 ? G : 0.0),
                    })
                    {
                        var loops = LoopsOf1(op);
                        double[] y = new double[n], dx = new double[n];
                        loops.Value(x, y, width);
                        loops.Backward(x, y, dy, dx, width);
                        Assert.Equal([.. x.Select(expected)], dx);
                    }

                    double[] zeros = new double[n];
                    double[] bothNaN = [.. Enumerable.Range(0, n).Select(i => i == at ? double.NaN : 0.0)];
                    foreach (var (op, wins) in new (string, int)[] { ("Max", 1), ("Min", -1) })
                    {
                        // ∂/∂a: 1 where a wins, ½ at the tie a = 0, NaN at a's NaN; ∂/∂b the mirror, and 0 beside a's NaN.
                        double Da(double a) => double.IsNaN(a) ? double.NaN : Math.Sign(a) == wins ? G : a == 0 ? G / 2 : 0.0;
                        double Db(double a) => double.IsNaN(a) ? 0.0 : Math.Sign(a) == -wins ? G : a == 0 ? G / 2 : 0.0;
                        var loops = LoopsOf2(op);
                        double[] y = new double[n], da = new double[n], db = new double[n];
                        loops.Value(x, 1, zeros, 1, y, width);
                        loops.Backward(x, 1, zeros, 1, y, dy, da, db, width);
                        Assert.Equal([.. x.Select(Da)], da);
                        Assert.Equal([.. x.Select(Db)], db);

                        // f(b, a): the same partials, the operands swapped.
                        (da, db) = (new double[n], new double[n]);
                        loops.Backward(zeros, 1, x, 1, y, dy, db, da, width);
                        Assert.Equal([.. x.Select(Da)], da);
                        Assert.Equal([.. x.Select(Db)], db);

                        // NaN on both sides at the same element: both partials NaN there.
                        (da, db) = (new double[n], new double[n]);
                        loops.Value(x, 1, bothNaN, 1, y, width);
                        loops.Backward(x, 1, bothNaN, 1, y, dy, da, db, width);
                        Assert.Equal([.. x.Select(Da)], da);
                        Assert.Equal([.. x.Select(v => double.IsNaN(v) ? double.NaN : Db(v))], db);

                        // b broadcast: its adjoint is the sum of its partials, finite beside a's NaN, NaN when b is NaN.
                        double[] dbSum = [0.0];
                        loops.Backward(x, 1, [0.0], 0, y, dy, new double[n], dbSum, width);
                        Assert.Equal(x.Select(Db).Sum(), dbSum[0]);
                        dbSum = [0.0];
                        loops.Backward(zeros, 1, [double.NaN], 0, y, dy, new double[n], dbSum, width);
                        Assert.True(double.IsNaN(dbSum[0]), $"{op}: a NaN broadcast operand's gradient is {dbSum[0]}");
                    }
                }
            }
        }
    }

    // d√x/dx and d(ln x)/dx at −0 are +∞, as at +0 (the rules read the zero's sign no more), in the vector lanes and the
    // scalar tail alike: −0 at every position of every length, at every width.
    [Fact]
    public void Sqrt_and_Log_loops_give_minus_zero_the_derivative_plus_infinity_in_every_lane()
    {
        foreach (int width in Widths.Append(0))
        {
            for (int n = 1; n <= MaxLength; n++)
            {
                for (int at = 0; at < n; at++)
                {
                    double[] x = [.. Enumerable.Range(0, n).Select(i => i == at ? -0.0 : 0.25 * (i + 1))];
                    foreach (var (op, slope) in new (string, Func<double, double>)[] { ("Sqrt", v => 0.5 / Math.Sqrt(v)), ("Log", v => 1.0 / v) })
                    {
                        var loops = LoopsOf1(op);
                        double[] y = new double[n], dx = new double[n];
                        loops.Value(x, y, width);
                        loops.Backward(x, y, [.. Enumerable.Repeat(1.0, n)], dx, width);
                        Assert.Equal([.. x.Select(v => v == 0 ? double.PositiveInfinity : slope(v))], dx);
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(UnaryKernels))]
    public void Assigning_unary_backward_loops_equal_adding_into_zeros(string op)
    {
        // The first rule to write a lazily cleared adjoint region assigns it over stale values (here NaN).
        var loops = LoopsOf1(op);
        var random = new Random(StableSeed.Of(op) ^ 11);
        foreach (int width in Widths.Append(0))
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                double[] x = Values(random, n), y = new double[n], dy = WithZeroBlock(Adjoints(random, n));
                loops.Value(x, y, 0);
                double[] added = new double[n], assigned = [.. Enumerable.Repeat(double.NaN, n)];
                loops.Backward(x, y, dy, added, width);
                loops.Backward(x, y, dy, assigned, width, assign: true);
                AssertBits(op, width, added, assigned);
            }
        }
    }

    [Theory]
    [MemberData(nameof(BinaryKernels))]
    public void Assigning_binary_backward_loops_equal_adding_into_zeros(string op)
    {
        var loops = LoopsOf2(op);
        var random = new Random(StableSeed.Of(op) ^ 13);
        foreach (int width in Widths.Append(0))
        {
            for (int n = 0; n <= MaxLength; n++)
            {
                // Both inputs per element (assigned), or one of them broadcast (only the other is assigned).
                foreach ((int stepA, int stepB) in new[] { (1, 1), (1, 0), (0, 1) })
                {
                    double[] a = Values(random, stepA == 0 ? 1 : n), b = Values(random, stepB == 0 ? 1 : n);
                    double[] y = new double[n], dy = WithZeroBlock(Adjoints(random, n));
                    loops.Value(a, stepA, b, stepB, y, 0);
                    double[] daAdded = new double[a.Length], dbAdded = new double[b.Length];
                    double[] daAssigned = [.. a.Select(_ => stepA == 0 ? 0.0 : double.NaN)], dbAssigned = [.. b.Select(_ => stepB == 0 ? 0.0 : double.NaN)];
                    loops.Backward(a, stepA, b, stepB, y, dy, daAdded, dbAdded, width);
                    loops.Backward(a, stepA, b, stepB, y, dy, daAssigned, dbAssigned, width, assignA: stepA != 0, assignB: stepB != 0);
                    AssertBits(op, width, daAdded, daAssigned);
                    AssertBits(op, width, dbAdded, dbAssigned);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(BinaryKernels))]
    public void Binary_backward_loops_read_a_uniform_adjoint_as_its_written_out_form(string op)
    {
        // A Sum hands its input one adjoint for all elements; the loops read it as a one-element dy.
        var loops = LoopsOf2(op);
        var random = new Random(StableSeed.Of(op) ^ 17);
        foreach (int width in Widths.Append(0))
        {
            for (int n = 2; n <= MaxLength; n++)
            {
                foreach ((int stepA, int stepB) in new[] { (1, 1), (1, 0), (0, 1) })
                {
                    double[] a = Moderate(random, stepA == 0 ? 1 : n), b = Moderate(random, stepB == 0 ? 1 : n), y = new double[n];
                    loops.Value(a, stepA, b, stepB, y, 0);
                    foreach (double g in new[] { 0.75, 0.0 })
                    {
                        double[] daFull = new double[a.Length], dbFull = new double[b.Length], daOne = new double[a.Length], dbOne = new double[b.Length];
                        loops.Backward(a, stepA, b, stepB, y, [.. Enumerable.Repeat(g, n)], daFull, dbFull, width);
                        loops.Backward(a, stepA, b, stepB, y, [g], daOne, dbOne, width);
                        AssertBits(op, width, daFull, daOne);
                        AssertBits(op, width, dbFull, dbOne);
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(UnaryKernels))]
    public void Unary_backward_loops_read_a_uniform_adjoint_as_its_written_out_form(string op)
    {
        var loops = LoopsOf1(op);
        var random = new Random(StableSeed.Of(op) ^ 19);
        foreach (int width in Widths.Append(0))
        {
            for (int n = 2; n <= MaxLength; n++)
            {
                double[] x = Values(random, n), y = new double[n];
                loops.Value(x, y, 0);
                foreach (double g in new[] { -1.25, 0.0 })
                {
                    double[] full = new double[n], one = new double[n];
                    loops.Backward(x, y, [.. Enumerable.Repeat(g, n)], full, width);
                    loops.Backward(x, y, [g], one, width);
                    AssertBits(op, width, full, one);
                }
            }
        }
    }

    // Adjoints 8…15 are 0: a whole block at both widths, which the loops skip without evaluating the derivative.
    private static double[] WithZeroBlock(double[] adjoints)
    {
        for (int i = 8; i < Math.Min(16, adjoints.Length); i++)
        {
            adjoints[i] = 0.0;
        }

        return adjoints;
    }

    private static void AssertBits(string op, int width, double[] expected, double[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                $"{op} at width {width}, length {expected.Length}, element {i}: added into 0 {expected[i]:R}, assigned {actual[i]:R}");
        }
    }

    public static IEnumerable<object[]> UnaryOps()
    {
        yield return ["Exp", (Func<Var, Var>)Exp, (Func<Tensor, Tensor>)Exp];
        yield return ["Sigmoid", (Func<Var, Var>)Sigmoid, (Func<Tensor, Tensor>)Sigmoid];
        yield return ["LogSigmoid", (Func<Var, Var>)LogSigmoid, (Func<Tensor, Tensor>)LogSigmoid];
        yield return ["Softplus", (Func<Var, Var>)Softplus, (Func<Tensor, Tensor>)Softplus];
        yield return ["Sin", (Func<Var, Var>)Sin, (Func<Tensor, Tensor>)Sin];
        yield return ["Cos", (Func<Var, Var>)Cos, (Func<Tensor, Tensor>)Cos];
        yield return ["Tanh", (Func<Var, Var>)Tanh, (Func<Tensor, Tensor>)Tanh];
        yield return ["Abs", (Func<Var, Var>)Abs, (Func<Tensor, Tensor>)Abs];
        yield return ["Relu", (Func<Var, Var>)Relu, (Func<Tensor, Tensor>)Relu];
        yield return ["Square", (Func<Var, Var>)Square, (Func<Tensor, Tensor>)Square];
    }

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void The_tensor_path_equals_the_scalar_Var_path_elementwise(string name, Func<Var, Var> scalar, Func<Tensor, Tensor> tensor)
    {
        var random = new Random(StableSeed.Of(name));
        for (int n = 0; n <= MaxLength; n++)
        {
            double[] x = [.. Enumerable.Range(0, n).Select(_ => 40 * random.NextDouble() - 20)];
            double[] w = [.. Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 0.0 : random.NextDouble() - 0.5)];
            var (_, tensorGradient) = AD.ValueAndGrad(t => Sum(tensor(t[0]) * Tensor.Vector(w)), Tensor.Vector(x));
            double[] values = tensor(Tensor.Vector(x)).ToArray();
            double[] g = tensorGradient[0].ToArray();
            for (int i = 0; i < n; i++)
            {
                var (value, gradient) = AD.ValueAndGrad(v => scalar(v[0]) * w[i], [x[i]]);
                AssertClose(name, scalar(x[i]).Value, values[i], x[i]);
                AssertClose(name + "′", gradient[0], g[i], x[i]);
                Assert.True(w[i] != 0.0 || Math.Abs(value) == 0.0);
            }
        }
    }

    [Fact]
    public void The_span_sigmoid_of_the_benchmarks_closed_forms_is_the_tensor_sigmoid()
    {
        var random = new Random(17);
        for (int n = 0; n <= MaxLength; n++)
        {
            double[] x = Values(random, n);
            var y = new double[n];
            AutoDiff.Ops.Sigmoid(x, y);
            Assert.Equal(Sigmoid(Tensor.Vector(x)).ToArray(), y);
            for (int i = 0; i < n; i++)
            {
                AssertClose("Sigmoid", 1.0 / (1.0 + Math.Exp(-x[i])), y[i], x[i]);
            }
        }
    }

    [Fact]
    public void The_tensor_path_equals_the_scalar_Var_path_for_broadcast_binary_ops()
    {
        var random = new Random(3);
        for (int n = 0; n <= MaxLength; n++)
        {
            double[] a = Moderate(random, n);
            double s = random.NextDouble() + 0.5;

            // a ⊙ s and s / a, with s a broadcast scalar variable.
            var (_, g) = AD.ValueAndGrad(t => Sum(t[0] * (Var)t[1] + (Var)t[1] / t[0]), Tensor.Vector(a), Tensor.Scalar(s));
            var (_, expected) = AD.ValueAndGrad(v => Sum(Enumerable.Range(0, n).Select(i => v[i] * v[n] + v[n] / v[i])), [.. a, s]);
            double[] ga = g[0].ToArray();
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(expected[i], ga[i]);
            }

            Assert.Equal(expected[n], g[1].Item(), 1e-12 * Math.Max(1, Math.Abs(expected[n])));
        }
    }

    private static double[] Values(Random random, int n) =>
        [.. Enumerable.Range(0, n).Select(_ => random.Next(3) switch
        {
            0 => Specials[random.Next(Specials.Length)],
            1 => 10 * random.NextDouble() - 5,
            _ => Math.ScaleB(random.NextDouble() - 0.5, random.Next(-60, 60)),
        })];

    private static double[] Moderate(Random random, int n) =>
        [.. Enumerable.Range(0, n).Select(_ => random.Next(5) == 0 ? 0.0 : 4 * random.NextDouble() + 0.25 * (random.Next(2) * 2 - 1) - 2)];

    private static double[] Adjoints(Random random, int n) =>
        [.. Enumerable.Range(0, n).Select(_ => random.Next(3) == 0 ? (random.Next(2) == 0 ? 0.0 : -0.0) : 2 * random.NextDouble() - 1)];

    // Exact ops agree bit for bit. The others agree within a few ulps of the value or, for an accumulated adjoint
    // start + dy·f′, within a few ulps of the larger of its two terms (the sum may cancel).
    private static void AssertAgree(string op, string what, double[] a, double[]? b, double[] scalar, double[] vector, int width, double[]? start = null)
    {
        for (int i = 0; i < scalar.Length; i++)
        {
            double scale = start is null ? 0 : Math.Max(Math.Abs(start[i]), Math.Abs(scalar[i] - start[i]));
            bool agree = Exact.Contains(op)
                ? BitConverter.DoubleToInt64Bits(scalar[i]) == BitConverter.DoubleToInt64Bits(vector[i]) || (double.IsNaN(scalar[i]) && double.IsNaN(vector[i]))
                : Ulps(scalar[i], vector[i]) <= CloseUlps || Math.Abs(scalar[i] - vector[i]) <= CloseUlps * Math.ScaleB(scale, -52);
            Assert.True(
                agree,
                $"{op} {what}, width {width}, length {scalar.Length}, element {i}: input {a[a.Length == 1 ? 0 : i]:R}{(b is null ? string.Empty : $", {b[b.Length == 1 ? 0 : i]:R}")}: " +
                $"scalar {scalar[i]:R}, vector {vector[i]:R}");
        }
    }

    private static void AssertClose(string op, double expected, double actual, double x) =>
        Assert.True(Ulps(expected, actual) <= CloseUlps || Math.Abs(expected - actual) <= 1e-300, $"{op}({x:R}): Var path {expected:R}, tensor path {actual:R}");

    private static void AssertSums(string op, int step, double[] expected, double[] actual, int n)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = step == 0 ? 1e-12 * n * Math.Max(1, Math.Abs(expected[i])) : 0;
            Assert.True(
                expected[i] == actual[i] || Math.Abs(expected[i] - actual[i]) <= tolerance || (double.IsNaN(expected[i]) && double.IsNaN(actual[i])),
                $"{op} backward, step {step}, length {n}, element {i}: scalar {expected[i]:R}, vector {actual[i]:R}");
        }
    }

    private interface IUnaryLoops
    {
        bool IsValueVectorized { get; }

        bool IsDerivativeVectorized { get; }

        bool SavesPartial { get; }

        void Value(double[] x, double[] y, int width);

        void ValueAndPartial(double[] x, double[] y, double[] partial, int width);

        void BackwardFromPartials(double[] partials, double[] y, double[] dy, double[] dx, int width, bool assign = false);

        void Backward(double[] x, double[] y, double[] dy, double[] dx, int width, bool assign = false);
    }

    private interface IBinaryLoops
    {
        bool IsValueVectorized { get; }

        bool IsDerivativeVectorized { get; }

        void Value(double[] a, int stepA, double[] b, int stepB, double[] y, int width);

        void Backward(double[] a, int stepA, double[] b, int stepB, double[] y, double[] dy, double[] da, double[] db, int width, bool assignA = false, bool assignB = false);
    }

    private sealed class UnaryLoops<TKernel> : IUnaryLoops
        where TKernel : struct, IUnaryKernel
    {
        public bool IsValueVectorized => TKernel.IsValueVectorized;

        public bool IsDerivativeVectorized => TKernel.IsDerivativeVectorized;

        public bool SavesPartial => TKernel.SavesPartial;

        public void Value(double[] x, double[] y, int width) => ElementwiseLoops.UnaryValue<TKernel>(x, y, width);

        public void ValueAndPartial(double[] x, double[] y, double[] partial, int width) =>
            ElementwiseLoops.UnaryValueAndPartial<TKernel>(x, y, partial, width);

        public void BackwardFromPartials(double[] partials, double[] y, double[] dy, double[] dx, int width, bool assign = false) =>
            ElementwiseLoops.UnaryBackward<SavedPartialKernel<AsKept>>(partials, y, dy, dx, width, assign);

        public void Backward(double[] x, double[] y, double[] dy, double[] dx, int width, bool assign = false) =>
            ElementwiseLoops.UnaryBackward<TKernel>(x, y, dy, dx, width, assign);
    }

    private sealed class BinaryLoops<TKernel> : IBinaryLoops
        where TKernel : struct, IBinaryKernel
    {
        public bool IsValueVectorized => TKernel.IsValueVectorized;

        public bool IsDerivativeVectorized => TKernel.IsDerivativeVectorized;

        public void Value(double[] a, int stepA, double[] b, int stepB, double[] y, int width) =>
            ElementwiseLoops.BinaryValue<TKernel>(a, stepA, b, stepB, y, width);

        public void Backward(double[] a, int stepA, double[] b, int stepB, double[] y, double[] dy, double[] da, double[] db, int width, bool assignA = false, bool assignB = false) =>
            ElementwiseLoops.BinaryBackward<TKernel>(a, stepA, b, stepB, y, dy, da, db, width, assignA, assignB);
    }
}
