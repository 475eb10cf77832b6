using System;
using static AutoDiff.Ops;

namespace AutoDiff.Likelihoods;

/// <summary>
/// Logistic regression, P(Y = 1 | x) = σ(θᵀx) (lecture notes, "Logistic Regression"): the log-likelihood as a plain
/// expression, and the closed-form gradient as oracle.
/// </summary>
public static class LogisticRegressionLikelihood
{
    /// <summary>
    /// LL(θ) = Σᵢ yᵢ log σ(θᵀxᵢ) + (1 − yᵢ) log(1 − σ(θᵀxᵢ)), written with log σ(z) = LogSigmoid(z) and
    /// log(1 − σ(z)) = LogSigmoid(−z), which stay exact where σ rounds to 0 or 1.
    /// </summary>
    /// <param name="theta">θ, one weight per column of <paramref name="x"/> (include a column of ones for θ₀).</param>
    /// <param name="x">The features, one row xᵢ per observation.</param>
    /// <param name="y">The labels, 0 or 1.</param>
    /// <exception cref="ArgumentException">The shapes do not match, or a label is outside [0, 1] or NaN.</exception>
    public static Var LogLikelihood(ReadOnlySpan<Var> theta, double[][] x, ReadOnlySpan<double> y)
    {
        DesignShape.Check(nameof(LogisticRegressionLikelihood), nameof(LogLikelihood), "θ", theta.Length, x, y.Length);
        DesignShape.CheckLabels(nameof(LogisticRegressionLikelihood), nameof(LogLikelihood), y);
        Var sum = 0.0;
        for (int i = 0; i < y.Length; i++)
        {
            var z = Dot(theta, x[i]);
            sum += y[i] * LogSigmoid(z) + (1.0 - y[i]) * LogSigmoid(-z);
        }

        return sum;
    }

    /// <summary>The closed-form gradient ∂LL/∂θⱼ = Σᵢ (yᵢ − σ(θᵀxᵢ)) xᵢⱼ.</summary>
    public static double[] Gradient(ReadOnlySpan<double> theta, double[][] x, ReadOnlySpan<double> y)
    {
        DesignShape.Check(nameof(LogisticRegressionLikelihood), nameof(Gradient), "θ", theta.Length, x, y.Length);
        DesignShape.CheckLabels(nameof(LogisticRegressionLikelihood), nameof(Gradient), y);
        var gradient = new double[theta.Length];
        for (int i = 0; i < y.Length; i++)
        {
            double r = y[i] - Sigmoid(Numerics.DenseMatrix.Dot(x[i], theta));
            for (int j = 0; j < gradient.Length; j++)
            {
                gradient[j] += r * x[i][j];
            }
        }

        return gradient;
    }
}
