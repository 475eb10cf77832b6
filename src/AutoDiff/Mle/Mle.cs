using System;
using System.Globalization;
using System.Linq;
using AutoDiff.Numerics;
using AutoDiff.Optimization;

namespace AutoDiff;

/// <summary>
/// Maximum-likelihood estimation: maximize a log-likelihood, then read standard errors off the observed information
/// −∇²LL at the maximum, as statsmodels does.
/// </summary>
/// <remarks>
/// <para>
/// The fit maximizes LL(T(u)) over the unconstrained parameters u, where θ = T(u) applies each parameter's
/// <see cref="ParameterTransform"/> (identity unless <see cref="MleOptions.Transforms"/> says otherwise), with the method
/// of <see cref="MleOptions.Method"/>. At û the observed information is checked (<see cref="MleResult.Identification"/>)
/// and inverted; the covariance of θ̂ = T(û) follows by the delta method.
/// </para>
/// </remarks>
public static partial class Mle
{
    /// <summary>
    /// Fits θ̂ = argmax LL(θ) for a log-likelihood written over <see cref="Var"/>s; gradients and Hessians are exact
    /// (<see cref="AD.ValueAndGrad(Func{Var[], Var}, ReadOnlySpan{double}, Span{double})"/>,
    /// <see cref="AD.Hessian(Func{Var[], Var}, double[])"/>).
    /// </summary>
    /// <param name="logLikelihood">
    /// LL(θ), receiving the natural parameters θ (for a transformed parameter, the <see cref="Var"/> T(u), so that AD
    /// differentiates through the transform). Use operations with second-order rules (all of <see cref="Ops"/>' scalar
    /// ones have them).
    /// </param>
    /// <param name="start">θ₀, in the natural parameters and inside each transform's domain.</param>
    /// <param name="options">Names, transforms, n, method and stopping rules; defaults when null.</param>
    /// <returns>The estimates, standard errors, covariance, log-likelihood, AIC, BIC and the optimizer's report.</returns>
    /// <exception cref="ArgumentException">
    /// The start is empty, not finite or outside a transform's domain; the options do not match the start's length or
    /// are out of range; or LL or its gradient is not finite at the start.
    /// </exception>
    /// <example>
    /// The Gaussian with σ &gt; 0 through the log transform:
    /// <code>
    /// var fit = Mle.Fit(p => GaussianLikelihood.LogLikelihood(p[0], p[1], y), [0.0, 1.0],
    ///     new MleOptions { ParameterNames = ["mu", "sigma"], Transforms = [ParameterTransform.Identity, ParameterTransform.Positive], ObservationCount = y.Length });
    /// Console.WriteLine(fit.Summary());
    /// </code>
    /// </example>
    public static MleResult Fit(Func<Var[], Var> logLikelihood, double[] start, MleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(logLikelihood);
        ArgumentNullException.ThrowIfNull(start);
        var transforms = TransformsOf(options, start.Length);
        Func<Var[], Var> composed = transforms.All(t => t == ParameterTransform.Identity)
            ? logLikelihood
            : u =>
            {
                var theta = new Var[u.Length];
                for (int i = 0; i < u.Length; i++)
                {
                    theta[i] = transforms[i].ToNatural(u[i]);
                }

                return logLikelihood(theta);
            };

        ObjectiveFunction valueAndGradient = (u, gradient) => AD.ValueAndGrad(composed, u, gradient);
        if ((options?.Method ?? MleMethod.Newton) == MleMethod.Newton)
        {
            var (objective, hessian) = new SecondOrderEvaluations(u => AD.ValueGradHessian(composed, u)).Delegates;
            return FitUnconstrained(objective, hessian, start, options, valueAndGradient);
        }

        return FitUnconstrained(
            valueAndGradient,
            (u, hessian) => Array.Copy(AD.Hessian(composed, u.ToArray()), hessian, hessian.Length),
            start,
            options);
    }

    /// <summary>
    /// Fits θ̂ = argmax LL(θ) for a log-likelihood written over one <see cref="Tensor"/> of parameters; gradients and
    /// Hessians are exact (<see cref="AD.ValueAndGrad(Func{Tensor[], Tensor}, Tensor[])"/>,
    /// <see cref="AD.Hessian(Func{Tensor, Tensor}, Tensor)"/>).
    /// </summary>
    /// <param name="logLikelihood">LL(θ), returning one value; θ has <paramref name="start"/>'s shape.</param>
    /// <param name="start">θ₀, inside each transform's domain.</param>
    /// <param name="options">
    /// As for the <see cref="Var"/> form; names, transforms and all per-parameter results follow θ's elements in
    /// row-major order.
    /// </param>
    /// <returns>The estimates (θ's elements in row-major order), standard errors, covariance, criteria and report.</returns>
    /// <exception cref="ArgumentException">As for the <see cref="Var"/> form, or LL returns more than one value.</exception>
    /// <example>
    /// The notes' logistic regression in vector form:
    /// <code>
    /// var fit = Mle.Fit(theta => Sum(y * LogSigmoid(x.MatMul(theta)) + (1 - y) * LogSigmoid(-x.MatMul(theta))), Tensor.Zeros(d));
    /// </code>
    /// </example>
    public static MleResult Fit(Func<Tensor, Tensor> logLikelihood, Tensor start, MleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(logLikelihood);
        ArgumentNullException.ThrowIfNull(start);
        var shape = start.Shape;
        var theta0 = start.ToArray();
        var transforms = TransformsOf(options, theta0.Length);

        // One mask per constraining transform in use: θ = (1 − m) ⊙ u + m ⊙ T(u) for each, elementwise and differentiable.
        var masked = transforms.Distinct().Where(t => t != ParameterTransform.Identity)
            .Select(t => (Transform: t,
                Mask: Tensor.FromArray(transforms.Select(ti => ti == t ? 1.0 : 0.0).ToArray(), shape),
                Complement: Tensor.FromArray(transforms.Select(ti => ti == t ? 0.0 : 1.0).ToArray(), shape)))
            .ToArray();
        Tensor Composed(Tensor u)
        {
            foreach (var (transform, mask, complement) in masked)
            {
                u = transform.ToNatural(u, mask, complement);
            }

            // Checked here, not by the AD call it runs in, so that the message names Mle.Fit and its argument.
            var value = logLikelihood(u);
            if (value is null || value.Size != 1)
            {
                throw new ArgumentException(
                    value is null
                        ? "Mle.Fit: the log-likelihood returned null; it must return one value."
                        : $"Mle.Fit: the log-likelihood returned a tensor of shape {TensorShape.Format(value.ShapeUnsafe)}; it must return one value: sum the per-observation terms (Ops.Sum).",
                    nameof(logLikelihood));
            }

            return value;
        }

        double ValueAndGradient(ReadOnlySpan<double> u, Span<double> gradient)
        {
            var (value, gradients) = AD.ValueAndGrad(p => Composed(p[0]), Tensor.FromArray(u.ToArray(), shape));
            gradients[0].ToArray().CopyTo(gradient);
            return value;
        }

        if ((options?.Method ?? MleMethod.Newton) == MleMethod.Newton)
        {
            var (objective, hessian) = new SecondOrderEvaluations(u =>
            {
                var (value, gradient, h) = AD.ValueGradHessian(Composed, Tensor.FromArray(u, shape));
                var matrix = new double[u.Length, u.Length];
                Buffer.BlockCopy(h.ToArray(), 0, matrix, 0, u.Length * u.Length * sizeof(double));
                return (value, gradient.ToArray(), matrix);
            }).Delegates;
            return FitUnconstrained(objective, hessian, theta0, options, ValueAndGradient);
        }

        return FitUnconstrained(
            ValueAndGradient,
            (u, hessian) => Buffer.BlockCopy(AD.Hessian(Composed, Tensor.FromArray(u.ToArray(), shape)).ToArray(), 0, hessian, 0, hessian.Length * sizeof(double)),
            theta0,
            options);
    }

    /// <summary>
    /// The fit from a log-likelihood in the natural parameters θ with its derivatives in closed form: the chain rule
    /// through the transforms gives ∇_u = J∇_θ and ∇²_u = J∇²_θ J + diag(T″ᵢ ∂LL/∂θᵢ), J = diag(T′ᵢ).
    /// </summary>
    internal static MleResult Fit(ObjectiveFunction logLikelihood, HessianFunction hessian, double[] start, MleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(logLikelihood);
        ArgumentNullException.ThrowIfNull(hessian);
        ArgumentNullException.ThrowIfNull(start);
        var transforms = TransformsOf(options, start.Length);
        int k = start.Length;
        var theta = new double[k];
        var gradientTheta = new double[k];

        double LogLikelihoodU(ReadOnlySpan<double> u, Span<double> gradient)
        {
            ToNatural(transforms, u, theta);
            double value = logLikelihood(theta, gradientTheta);
            for (int i = 0; i < k; i++)
            {
                gradient[i] = transforms[i].Derivative(u[i]) * gradientTheta[i];
            }

            return value;
        }

        void HessianU(ReadOnlySpan<double> u, double[,] h)
        {
            ToNatural(transforms, u, theta);
            logLikelihood(theta, gradientTheta);
            hessian(theta, h);
            for (int i = 0; i < k; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    h[i, j] *= transforms[i].Derivative(u[i]) * transforms[j].Derivative(u[j]);
                }

                h[i, i] += transforms[i].SecondDerivative(u[i]) * gradientTheta[i];
            }
        }

        return FitUnconstrained(LogLikelihoodU, HessianU, start, options);
    }

    /// <summary>
    /// The core every entry point shares: <paramref name="logLikelihoodU"/> and <paramref name="hessianU"/> are LL(T(u))
    /// and its derivatives in u; <paramref name="start"/> is θ.
    /// </summary>
    internal static MleResult FitUnconstrained(ObjectiveFunction logLikelihoodU, HessianFunction hessianU, double[] start, MleOptions? options,
        ObjectiveFunction? probeU = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        options ??= new MleOptions();
        int k = start.Length;
        var optimizerOptions = options.ToOptimizerOptions(k);
        var transforms = TransformsOf(options, k);
        var names = options.ParameterNames is { } given ? (string[])given.Clone() : Enumerable.Range(0, k).Select(i => $"θ{i}").ToArray();
        AscentLoop.CheckStart(start);
        var u = new double[k];
        for (int i = 0; i < k; i++)
        {
            if (!transforms[i].Contains(start[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Mle.Fit: the start value {start[i]} of {names[i]} is outside its transform's domain ({transforms[i].Description})."),
                    nameof(start));
            }

            u[i] = transforms[i].ToUnconstrained(start[i]);
        }

        // Check the start here, to name the parameters in θ (the optimizer would report the point in u).
        var gradient = new double[k];
        double atStart = logLikelihoodU(u, gradient);
        if (!double.IsFinite(atStart) || !FiniteValues.All(gradient))
        {
            throw new ArgumentException(
                $"Mle.Fit: at the start ({Describe(names, start)}) the log-likelihood is {AscentLoop.Format(atStart)} and its gradient ({AscentLoop.Format(gradient)}); a fit must start where both are finite.",
                nameof(start));
        }

        var optimization = options.Method switch
        {
            MleMethod.Newton => Newton.Maximize(logLikelihoodU, hessianU, u, optimizerOptions),
            MleMethod.Lbfgs => Lbfgs.Maximize(logLikelihoodU, u, optimizerOptions),
            _ => GradientAscent.Maximize(logLikelihoodU, u, options.LearningRate, optimizerOptions),
        };

        var uHat = optimization.Point;
        var hessian = new double[k, k];
        hessianU(uHat, hessian);
        var estimates = new double[k];
        ToNatural(transforms, uHat, estimates);
        var jacobian = new double[k];
        for (int i = 0; i < k; i++)
        {
            jacobian[i] = transforms[i].Derivative(uHat[i]);
        }

        var information = ObservedInformation.Analyze(hessian, jacobian, names, options.IdentificationTolerance)
            .CheckAttained(probeU ?? logLikelihoodU, uHat, optimization.Value, optimization.Gradient, names);
        return new MleResult(names, transforms, estimates, optimization, information, options.ObservationCount);
    }

    private static ParameterTransform[] TransformsOf(MleOptions? options, int k) =>
        options?.Transforms is { } transforms && transforms.Length == k && Array.IndexOf(transforms, null) < 0
            ? (ParameterTransform[])transforms.Clone()
            : Enumerable.Repeat(ParameterTransform.Identity, k).ToArray();

    private static void ToNatural(ParameterTransform[] transforms, ReadOnlySpan<double> u, Span<double> theta)
    {
        for (int i = 0; i < transforms.Length; i++)
        {
            theta[i] = transforms[i].ToNatural(u[i]);
        }
    }

    private static string Describe(string[] names, double[] values) =>
        string.Join(", ", names.Select((name, i) => $"{name} = {AscentLoop.Format(values[i])}"));
}
