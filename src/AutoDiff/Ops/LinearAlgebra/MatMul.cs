using System;
using AutoDiff.Kernels;

namespace AutoDiff;

public static partial class Ops
{
    private static readonly TensorBackward MatMulBackward = (Tape tape, in TensorRecord record) =>
    {
        var a = record.A!;
        var b = record.B!;
        var c = record.Output;
        var adjoints = tape.Adjoints;
        var dc = adjoints.Slice(c.Node, c.Size);
        var av = a.Data.AsSpan(0, a.Size);
        var bv = b.Data.AsSpan(0, b.Size);
        int[] sa = a.ShapeUnsafe, sb = b.ShapeUnsafe;
        switch (sa.Length, sb.Length)
        {
            case (2, 2):
            {
                int m = sa[0], k = sa[1], n = sb[1];
                if (!a.IsConstant)
                {
                    Gemm.Multiply(dc, bv, adjoints.Slice(a.Node, a.Size), m, k, n, transposeB: true, accumulate: true); // ∂A += ∂C·Bᵀ
                }

                if (!b.IsConstant)
                {
                    Gemm.Multiply(av, dc, adjoints.Slice(b.Node, b.Size), k, n, m, transposeA: true, accumulate: true); // ∂B += Aᵀ·∂C
                }

                break;
            }

            case (2, 1):
            {
                int m = sa[0], k = sa[1];
                if (!a.IsConstant)
                {
                    Outer(dc, bv, adjoints.Slice(a.Node, a.Size)); // ∂A += ∂y ⊗ x
                }

                if (!b.IsConstant)
                {
                    Gemv.Multiply(av, dc, adjoints.Slice(b.Node, b.Size), m, k, transposeA: true, accumulate: true); // ∂x += Aᵀ·∂y
                }

                break;
            }

            default: // (1, 2)
            {
                int k = sb[0], n = sb[1];
                if (!a.IsConstant)
                {
                    Gemv.Multiply(bv, dc, adjoints.Slice(a.Node, a.Size), k, n, accumulate: true); // ∂x += B·∂y
                }

                if (!b.IsConstant)
                {
                    Outer(av, dc, adjoints.Slice(b.Node, b.Size)); // ∂B += x ⊗ ∂y
                }

                break;
            }
        }
    };

    /// <summary>
    /// The matrix product: C = A·B for matrices (m×k · k×n → m×n), y = A·x for a matrix and a vector (m×k · k → m),
    /// y = xᵀ·B for a vector and a matrix (k · k×n → n). Backward: ∂A = ∂C·Bᵀ, ∂B = Aᵀ·∂C (and the vector forms).
    /// </summary>
    /// <remarks>Runs on the packed, cache-blocked GEMM kernel (matrix–vector products on the streaming GEMV kernel).</remarks>
    /// <exception cref="ArgumentException">The inner dimensions differ, or an operand is not a vector or matrix.</exception>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int[] sa = a.ShapeUnsafe, sb = b.ShapeUnsafe;
        bool supported = (sa.Length, sb.Length) is (2, 2) or (2, 1) or (1, 2);
        int inner = sa.Length == 0 ? -1 : sa[^1];
        int innerB = sb.Length == 0 ? -1 : sb[0];
        if (!supported || inner != innerB)
        {
            throw new ArgumentException(supported
                ? $"MatMul: the inner dimensions of shapes {TensorShape.Format(sa)} and {TensorShape.Format(sb)} differ ({inner} vs {innerB})."
                : $"MatMul: shapes {TensorShape.Format(sa)} and {TensorShape.Format(sb)} are not matrix × matrix, matrix × vector or vector × matrix.");
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
        var c = recordA | recordB ? tape.NewTensor(shape, size) : Tensor.Constant(new double[size], shape);
        var cv = c.Data.AsSpan(0, size);
        switch (sa.Length, sb.Length)
        {
            case (2, 2):
                Gemm.Multiply(av, bv, cv, sa[0], sb[1], sa[1]);
                break;
            case (2, 1):
                Gemv.Multiply(av, bv, cv, sa[0], sa[1]);
                break;
            default:
                Gemv.Multiply(bv, av, cv, sb[0], sb[1], transposeA: true);
                break;
        }

        if (recordA | recordB)
        {
            tape.Record(new TensorRecord(MatMulBackward, tape.EdgeCount, c, a, b));
        }

        return c;
    }

    // M += u ⊗ v, M row-major |u|×|v|.
    private static void Outer(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> m)
    {
        for (int i = 0; i < u.Length; i++)
        {
            double ui = u[i];
            if (ui == 0.0)
            {
                continue;
            }

            var row = m.Slice(i * v.Length, v.Length);
            for (int j = 0; j < row.Length; j++)
            {
                row[j] += ui * v[j];
            }
        }
    }
}
