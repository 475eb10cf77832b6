using System;
using static AutoDiff.Ops;

namespace AutoDiff.Likelihoods;

/// <summary>
/// The Gaussian with unknown mean μ and standard deviation σ (lecture notes, eq. 6–10): the log-likelihood as a plain
/// expression, and its closed forms as oracles.
/// </summary>
public static class GaussianLikelihood
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2.0 * Math.PI);

    /// <summary>
    /// LL(μ, σ) = Σₙ [−log σ − ½ log 2π − (yₙ − μ)² / (2σ²)] (eq. 6), written term by term so that AD derives the gradient.
    /// </summary>
    /// <param name="mu">μ.</param>
    /// <param name="sigma">σ (NaN for σ &lt; 0, as log σ is).</param>
    /// <param name="y">The observations.</param>
    public static Var LogLikelihood(Var mu, Var sigma, ReadOnlySpan<double> y)
    {
        Var sum = 0.0;
        foreach (double yn in y)
        {
            sum += -Log(sigma) - HalfLogTwoPi - Square(yn - mu) / (2.0 * Square(sigma));
        }

        return sum;
    }

    /// <summary>The same log-likelihood in closed form (eq. 7): −N log σ − (N/2) log 2π − Σ(yₙ − μ)² / (2σ²).</summary>
    public static double LogLikelihood(double mu, double sigma, ReadOnlySpan<double> y)
    {
        double ss = SumOfSquares(y, mu);
        return -y.Length * Math.Log(sigma) - y.Length * HalfLogTwoPi - ss / (2.0 * sigma * sigma);
    }

    /// <summary>The closed-form gradient: ∂LL/∂μ = Σ(yₙ − μ)/σ² (eq. 8), ∂LL/∂σ = −N/σ + Σ(yₙ − μ)²/σ³.</summary>
    public static (double DMu, double DSigma) Gradient(double mu, double sigma, ReadOnlySpan<double> y)
    {
        double sum = 0.0, ss = 0.0;
        foreach (double yn in y)
        {
            double r = yn - mu;
            sum += r;
            ss += r * r;
        }

        return (sum / (sigma * sigma), -y.Length / sigma + ss / (sigma * sigma * sigma));
    }

    /// <summary>The maximum-likelihood estimates: μ̂ = (1/N)Σyₙ (eq. 10) and σ̂ = √((1/N)Σ(yₙ − μ̂)²).</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is empty.</exception>
    public static (double Mu, double Sigma) Mle(ReadOnlySpan<double> y)
    {
        if (y.IsEmpty)
        {
            throw new ArgumentException("GaussianLikelihood.Mle: no observations; the estimates need at least one.", nameof(y));
        }

        double mean = 0.0;
        foreach (double yn in y)
        {
            mean += yn;
        }

        mean /= y.Length;
        return (mean, Math.Sqrt(SumOfSquares(y, mean) / y.Length));
    }

    private static double SumOfSquares(ReadOnlySpan<double> y, double mu)
    {
        double ss = 0.0;
        foreach (double yn in y)
        {
            ss += (yn - mu) * (yn - mu);
        }

        return ss;
    }
}
