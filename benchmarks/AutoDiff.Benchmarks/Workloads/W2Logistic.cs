using System;
using AutoDiff.Likelihoods;
using static AutoDiff.Ops;

namespace AutoDiff.Benchmarks.Workloads;

/// <summary>
/// W2 of WORKLOADS.md: the logistic log-likelihood with xᵢⱼ = sin(0.1·(i·d + j + 1)), wⱼ = 0.5·((j mod 3) − 1),
/// yᵢ = 1 if Σⱼ xᵢⱼwⱼ &gt; 0 else 0, at θⱼ = 0.01·j (no intercept column).
/// </summary>
public sealed class W2Logistic
{
    /// <summary>Creates the data for <paramref name="n"/> observations of <paramref name="d"/> features.</summary>
    public W2Logistic(int n, int d)
    {
        X = new double[n][];
        Y = new double[n];
        Theta = new double[d];
        for (int j = 0; j < d; j++)
        {
            Theta[j] = 0.01 * j;
        }

        for (int i = 0; i < n; i++)
        {
            X[i] = new double[d];
            double signal = 0.0;
            for (int j = 0; j < d; j++)
            {
                X[i][j] = Math.Sin(0.1 * (i * d + j + 1));
                signal += X[i][j] * 0.5 * ((j % 3) - 1);
            }

            Y[i] = signal > 0.0 ? 1.0 : 0.0;
        }

        LogLikelihood = theta => LogisticRegressionLikelihood.LogLikelihood(theta, X, Y);
    }

    /// <summary>The rows xᵢ.</summary>
    public double[][] X { get; }

    /// <summary>The labels yᵢ.</summary>
    public double[] Y { get; }

    /// <summary>The point θⱼ = 0.01·j.</summary>
    public double[] Theta { get; }

    /// <summary>LL(θ) over <see cref="Var"/>s, as a user writes it: <see cref="LogisticRegressionLikelihood.LogLikelihood"/>.</summary>
    public Func<Var[], Var> LogLikelihood { get; }

    /// <summary>The same expression over plain doubles: the cost of the function itself, without AD.</summary>
    public double PlainLogLikelihood(double[] theta)
    {
        double sum = 0.0;
        for (int i = 0; i < Y.Length; i++)
        {
            double z = 0.0;
            var row = X[i];
            for (int j = 0; j < row.Length; j++)
            {
                z += theta[j] * row[j];
            }

            sum += Y[i] * LogSigmoid(z) + (1.0 - Y[i]) * LogSigmoid(-z);
        }

        return sum;
    }
}
