using System;

namespace AutoDiff.Tests.Tensors;

/// <summary>The notes' logistic log-likelihood and its closed-form gradient over doubles: the oracle of the tensor forms.</summary>
internal static class LogisticClosedForm
{
    /// <summary>
    /// LL = Σᵢ yᵢ log σ(zᵢ) + (1 − yᵢ) log(1 − σ(zᵢ)) and ∇ = Xᵀ(y − σ(z)), z = Xθ, for X row-major with θ's length as
    /// its number of columns.
    /// </summary>
    public static (double Value, double[] Gradient) At(double[] x, double[] y, double[] theta)
    {
        int d = theta.Length;
        double value = 0.0;
        var gradient = new double[d];
        for (int i = 0; i < y.Length; i++)
        {
            double z = 0.0;
            for (int j = 0; j < d; j++)
            {
                z += x[i * d + j] * theta[j];
            }

            double s = 1.0 / (1.0 + Math.Exp(-z));
            value += y[i] * Math.Log(s) + (1 - y[i]) * Math.Log(1 - s);
            for (int j = 0; j < d; j++)
            {
                gradient[j] += x[i * d + j] * (y[i] - s);
            }
        }

        return (value, gradient);
    }
}
