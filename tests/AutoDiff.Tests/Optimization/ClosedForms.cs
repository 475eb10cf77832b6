using System;
using AutoDiff.Likelihoods;
using AutoDiff.Optimization;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Optimization;

/// <summary>
/// Objectives with closed-form gradients and Hessians, as optimizer delegates: a quadratic, Rosenbrock's function, and
/// the lecture notes' three log-likelihoods (their Hessians written out from the notes' gradients).
/// </summary>
internal static class ClosedForms
{
    /// <summary>f(x) = −½(x − c)ᵀA(x − c), A symmetric positive definite: maximum at c, Hessian −A.</summary>
    public static (ObjectiveFunction F, HessianFunction H) Quadratic(double[,] a, double[] c) =>
        ((x, g) =>
        {
            double value = 0;
            for (int i = 0; i < c.Length; i++)
            {
                g[i] = 0;
                for (int j = 0; j < c.Length; j++)
                {
                    g[i] -= a[i, j] * (x[j] - c[j]);
                }

                value += 0.5 * (x[i] - c[i]) * g[i];
            }

            return value;
        },
        (x, h) =>
        {
            for (int i = 0; i < c.Length; i++)
            {
                for (int j = 0; j < c.Length; j++)
                {
                    h[i, j] = -a[i, j];
                }
            }
        });

    /// <summary>−Rosenbrock, −(1 − x)² − 100(y − x²)²: maximum 0 at (1, 1) at the end of a curved valley.</summary>
    public static (ObjectiveFunction F, HessianFunction H) NegativeRosenbrock() =>
        ((p, g) =>
        {
            double x = p[0], y = p[1];
            g[0] = 2 * (1 - x) + 400 * x * (y - x * x);
            g[1] = -200 * (y - x * x);
            return -(1 - x) * (1 - x) - 100 * (y - x * x) * (y - x * x);
        },
        (p, h) =>
        {
            double x = p[0], y = p[1];
            h[0, 0] = -2 + 400 * y - 1200 * x * x;
            h[0, 1] = h[1, 0] = 400 * x;
            h[1, 1] = -200;
        });

    /// <summary>
    /// −x⁴/4 + x²/2 − y²: a saddle at the origin (∇f = 0, ∂²f/∂x² = 1) and maxima 1/4 at (±1, 0), where ∇²f = diag(−2, −2).
    /// </summary>
    public static (ObjectiveFunction F, HessianFunction H) QuarticSaddle() =>
        ((p, g) =>
        {
            double x = p[0], y = p[1];
            g[0] = -x * x * x + x;
            g[1] = -2 * y;
            return -x * x * x * x / 4 + x * x / 2 - y * y;
        },
        (p, h) =>
        {
            h[0, 0] = -3 * p[0] * p[0] + 1;
            h[0, 1] = h[1, 0] = 0;
            h[1, 1] = -2;
        });

    /// <summary>The Gaussian LL(μ, σ) (eq. 7) with its gradient and Hessian; NaN for σ &lt; 0, as log σ is.</summary>
    public static (ObjectiveFunction F, HessianFunction H) Gaussian(double[] y) =>
        ((p, g) =>
        {
            var (dMu, dSigma) = GaussianLikelihood.Gradient(p[0], p[1], y);
            g[0] = dMu;
            g[1] = dSigma;
            return GaussianLikelihood.LogLikelihood(p[0], p[1], y);
        },
        (p, h) =>
        {
            double mu = p[0], sigma = p[1], sum = 0, ss = 0;
            foreach (double yn in y)
            {
                sum += yn - mu;
                ss += (yn - mu) * (yn - mu);
            }

            h[0, 0] = -y.Length / (sigma * sigma);
            h[0, 1] = h[1, 0] = -2 * sum / Math.Pow(sigma, 3);
            h[1, 1] = y.Length / (sigma * sigma) - 3 * ss / Math.Pow(sigma, 4);
        });

    /// <summary>
    /// Linear regression LL(w, σ) = −(N/2) log(2πσ²) − RSS/(2σ²), parameters (w₀ … w_{d−1}, σ), with the Hessian
    /// ∂²/∂w² = −XᵀX/σ², ∂²/∂w∂σ = −2Xᵀr/σ³, ∂²/∂σ² = N/σ² − 3 RSS/σ⁴.
    /// </summary>
    public static (ObjectiveFunction F, HessianFunction H) LinearRegression(double[][] x, double[] y)
    {
        int d = x[0].Length;
        double Rss(ReadOnlySpan<double> p, Span<double> xtr)
        {
            double rss = 0;
            xtr.Clear();
            for (int n = 0; n < y.Length; n++)
            {
                double r = y[n] - Numerics.DenseMatrix.Dot(x[n], p[..d]);
                rss += r * r;
                for (int j = 0; j < d; j++)
                {
                    xtr[j] += x[n][j] * r;
                }
            }

            return rss;
        }

        return ((p, g) =>
        {
            double sigma = p[d];
            double rss = Rss(p, g[..d]);
            for (int j = 0; j < d; j++)
            {
                g[j] /= sigma * sigma;
            }

            g[d] = -y.Length / sigma + rss / Math.Pow(sigma, 3);
            return -0.5 * y.Length * Math.Log(2 * Math.PI * sigma * sigma) - rss / (2 * sigma * sigma);
        },
        (p, h) =>
        {
            double sigma = p[d];
            var xtr = new double[d];
            double rss = Rss(p, xtr);
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    double gram = 0;
                    foreach (var row in x)
                    {
                        gram += row[i] * row[j];
                    }

                    h[i, j] = -gram / (sigma * sigma);
                }

                h[i, d] = h[d, i] = -2 * xtr[i] / Math.Pow(sigma, 3);
            }

            h[d, d] = y.Length / (sigma * sigma) - 3 * rss / Math.Pow(sigma, 4);
        });
    }

    /// <summary>The notes' logistic LL(θ) with gradient Xᵀ(y − p) and Hessian −Xᵀdiag(p(1 − p))X, p = σ(Xθ).</summary>
    public static (ObjectiveFunction F, HessianFunction H) Logistic(double[][] x, double[] y) =>
        ((theta, g) =>
        {
            double value = 0;
            g.Clear();
            for (int i = 0; i < y.Length; i++)
            {
                double z = Numerics.DenseMatrix.Dot(x[i], theta);
                value += y[i] * LogSigmoid(z) + (1 - y[i]) * LogSigmoid(-z);
                double r = y[i] - Sigmoid(z);
                for (int j = 0; j < g.Length; j++)
                {
                    g[j] += r * x[i][j];
                }
            }

            return value;
        },
        (theta, h) =>
        {
            int d = theta.Length;
            Array.Clear(h);
            for (int i = 0; i < y.Length; i++)
            {
                double p = Sigmoid(Numerics.DenseMatrix.Dot(x[i], theta));
                double w = p * (1 - p);
                for (int a = 0; a < d; a++)
                {
                    for (int b = 0; b < d; b++)
                    {
                        h[a, b] -= w * x[i][a] * x[i][b];
                    }
                }
            }
        });
}
