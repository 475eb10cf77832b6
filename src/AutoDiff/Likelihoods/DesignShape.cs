using System;

namespace AutoDiff.Likelihoods;

/// <summary>The shape check every regression likelihood makes: n rows of d columns for n responses and d weights.</summary>
internal static class DesignShape
{
    public static void Check(string model, string op, string weights, int d, double[][] x, int n)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length != n)
        {
            throw new ArgumentException($"{model}.{op}: x has {x.Length} rows but y has {n} entries; they must be equal.", nameof(x));
        }

        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] is null)
            {
                throw new ArgumentException($"{model}.{op}: row {i} of x is null.", nameof(x));
            }

            if (x[i].Length != d)
            {
                throw new ArgumentException(
                    $"{model}.{op}: row {i} of x has {x[i].Length} columns but {weights} has {d}; they must be equal.", nameof(x));
            }
        }
    }

    /// <summary>
    /// Labels of a logistic model: in [0, 1] (0 or 1 for the notes' Bernoulli model; a proportion gives the fractional
    /// response quasi-likelihood). Anything else — 2, −1, NaN — would give a finite, meaningless log-likelihood.
    /// </summary>
    public static void CheckLabels(string model, string op, ReadOnlySpan<double> y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            if (!(y[i] >= 0.0 && y[i] <= 1.0))
            {
                throw new ArgumentException(
                    $"{model}.{op}: label y[{i}] is {y[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}; labels must be 0 or 1 (or a proportion in [0, 1]).", nameof(y));
            }
        }
    }
}
