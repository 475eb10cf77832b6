using System;

namespace AutoDiff.Numerics;

/// <summary>The few dense linear-algebra kernels the closed forms need.</summary>
internal static class DenseMatrix
{
    /// <summary>xᵀy.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>
    /// Solves A x = b for symmetric positive definite A by Cholesky factorisation A = LLᵀ. Only the lower triangle of
    /// <paramref name="a"/> is read; it is overwritten by L.
    /// </summary>
    /// <exception cref="ArgumentException">A is not positive definite (for a Gram matrix XᵀX: X has collinear columns).</exception>
    public static double[] SolveSymmetricPositiveDefinite(double[,] a, ReadOnlySpan<double> b)
    {
        int n = b.Length;
        if (a.GetLength(0) != n || a.GetLength(1) != n)
        {
            throw new ArgumentException($"SolveSymmetricPositiveDefinite: A is {a.GetLength(0)}×{a.GetLength(1)} but b has length {n}.", nameof(a));
        }

        for (int j = 0; j < n; j++)
        {
            double diagonal = a[j, j];
            for (int k = 0; k < j; k++)
            {
                diagonal -= a[j, k] * a[j, k];
            }

            if (!(diagonal > 0.0))
            {
                throw new ArgumentException(
                    $"SolveSymmetricPositiveDefinite: the matrix is not positive definite (pivot {j} is {diagonal}); for normal equations, column {j} depends linearly on the columns before it.",
                    nameof(a));
            }

            a[j, j] = Math.Sqrt(diagonal);
            for (int i = j + 1; i < n; i++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++)
                {
                    sum -= a[i, k] * a[j, k];
                }

                a[i, j] = sum / a[j, j];
            }
        }

        var x = b.ToArray();
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < i; k++)
            {
                x[i] -= a[i, k] * x[k];
            }

            x[i] /= a[i, i];
        }

        for (int i = n - 1; i >= 0; i--)
        {
            for (int k = i + 1; k < n; k++)
            {
                x[i] -= a[k, i] * x[k];
            }

            x[i] /= a[i, i];
        }

        return x;
    }
}
