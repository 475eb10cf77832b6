using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

public class BroadcastPropertyTests
{
    // A random output shape of rank 0–3 (extents 1–3), and two operand shapes that broadcast to it: each drops some
    // leading dimensions and sets some extents to 1.
    private static Gen<(int[] A, int[] B, int Op, int Seed)> Cases() =>
        from rank in Gen.Choose(0, 3)
        from extents in Gen.ArrayOf(Gen.Choose(1, 3), rank)
        from dropA in Gen.Choose(0, rank)
        from dropB in Gen.Choose(0, rank)
        from onesA in Gen.ArrayOf(Gen.Elements(true, false), rank)
        from onesB in Gen.ArrayOf(Gen.Elements(true, false), rank)
        from op in Gen.Choose(0, 6)
        from seed in Gen.Choose(0, 10_000)
        select (Operand(extents, dropA, onesA), Operand(extents, dropB, onesB), op, seed);

    private static int[] Operand(int[] extents, int drop, bool[] ones) =>
        extents.Select((e, i) => ones[i] ? 1 : e).Skip(drop).ToArray();

    private static readonly Func<Tensor, Tensor, Tensor>[] Ops =
    [
        (a, b) => a + b,
        (a, b) => a - b,
        (a, b) => a * b,
        (a, b) => a / (Square(b) + 1.0),
        (a, b) => Pow(Square(a) + 0.5, b),
        (a, b) => Max(a, b),
        (a, b) => Min(a, b),
    ];

    [Fact]
    public void Every_binary_op_with_broadcasting_has_the_gradient_of_finite_differences()
    {
        Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var random = new Random(c.Seed);
            int sizeA = c.A.Aggregate(1, (x, y) => x * y), sizeB = c.B.Aggregate(1, (x, y) => x * y);
            // a on the grid 0.05·k, b on the grid shifted by 0.025: no a equals any b to within 0.025, far beyond the
            // finite-difference step, so Max and Min are never probed across their kink.
            var point = Enumerable.Range(0, sizeA + sizeB)
                .Select(i => 0.05 * random.Next(-20, 21) + (i < sizeA ? 0.0 : 0.025)).ToArray();
            var outputShape = TensorShapeOf(c.A, c.B);
            var weights = Enumerable.Range(0, outputShape.Aggregate(1, (x, y) => x * y)).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var w = Tensor.FromArray(weights, outputShape);

            Var F(Var[] v) =>
                Sum(Ops[c.Op](VarTensors.FromVars(v[..sizeA], c.A), VarTensors.FromVars(v[sizeA..], c.B)) * w);

            var report = GradCheck.Compare(F, point);
            return report.Passes(1e-6, 1e-8);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(150));
    }

    private static int[] TensorShapeOf(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        return Enumerable.Range(0, rank).Select(i =>
        {
            int ea = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int eb = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            return Math.Max(ea, eb);
        }).ToArray();
    }
}
