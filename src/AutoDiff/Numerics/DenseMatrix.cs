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
    /// <returns>
    /// The solution, or <see langword="null"/> when A is not numerically positive definite; <paramref name="failedPivot"/>
    /// is then the first pivot j whose remainder after elimination is at most n·ε·A[j, j] (for a Gram matrix XᵀX: column j
    /// of X is, to rounding, a combination of the columns before it).
    /// </returns>
    public static double[]? TrySolveSymmetricPositiveDefinite(double[,] a, ReadOnlySpan<double> b, out int failedPivot)
    {
        int n = b.Length;
        if (a.GetLength(0) != n || a.GetLength(1) != n)
        {
            throw new ArgumentException($"A is {a.GetLength(0)}×{a.GetLength(1)} but b has length {n}.", nameof(a));
        }

        failedPivot = -1;
        for (int j = 0; j < n; j++)
        {
            double original = a[j, j];
            double diagonal = original;
            for (int k = 0; k < j; k++)
            {
                diagonal -= a[j, k] * a[j, k];
            }

            // Exact collinearity leaves a pivot of rounding noise, not 0: compare with the rounding of the original entry.
            if (!(diagonal > n * DoublePrecision.Epsilon * original))
            {
                failedPivot = j;
                return null;
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
