using System;

namespace AutoDiff.Numerics;

/// <summary>
/// The eigen-decomposition A = V diag(λ) Vᵀ of a small symmetric matrix by the cyclic Jacobi method: each rotation
/// zeroes one off-diagonal pair; sweeps repeat until the off-diagonal part is negligible.
/// </summary>
/// <remarks>
/// Jacobi is slower than tridiagonal QR (about 10n³ flops per sweep, 6–10 sweeps) but simple and accurate: small
/// eigenvalues of a well-scaled matrix come out with small relative error, which is what deciding "is this information
/// matrix singular?" needs. Meant for the few-dozen parameters of a likelihood, not for large matrices.
/// </remarks>
internal static class SymmetricEigen
{
    private const int MaxSweeps = 100;

    /// <summary>Decomposes the symmetric matrix <paramref name="a"/> (read, not modified).</summary>
    /// <returns>
    /// The eigenvalues in ascending order, and the eigenvectors as the columns of an n×n matrix in the same order.
    /// </returns>
    /// <exception cref="ArgumentException">The matrix is not square, not symmetric to rounding, or has non-finite entries.</exception>
    public static (double[] Values, double[,] Vectors) Decompose(double[,] a)
    {
        int n = a.GetLength(0);
        if (a.GetLength(1) != n)
        {
            throw new ArgumentException($"The matrix is {n}×{a.GetLength(1)}; an eigen-decomposition needs a square one.", nameof(a));
        }

        var m = (double[,])a.Clone();
        double norm = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (!double.IsFinite(m[i, j]))
                {
                    throw new ArgumentException($"Entry ({i}, {j}) of the matrix is {m[i, j]}; eigenvalues need finite entries.", nameof(a));
                }

                norm = Math.Max(norm, Math.Abs(m[i, j]));
            }
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (Math.Abs(m[i, j] - m[j, i]) > 1e-10 * norm)
                {
                    throw new ArgumentException($"The matrix is not symmetric: entry ({i}, {j}) is {m[i, j]} but ({j}, {i}) is {m[j, i]}.", nameof(a));
                }

                // Symmetrise exactly, so that rounding differences between the triangles do not bias the rotations.
                m[i, j] = m[j, i] = 0.5 * (m[i, j] + m[j, i]);
            }
        }

        var v = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            v[i, i] = 1;
        }

        for (int sweep = 0; sweep < MaxSweeps && OffDiagonal(m) > 0; sweep++)
        {
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    Rotate(m, v, p, q);
                }
            }
        }

        var values = new double[n];
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = m[i, i];
            order[i] = i;
        }

        Array.Sort((double[])values.Clone(), order);
        var sortedValues = new double[n];
        var vectors = new double[n, n];
        for (int k = 0; k < n; k++)
        {
            sortedValues[k] = values[order[k]];
            for (int i = 0; i < n; i++)
            {
                vectors[i, k] = v[i, order[k]];
            }
        }

        return (sortedValues, vectors);
    }

    /// <summary>Zeroes m[p, q] (and m[q, p]) by a rotation in the (p, q) plane, accumulated into v.</summary>
    private static void Rotate(double[,] m, double[,] v, int p, int q)
    {
        double apq = m[p, q];
        // Below the rounding of both diagonal entries the element changes nothing: set it to 0 (Rutishauser's test).
        if (Math.Abs(apq) <= 1e-18 * Math.Max(Math.Abs(m[p, p]), Math.Abs(m[q, q])) || apq == 0)
        {
            m[p, q] = m[q, p] = 0;
            return;
        }

        // tan of the rotation angle as the smaller root of t² + 2θt − 1 = 0, θ = (a_qq − a_pp)/(2a_pq): stable.
        double theta = (m[q, q] - m[p, p]) / (2 * apq);
        double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
        if (theta == 0)
        {
            t = 1;
        }

        double c = 1 / Math.Sqrt(t * t + 1);
        double s = t * c;
        int n = m.GetLength(0);
        for (int k = 0; k < n; k++)
        {
            double mkp = m[k, p], mkq = m[k, q];
            m[k, p] = c * mkp - s * mkq;
            m[k, q] = s * mkp + c * mkq;
        }

        for (int k = 0; k < n; k++)
        {
            double mpk = m[p, k], mqk = m[q, k];
            m[p, k] = c * mpk - s * mqk;
            m[q, k] = s * mpk + c * mqk;
        }

        m[p, q] = m[q, p] = 0;
        for (int k = 0; k < n; k++)
        {
            double vkp = v[k, p], vkq = v[k, q];
            v[k, p] = c * vkp - s * vkq;
            v[k, q] = s * vkp + c * vkq;
        }
    }

    private static double OffDiagonal(double[,] m)
    {
        double sum = 0;
        int n = m.GetLength(0);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (i != j)
                {
                    sum += m[i, j] * m[i, j];
                }
            }
        }

        return sum;
    }
}
