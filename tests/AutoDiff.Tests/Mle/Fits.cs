using System;
using System.Linq;
using AutoDiff.Likelihoods;
using AutoDiff.Tests.Optimization;

namespace AutoDiff.Tests.MaximumLikelihood;

/// <summary>
/// The three reference fits of reference.json, each by two routes: the public <see cref="Mle.Fit(Func{Var[], Var}, double[], MleOptions?)"/>
/// (AD gradients and Hessians) and the internal core with the notes' closed-form derivatives.
/// </summary>
internal static class Fits
{
    public const string ByAd = "AD";
    public const string ByClosedForm = "closed form";

    public static readonly string[] LogitNames = ["intercept", "mean radius", "mean texture", "mean smoothness", "mean concavity", "mean symmetry"];

    public static MleResult Gaussian(string route, double[] y, MleOptions? options = null)
    {
        options ??= new MleOptions();
        options = options with
        {
            ParameterNames = options.ParameterNames ?? ["mu", "sigma"],
            Transforms = options.Transforms ?? [ParameterTransform.Identity, ParameterTransform.Positive],
            ObservationCount = y.Length,
        };
        var closed = ClosedForms.Gaussian(y);
        return route == ByAd
            ? Mle.Fit(p => GaussianLikelihood.LogLikelihood(p[0], p[1], y), [0.0, 1.0], options)
            : Mle.Fit(closed.F, closed.H, [0.0, 1.0], options);
    }

    public static MleResult LinearRegression(string route, double[][] x, double[] y, string[] columns, MleOptions? options = null)
    {
        int d = x[0].Length;
        options = (options ?? new MleOptions()) with
        {
            ParameterNames = [.. columns, "sigma"],
            Transforms = [.. Enumerable.Repeat(ParameterTransform.Identity, d), ParameterTransform.Positive],
            ObservationCount = y.Length,
        };
        double[] start = [.. new double[d], 1.0];
        var closed = ClosedForms.LinearRegression(x, y);
        return route == ByAd
            ? Mle.Fit(p => LinearRegressionLikelihood.LogLikelihood(p.AsSpan(0, d), p[d], x, y), start, options)
            : Mle.Fit(closed.F, closed.H, start, options);
    }

    public static MleResult Logistic(string route, double[][] x, double[] y, MleOptions? options = null)
    {
        options = (options ?? new MleOptions()) with { ParameterNames = LogitNames, ObservationCount = y.Length };
        var closed = ClosedForms.Logistic(x, y);
        return route == ByAd
            ? Mle.Fit(t => LogisticRegressionLikelihood.LogLikelihood(t, x, y), new double[x[0].Length], options)
            : Mle.Fit(closed.F, closed.H, new double[x[0].Length], options);
    }

    public static string[] DiabetesColumns => ["intercept", .. TestData.Diabetes.Columns[..^1]];
}
