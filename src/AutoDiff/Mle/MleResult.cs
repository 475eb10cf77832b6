using System;
using System.Globalization;
using AutoDiff.Optimization;

namespace AutoDiff;

/// <summary>
/// A maximum-likelihood fit: the estimates θ̂, their standard errors and covariance from the observed information,
/// the log-likelihood and information criteria, and whether (and why) the optimizer stopped.
/// </summary>
public sealed class MleResult
{
    private readonly double[] _estimates;
    private readonly ObservedInformation _information;

    internal MleResult(string[] names, ParameterTransform[] transforms, double[] estimates, OptimizationResult optimization,
        ObservedInformation information, int? observationCount)
    {
        Names = names;
        TransformsInOrder = transforms;
        _estimates = estimates;
        Optimization = optimization;
        _information = information;
        ObservationCount = observationCount;
    }

    /// <summary>The parameters' names, in order (a copy: writing into it changes nothing of the fit).</summary>
    public string[] ParameterNames => (string[])Names.Clone();

    /// <summary>The transform of each parameter (identity for unconstrained ones; a copy).</summary>
    public ParameterTransform[] Transforms => (ParameterTransform[])TransformsInOrder.Clone();

    // The arrays themselves, for the summary table.
    internal string[] Names { get; }

    internal ParameterTransform[] TransformsInOrder { get; }

    /// <summary>θ̂, in the natural parameters (σ, not log σ).</summary>
    public double[] Estimates => (double[])_estimates.Clone();

    /// <summary>k, the number of parameters.</summary>
    public int ParameterCount => _estimates.Length;

    /// <summary>n, from <see cref="MleOptions.ObservationCount"/> (null if not given).</summary>
    public int? ObservationCount { get; }

    /// <summary>LL(θ̂).</summary>
    public double LogLikelihood => Optimization.Value;

    /// <summary>Akaike's information criterion, AIC = 2k − 2LL(θ̂).</summary>
    public double Aic => 2.0 * ParameterCount - 2.0 * LogLikelihood;

    /// <summary>The Bayesian (Schwarz) information criterion, BIC = k·ln n − 2LL(θ̂).</summary>
    /// <exception cref="InvalidOperationException">n is unknown: set <see cref="MleOptions.ObservationCount"/>.</exception>
    public double Bic => ObservationCount is int n
        ? ParameterCount * Math.Log(n) - 2.0 * LogLikelihood
        : throw new InvalidOperationException("BIC = k·ln n − 2LL needs the number of observations n: set MleOptions.ObservationCount.");

    /// <summary>Whether the optimizer met a convergence test; if not, <see cref="Message"/> says why and the estimates are only the last iterate.</summary>
    public bool Converged => Optimization.Converged;

    /// <summary>The optimizer's steps.</summary>
    public int Iterations => Optimization.Iterations;

    /// <summary>Why the optimizer stopped.</summary>
    public StopReason StopReason => Optimization.StopReason;

    /// <summary>The optimizer's report, with the numbers.</summary>
    public string Message => Optimization.Message;

    /// <summary>The optimizer's own result, in the unconstrained parameters u (θ = T(u)).</summary>
    public OptimizationResult Optimization { get; }

    /// <summary>
    /// Whether the observed information is positive definite and the maximum is attained (the log-likelihood is lower one
    /// standard error away, as a maximum's curvature predicts), so that standard errors exist.
    /// </summary>
    public bool IsIdentified => _information.Problem is null;

    /// <summary>Null when <see cref="IsIdentified"/>; otherwise what is wrong with the information, naming the parameters.</summary>
    public string? Identification => _information.Problem;

    /// <summary>The parameters named by <see cref="Identification"/> (empty when identified).</summary>
    public string[] UnidentifiedParameters => (string[])_information.Involved.Clone();

    /// <summary>
    /// Cov(θ̂) = (−∇²LL(θ̂))⁻¹, the inverse observed information in the natural parameters (by the delta method
    /// J Cov(û) Jᵀ for transformed ones; see <see cref="ParameterTransform"/>).
    /// </summary>
    /// <exception cref="IdentificationException">The information is singular or indefinite; the message names the parameters.</exception>
    public double[,] Covariance => (double[,])RequireCovariance().Clone();

    /// <summary>The standard errors √Cov(θ̂)ᵢᵢ.</summary>
    /// <exception cref="IdentificationException">The information is singular or indefinite; the message names the parameters.</exception>
    public double[] StandardErrors
    {
        get
        {
            var covariance = RequireCovariance();
            var se = new double[ParameterCount];
            for (int i = 0; i < se.Length; i++)
            {
                se[i] = Math.Sqrt(covariance[i, i]);
            }

            return se;
        }
    }

    /// <summary>The Wald statistics zᵢ = θ̂ᵢ / seᵢ (for H₀: θᵢ = 0).</summary>
    /// <exception cref="IdentificationException">The information is singular or indefinite.</exception>
    public double[] ZScores
    {
        get
        {
            var se = StandardErrors;
            for (int i = 0; i < se.Length; i++)
            {
                se[i] = _estimates[i] / se[i];
            }

            return se;
        }
    }

    /// <summary>The two-sided p-values P(|Z| ≥ |zᵢ|) of <see cref="ZScores"/> under the normal approximation.</summary>
    /// <exception cref="IdentificationException">The information is singular or indefinite.</exception>
    public double[] PValues => Array.ConvertAll(ZScores, StandardNormal.TwoSidedPValue);

    /// <summary>Wald confidence intervals θ̂ᵢ ± z₍₁₊level₎/₂·seᵢ.</summary>
    /// <param name="level">The coverage, in (0, 1) (default 0.95).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not in (0, 1).</exception>
    /// <exception cref="IdentificationException">The information is singular or indefinite.</exception>
    public (double[] Lower, double[] Upper) ConfidenceIntervals(double level = 0.95)
    {
        double z = CriticalValue(level);
        var se = StandardErrors;
        var lower = new double[se.Length];
        var upper = new double[se.Length];
        for (int i = 0; i < se.Length; i++)
        {
            lower[i] = _estimates[i] - z * se[i];
            upper[i] = _estimates[i] + z * se[i];
        }

        return (lower, upper);
    }

    /// <summary>Throws unless <see cref="Converged"/>.</summary>
    /// <returns>This result, for chaining.</returns>
    /// <exception cref="OptimizationException">The fit did not converge; the message names the reason, the iterations and the gradient norm.</exception>
    public MleResult EnsureConverged()
    {
        Optimization.EnsureConverged();
        return this;
    }

    /// <summary>A statsmodels-like table: the fit's statistics, then per parameter coef, std err, z, P&gt;|z| and the confidence interval, with warnings.</summary>
    /// <param name="level">The coverage of the confidence intervals (default 0.95).</param>
    public string Summary(double level = 0.95) => MleSummary.Format(this, level);

    /// <inheritdoc/>
    public override string ToString() => Summary();

    /// <summary>z₍₁₊level₎/₂, after checking the level.</summary>
    internal static double CriticalValue(double level) =>
        level > 0 && level < 1
            ? StandardNormal.Quantile(0.5 + 0.5 * level)
            : throw new ArgumentOutOfRangeException(nameof(level), level, "A confidence level must lie in (0, 1).");

    private double[,] RequireCovariance() =>
        _information.Covariance
        ?? throw new IdentificationException(
            string.Create(CultureInfo.InvariantCulture, $"No standard errors: {_information.Problem}"), _information.Involved);
}
