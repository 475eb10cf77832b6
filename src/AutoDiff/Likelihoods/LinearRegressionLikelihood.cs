using System;
using AutoDiff.Numerics;
using static AutoDiff.Ops;

namespace AutoDiff.Likelihoods;

/// <summary>
/// Linear regression with Gaussian noise, yₙ = xₙᵀw + εₙ, εₙ ~ N(0, σ²) (lecture notes, eq. 11–25): the log-likelihood
/// in w and σ as a plain expression, and its closed forms as oracles.
/// </summary>
public static class LinearRegressionLikelihood
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2.0 * Math.PI);

    /// <summary>
    /// LL(w, σ) = Σₙ [−½ log(2πσ²) − (yₙ − xₙᵀw)² / (2σ²)], the log of eq. 14 (equal to eq. 17), written term by term
    /// with −½ log(2πσ²) as −log σ − ½ log 2π, as the Gaussian's: so σ &lt; 0 gives NaN there too (σ² would hide the sign
    /// and give a finite value, letting a fit without the Positive transform end at a negative σ̂).
    /// </summary>
    /// <param name="w">The weights, one per column of <paramref name="x"/>.</param>
    /// <param name="sigma">The noise standard deviation σ.</param>
    /// <param name="x">The design matrix, one row xₙ per observation.</param>
    /// <param name="y">The responses.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public static Var LogLikelihood(ReadOnlySpan<Var> w, Var sigma, double[][] x, ReadOnlySpan<double> y)
    {
        DesignShape.Check(nameof(LinearRegressionLikelihood), nameof(LogLikelihood), "w", w.Length, x, y.Length);
        Var sum = 0.0;
        for (int n = 0; n < y.Length; n++)
        {
            sum += -Log(sigma) - HalfLogTwoPi - Square(y[n] - Dot(w, x[n])) / (2.0 * Square(sigma));
        }

        return sum;
    }

    /// <summary>
    /// The closed-form gradient: ∂LL/∂w = Xᵀ(y − Xw)/σ², ∂LL/∂σ = −N/σ + RSS/σ³ with RSS = (Xw − y)ᵀ(Xw − y).
    /// </summary>
    public static (double[] DW, double DSigma) Gradient(ReadOnlySpan<double> w, double sigma, double[][] x, ReadOnlySpan<double> y)
    {
        DesignShape.Check(nameof(LinearRegressionLikelihood), nameof(Gradient), "w", w.Length, x, y.Length);
        var dw = new double[w.Length];
        double rss = 0.0;
        for (int n = 0; n < y.Length; n++)
        {
            double r = y[n] - DenseMatrix.Dot(x[n], w);
            rss += r * r;
            for (int j = 0; j < dw.Length; j++)
            {
                dw[j] += x[n][j] * r;
            }
        }

        for (int j = 0; j < dw.Length; j++)
        {
            dw[j] /= sigma * sigma;
        }

        return (dw, -y.Length / sigma + rss / (sigma * sigma * sigma));
    }

    /// <summary>
    /// The maximum-likelihood estimates: ŵ from the normal equations XᵀX ŵ = Xᵀy (eq. 19) and σ̂² = RSS/N (eq. 25).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not match, a value is NaN or infinite, or XᵀX is singular (collinear columns).</exception>
    public static (double[] W, double Sigma) Mle(double[][] x, ReadOnlySpan<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length == 0)
        {
            throw new ArgumentException("LinearRegressionLikelihood.Mle: no observations; the estimates need at least as many as columns.", nameof(x));
        }

        int d = x[0]?.Length ?? 0; // a null row is named by the shape check
        DesignShape.Check(nameof(LinearRegressionLikelihood), nameof(Mle), "w", d, x, y.Length);
        for (int n = 0; n < y.Length; n++)
        {
            // A NaN or ±∞ would reach the normal equations and be reported as collinear columns.
            int bad = FiniteValues.IndexOfNonFinite(x[n]);
            if (bad >= 0 || !double.IsFinite(y[n]))
            {
                throw new ArgumentException(
                    bad >= 0
                        ? $"LinearRegressionLikelihood.Mle: x[{n}][{bad}] is {x[n][bad].ToString(System.Globalization.CultureInfo.InvariantCulture)}; the data must be finite."
                        : $"LinearRegressionLikelihood.Mle: y[{n}] is {y[n].ToString(System.Globalization.CultureInfo.InvariantCulture)}; the data must be finite.",
                    nameof(x));
            }
        }

        var gram = new double[d, d];
        var xty = new double[d];
        for (int n = 0; n < y.Length; n++)
        {
            var row = x[n];
            for (int i = 0; i < d; i++)
            {
                xty[i] += row[i] * y[n];
                for (int j = 0; j <= i; j++)
                {
                    gram[i, j] += row[i] * row[j];
                }
            }
        }

        var w = DenseMatrix.TrySolveSymmetricPositiveDefinite(gram, xty, out int collinear)
            ?? throw new ArgumentException(
                $"LinearRegressionLikelihood.Mle: XᵀX is singular: column {collinear} of x is (to rounding) a linear combination of the columns before it, so w is not identified.",
                nameof(x));
        double rss = 0.0;
        for (int n = 0; n < y.Length; n++)
        {
            double r = y[n] - DenseMatrix.Dot(x[n], w);
            rss += r * r;
        }

        return (w, Math.Sqrt(rss / y.Length));
    }
}
