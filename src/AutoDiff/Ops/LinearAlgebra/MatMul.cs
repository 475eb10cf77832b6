using System;
using AutoDiff.Kernels;

namespace AutoDiff;

public static partial class Ops
{
    private static readonly TensorBackward MatMulBackward = (Tape tape, in TensorRecord record) =>
    {
        var a = record.A!;
        var b = record.B!;
        var adjoints = tape.Adjoints;

        // A product writes every adjoint of its factors: one that nothing has added into yet in this sweep (a lazily
        // cleared region, an AD.Grad parameter) is assigned, C = A·B, rather than cleared and added into. A is asked first
        // and written first, so MatMul(x, x) assigns once and adds once.
        bool assignA = false, assignB = false;
        var da = a.IsConstant ? default : tape.AdjointsToWrite(a, out assignA);
        var db = b.IsConstant ? default : tape.AdjointsToWrite(b, out assignB);
        MatMulAdjoints(
            adjoints.Slice(record.Output.Node, record.Output.Size), a.ShapeUnsafe, b.ShapeUnsafe,
            b.Data.AsSpan(0, b.Size), da, !assignA, a.Data.AsSpan(0, a.Size), db, !assignB);
    };

    // ∂A (+)= ∂C·Bᵀ and ∂B (+)= Aᵀ·∂C for the three shape cases, each part skipped where its target is empty, added into
    // its target where addA/addB say so and written over it otherwise. The A and B read are parameters, so the
    // second-order correction can pass their tangents instead.
    private static void MatMulAdjoints(
        ReadOnlySpan<double> dc, int[] sa, int[] sb, ReadOnlySpan<double> bv, Span<double> da, bool addA, ReadOnlySpan<double> av, Span<double> db, bool addB)
    {
        switch (sa.Length, sb.Length)
        {
            case (2, 2):
            {
                int m = sa[0], k = sa[1], n = sb[1];
                if (!da.IsEmpty)
                {
                    Gemm.Multiply(dc, bv, da, m, k, n, transposeB: true, accumulate: addA); // ∂A += ∂C·Bᵀ
                }

                if (!db.IsEmpty)
                {
                    Gemm.Multiply(av, dc, db, k, n, m, transposeA: true, accumulate: addB); // ∂B += Aᵀ·∂C
                }

                break;
            }

            case (2, 1):
            {
                int m = sa[0], k = sa[1];
                if (!da.IsEmpty)
                {
                    Outer(dc, bv, da, addA); // ∂A += ∂y ⊗ x
                }

                if (!db.IsEmpty)
                {
                    Gemv.Multiply(av, dc, db, m, k, transposeA: true, accumulate: addB); // ∂x += Aᵀ·∂y
                }

                break;
            }

            default: // (1, 2)
            {
                int k = sb[0], n = sb[1];
                if (!da.IsEmpty)
                {
                    Gemv.Multiply(bv, dc, da, k, n, accumulate: addA); // ∂x += B·∂y
                }

                if (!db.IsEmpty)
                {
                    Outer(av, dc, db, addB); // ∂B += x ⊗ ∂y
                }

                break;
            }
        }
    }

    private static readonly TensorForward MatMulForward = (in TensorRecord record) =>
        MatMulValues(record.A!.Data.AsSpan(0, record.A.Size), record.A.ShapeUnsafe, record.B!.Data.AsSpan(0, record.B.Size), record.B.ShapeUnsafe,
            record.Output.Data.AsSpan(0, record.Output.Size), accumulate: false);

    // C = A·B (or C += A·B) for the three shape cases.
    private static void MatMulValues(ReadOnlySpan<double> av, int[] sa, ReadOnlySpan<double> bv, int[] sb, Span<double> cv, bool accumulate)
    {
        switch (sa.Length, sb.Length)
        {
            case (2, 2):
                Gemm.Multiply(av, bv, cv, sa[0], sb[1], sa[1], accumulate: accumulate);
                break;
            case (2, 1):
                Gemv.Multiply(av, bv, cv, sa[0], sa[1], accumulate: accumulate);
                break;
            default:
                Gemv.Multiply(bv, av, cv, sb[0], sb[1], transposeA: true, accumulate: accumulate);
                break;
        }
    }

    // C is bilinear in (A, B): Ċ = Ȧ·B + A·Ḃ, and the rule's own change is the rule with A, B replaced by Ȧ, Ḃ:
    // d(∂A)/dt ∋ ∂C·Ḃᵀ, d(∂B)/dt ∋ Ȧᵀ·∂C.
    private sealed class MatMulSecondOrder : LaneByLaneSecondOrder
    {
        public static readonly MatMulSecondOrder Instance = new();

        protected override void Jvp(Tape tape, in TensorRecord record, int lane)
        {
            var a = record.A!;
            var b = record.B!;
            var dc = tape.OutputTangent(record.Output, lane);
            dc.Clear(); // both terms accumulate; an output's tangent is not cleared when it is made
            if (!a.IsConstant)
            {
                MatMulValues(tape.TangentOf(a, lane), a.ShapeUnsafe, b.Data.AsSpan(0, b.Size), b.ShapeUnsafe, dc, accumulate: true);
            }

            if (!b.IsConstant)
            {
                MatMulValues(a.Data.AsSpan(0, a.Size), a.ShapeUnsafe, tape.TangentOf(b, lane), b.ShapeUnsafe, dc, accumulate: true);
            }
        }

        protected override void Correction(Tape tape, in TensorRecord record, int lane)
        {
            var a = record.A!;
            var b = record.B!;
            if (a.IsConstant || b.IsConstant)
            {
                return; // a constant factor does not move, so the rule of the other does not change
            }

            var tangents = tape.AdjointTangents(lane);
            MatMulAdjoints(
                tape.Adjoints.Slice(record.Output.Node, record.Output.Size), a.ShapeUnsafe, b.ShapeUnsafe,
                tape.TangentOf(b, lane), tangents.Slice(a.Node, a.Size), addA: true, tape.TangentOf(a, lane), tangents.Slice(b.Node, b.Size), addB: true);
        }
    }

    /// <summary>
    /// The matrix product: C = A·B for matrices (m×k · k×n → m×n), y = A·x for a matrix and a vector (m×k · k → m),
    /// y = xᵀ·B for a vector and a matrix (k · k×n → n), c = Σ aᵢbᵢ for two vectors (k · k → a rank-0 tensor, as NumPy's
    /// inner product). Backward: ∂A = ∂C·Bᵀ, ∂B = Aᵀ·∂C (and the vector forms).
    /// </summary>
    /// <remarks>Runs on the packed, cache-blocked GEMM kernel (matrix–vector products on the streaming GEMV kernel).</remarks>
    /// <exception cref="ArgumentException">The inner dimensions differ, or an operand is not a vector or matrix.</exception>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int[] sa = a.ShapeUnsafe, sb = b.ShapeUnsafe;
        bool supported = (sa.Length, sb.Length) is (2, 2) or (2, 1) or (1, 2) or (1, 1);
        int inner = sa.Length == 0 ? -1 : sa[^1];
        int innerB = sb.Length == 0 ? -1 : sb[0];
        if (!supported || inner != innerB)
        {
            throw new ArgumentException(supported
                ? $"MatMul: the inner dimensions of shapes {TensorShape.Format(sa)} and {TensorShape.Format(sb)} differ ({inner} vs {innerB})."
                : $"MatMul: shapes {TensorShape.Format(sa)} and {TensorShape.Format(sb)} are not matrix × matrix, matrix × vector, vector × matrix or vector × vector.");
        }

        // vector · vector: NumPy's inner product, a rank-0 result; composed, so its gradient (∂a = b·∂c, ∂b = a·∂c),
        // second order and compiled replay are those of the product and the sum.
        if (sa.Length == 1 && sb.Length == 1)
        {
            return Sum(a * b);
        }

        var av = a.ReadValues();
        var bv = b.ReadValues();
        int[] shape = (sa.Length, sb.Length) switch
        {
            (2, 2) => [sa[0], sb[1]],
            (2, 1) => [sa[0]],
            _ => [sb[1]],
        };
        int size = TensorShape.SizeOf(shape, nameof(MatMul));
        var tape = Tape.Current;
        bool recordA = tape.Records(a), recordB = tape.Records(b);
        var c = tape.NewOutput(recordA | recordB, shape, size);
        MatMulValues(av, sa, bv, sb, c.Data.AsSpan(0, size), accumulate: false);
        if (tape.IsCheckingFinite)
        {
            Tape.CheckFiniteResult(nameof(MatMul), c.Data.AsSpan(0, size), shape, [a, b]);
        }

        if (recordA | recordB)
        {
            tape.Record(new TensorRecord(nameof(MatMul), MatMulForward, MatMulBackward, tape.EdgeCount, c, a, b, null, MatMulSecondOrder.Instance));
        }

        return c;
    }

    // M += u ⊗ v, M row-major |u|×|v|. Every product is formed, 0·∞ included, as the matrix paths' GEMM forms them: a
    // vector operand and the same values as a k×1 or 1×k matrix give the same gradient (skipping rows where uᵢ = 0
    // gave 0 here where the matrix path gave NaN; helper-44).
    // m += u ⊗ v, or m = u ⊗ v when add is false.
    private static void Outer(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> m, bool add)
    {
        if (!add)
        {
            m.Clear();
        }

        for (int i = 0; i < u.Length; i++)
        {
            double ui = u[i];
            var row = m.Slice(i * v.Length, v.Length);
            for (int j = 0; j < row.Length; j++)
            {
                row[j] += ui * v[j];
            }
        }
    }
}
