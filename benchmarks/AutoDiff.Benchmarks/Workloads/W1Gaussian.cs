using System;
using AutoDiff.Likelihoods;
using static AutoDiff.Ops;

namespace AutoDiff.Benchmarks.Workloads;

/// <summary>
/// W1 of WORKLOADS.md: the Gaussian log-likelihood (notes, eq. 6–7), n observations yᵢ = 1.4 + sin(0.37·i), at μ = 1, σ = 1.5.
/// </summary>
public sealed class W1Gaussian
{
    /// <summary>The point of WORKLOADS.md: (μ, σ).</summary>
    public static readonly double[] Point = [1.0, 1.5];

    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2.0 * Math.PI);

    /// <summary>Creates the data for <paramref name="n"/> observations.</summary>
    public W1Gaussian(int n)
    {
        Y = new double[n];
        for (int i = 0; i < n; i++)
        {
            Y[i] = 1.4 + Math.Sin(0.37 * i);
        }

        LogLikelihood = p => GaussianLikelihood.LogLikelihood(p[0], p[1], Y);
    }

    /// <summary>yᵢ.</summary>
    public double[] Y { get; }

    /// <summary>LL(μ, σ) over <see cref="Var"/>s, as a user writes it: <see cref="GaussianLikelihood.LogLikelihood(Var, Var, ReadOnlySpan{double})"/>.</summary>
    public Func<Var[], Var> LogLikelihood { get; }

    /// <summary>The same expression over plain doubles: the cost of the function itself, without AD.</summary>
    public double PlainLogLikelihood(double mu, double sigma)
    {
        double sum = 0.0;
        foreach (double yn in Y)
        {
            sum += -Log(sigma) - HalfLogTwoPi - Square(yn - mu) / (2.0 * Square(sigma));
        }

        return sum;
    }
}
