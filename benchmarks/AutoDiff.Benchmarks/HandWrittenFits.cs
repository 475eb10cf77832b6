using System;
using AutoDiff.Numerics;

namespace AutoDiff.Benchmarks;

/// <summary>
/// The floor for <see cref="MleFitBenchmark"/>: the two fits as one would write them by hand from the notes, with the same
/// outputs as <c>Mle.Fit</c> (estimates, standard errors from the inverse information, the log-likelihood).
/// </summary>
public static class HandWrittenFits
{
    /// <summary>
    /// Logistic regression by Newton's method (IRLS): g = Xᵀ(y − p), I = Xᵀdiag(p(1 − p))X, θ ← θ + I⁻¹g until
    /// max |g| &lt; 1e-9·max(1, |LL|); standard errors √diag(I⁻¹) at the end.
    /// </summary>
    /// <returns>θ̂, the standard errors and LL(θ̂).</returns>
    public static (double[] Theta, double[] StandardErrors, double LogLikelihood) Logistic(double[][] x, double[] y)
    {
        int n = y.Length, d = x[0].Length;
        var theta = new double[d];
        var gradient = new double[d];
        var information = new double[d, d];
        double ll = 0.0;
        for (int iteration = 0; iteration < 100; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(information);
            ll = 0.0;
            for (int i = 0; i < n; i++)
            {
                double z = 0.0;
                for (int j = 0; j < d; j++)
                {
                    z += x[i][j] * theta[j];
                }

                double p = 1.0 / (1.0 + Math.Exp(-z));
                ll += y[i] * LogSigmoid(z) + (1 - y[i]) * LogSigmoid(-z);
                double w = p * (1 - p), r = y[i] - p;
                for (int j = 0; j < d; j++)
                {
                    gradient[j] += r * x[i][j];
                    for (int k = 0; k <= j; k++)
                    {
                        information[j, k] += w * x[i][j] * x[i][k];
                    }
                }
            }

            Mirror(information);
            double largest = 0.0;
            foreach (double g in gradient)
            {
                largest = Math.Max(largest, Math.Abs(g));
            }

            if (largest < 1e-9 * Math.Max(1.0, Math.Abs(ll)))
            {
                break;
            }

            var step = Solve(information, gradient);
            for (int j = 0; j < d; j++)
            {
                theta[j] += step[j];
            }
        }

        return (theta, StandardErrors(information), ll);
    }

    /// <summary>
    /// Linear regression with Gaussian noise: w = (XᵀX)⁻¹Xᵀy, σ̂² = RSS/N, standard errors √(σ̂²·diag((XᵀX)⁻¹)) (statsmodels'
    /// <c>se_mle</c>), LL = −(N/2)(log 2πσ̂² + 1).
    /// </summary>
    /// <returns>ŵ, their standard errors, σ̂ and LL(ŵ, σ̂).</returns>
    public static (double[] W, double[] StandardErrors, double Sigma, double LogLikelihood) LinearRegression(double[][] x, double[] y)
    {
        int n = y.Length, d = x[0].Length;
        var gram = new double[d, d];
        var moment = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                moment[j] += x[i][j] * y[i];
                for (int k = 0; k <= j; k++)
                {
                    gram[j, k] += x[i][j] * x[i][k];
                }
            }
        }

        Mirror(gram);
        var w = Solve(gram, moment);
        double rss = 0.0;
        for (int i = 0; i < n; i++)
        {
            double r = y[i];
            for (int j = 0; j < d; j++)
            {
                r -= x[i][j] * w[j];
            }

            rss += r * r;
        }

        double sigma2 = rss / n;
        var se = StandardErrors(gram);
        for (int j = 0; j < d; j++)
        {
            se[j] *= Math.Sqrt(sigma2);
        }

        return (w, se, Math.Sqrt(sigma2), -0.5 * n * (Math.Log(2 * Math.PI * sigma2) + 1));
    }

    private static double LogSigmoid(double z) => z >= 0 ? -Math.Log(1 + Math.Exp(-z)) : z - Math.Log(1 + Math.Exp(z));

    private static void Mirror(double[,] a)
    {
        for (int j = 0; j < a.GetLength(0); j++)
        {
            for (int k = 0; k < j; k++)
            {
                a[k, j] = a[j, k];
            }
        }
    }

    // √diag(A⁻¹), column by column through the Cholesky factor.
    private static double[] StandardErrors(double[,] a)
    {
        int d = a.GetLength(0);
        var se = new double[d];
        var unit = new double[d];
        for (int j = 0; j < d; j++)
        {
            unit[j] = 1.0;
            se[j] = Math.Sqrt(Solve(a, unit)[j]);
            unit[j] = 0.0;
        }

        return se;
    }

    // A x = b for symmetric positive definite A, by the library's Cholesky (plain numerics, no AD), on a copy of A.
    private static double[] Solve(double[,] a, double[] b) =>
        DenseMatrix.TrySolveSymmetricPositiveDefinite((double[,])a.Clone(), b, out int pivot)
        ?? throw new InvalidOperationException($"The information matrix is not positive definite (pivot {pivot}).");
}
