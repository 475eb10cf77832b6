using System;
using AutoDiff.Optimization;

namespace AutoDiff;

/// <summary>What a maximum-likelihood fit needs beyond the log-likelihood and the start: names, constraints, the method and its stopping rules.</summary>
public sealed record MleOptions
{
    /// <summary>One name per parameter, for the summary table and messages (default θ0, θ1, …); none blank, no two equal.</summary>
    public string[]? ParameterNames { get; init; }

    /// <summary>
    /// One <see cref="ParameterTransform"/> per parameter (default: all <see cref="ParameterTransform.Identity"/>); e.g.
    /// <see cref="ParameterTransform.Positive"/> for σ. The fit searches the unconstrained u, the likelihood sees θ.
    /// </summary>
    public ParameterTransform[]? Transforms { get; init; }

    /// <summary>The number of observations n, for BIC = k·ln n − 2LL (BIC is unavailable without it).</summary>
    public int? ObservationCount { get; init; }

    /// <summary>The optimizer (default <see cref="MleMethod.Newton"/>).</summary>
    public MleMethod Method { get; init; } = MleMethod.Newton;

    /// <summary>The relative gradient at which the fit has converged (see <see cref="OptimizerOptions.GradientTolerance"/>; default 1e-9).</summary>
    public double GradientTolerance { get; init; } = OptimizerOptions.Default.GradientTolerance;

    /// <summary>The relative change of LL and u per step at which the fit has converged (see <see cref="OptimizerOptions.RelativeTolerance"/>).</summary>
    public double RelativeTolerance { get; init; } = OptimizerOptions.Default.RelativeTolerance;

    /// <summary>The most steps (default 1000); a fit that reaches it is reported as not converged.</summary>
    public int MaxIterations { get; init; } = OptimizerOptions.Default.MaxIterations;

    /// <summary>η for <see cref="MleMethod.GradientAscent"/> (default 10⁻³; ignored by the other methods).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>The number of pairs <see cref="MleMethod.Lbfgs"/> remembers (default 10, at least 1; ignored by the other methods).</summary>
    public int Memory { get; init; } = OptimizerOptions.Default.Memory;

    /// <summary>
    /// The information matrix, scaled to unit diagonal, counts as singular below this eigenvalue (default 10⁻¹⁰): the
    /// parameters of the eigenvector are then reported as not identified instead of getting huge standard errors.
    /// </summary>
    public double IdentificationTolerance { get; init; } = 1e-10;

    /// <summary>
    /// Called at the start and after each step with the iteration, the log-likelihood and ‖∇LL‖₂ (in the unconstrained
    /// parameters), on the fitting thread: drive a progress bar or a log from it.
    /// </summary>
    public Action<OptimizationProgress>? Progress { get; init; }

    /// <summary>The optimizer's options; throws <see cref="ArgumentException"/> naming an option out of range.</summary>
    internal OptimizerOptions ToOptimizerOptions(int parameterCount)
    {
        if (ParameterNames is { } names)
        {
            if (names.Length != parameterCount)
            {
                throw new ArgumentException(
                    $"MleOptions.ParameterNames has {names.Length} names but the start has {parameterCount} parameters; they must be equal.", "options");
            }

            // The summary table, the messages and the identification report name parameters by these: a blank one
            // printed nothing, and two equal ones made "not identified: a" ambiguous.
            for (int i = 0; i < names.Length; i++)
            {
                if (string.IsNullOrWhiteSpace(names[i]))
                {
                    throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"MleOptions.ParameterNames[{i}] is {(names[i] is null ? "null" : $"\"{names[i]}\"")}; every parameter needs a name."), "options");
                }

                int first = Array.IndexOf(names, names[i]);
                if (first < i)
                {
                    throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"MleOptions.ParameterNames[{first}] and [{i}] are both \"{names[i]}\"; the names must differ."), "options");
                }
            }
        }

        if (Transforms is { } transforms)
        {
            if (transforms.Length != parameterCount)
            {
                throw new ArgumentException(
                    $"MleOptions.Transforms has {transforms.Length} entries but the start has {parameterCount} parameters; they must be equal.", "options");
            }

            int missing = Array.IndexOf(transforms, null);
            if (missing >= 0)
            {
                throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"MleOptions.Transforms[{missing}] is null; use ParameterTransform.Identity for no constraint."), "options");
            }
        }

        if (ObservationCount is <= 0)
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"MleOptions.ObservationCount is {ObservationCount}; it must be positive."), "options");
        }

        if (Method == MleMethod.GradientAscent && (!(LearningRate > 0) || !double.IsFinite(LearningRate)))
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"MleOptions.LearningRate is {LearningRate}; it must be positive and finite."), "options");
        }

        if (!(IdentificationTolerance >= 0) || !double.IsFinite(IdentificationTolerance))
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"MleOptions.IdentificationTolerance is {IdentificationTolerance}; it must be finite and ≥ 0."), "options");
        }

        if (!Enum.IsDefined(Method))
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"MleOptions.Method is {(int)Method}, which is not a MleMethod."), "options");
        }

        var optimizer = new OptimizerOptions
        {
            GradientTolerance = GradientTolerance,
            RelativeTolerance = RelativeTolerance,
            MaxIterations = MaxIterations,
            Memory = Memory,
            Progress = Progress,
        };
        if (Method == MleMethod.Lbfgs)
        {
            optimizer.ValidateForLbfgs("options", "MleOptions.");
        }
        else
        {
            optimizer.Validate("options", "MleOptions.");
        }

        return optimizer;
    }
}
