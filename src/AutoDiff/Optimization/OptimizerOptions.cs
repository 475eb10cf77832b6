using System;

namespace AutoDiff.Optimization;

/// <summary>Stopping rules and reporting shared by <see cref="Newton"/>, <see cref="Lbfgs"/> and <see cref="GradientAscent"/>.</summary>
/// <remarks>
/// An optimizer stops at the first of: the relative gradient at most <see cref="GradientTolerance"/> (converged), one step
/// changing f and x relatively by at most <see cref="RelativeTolerance"/> with the relative gradient at most
/// √<see cref="GradientTolerance"/> (converged), <see cref="MaxIterations"/> steps
/// (not converged), or a line search that finds no increase (not converged). Both convergence tests also need the gain
/// that the method's next step predicts (½∇fᵀd) to be at most <see cref="GradientTolerance"/> (see
/// <see cref="StopReason.GradientTolerance"/>). A run that did not converge says so in
/// <see cref="OptimizationResult.Converged"/> and <see cref="OptimizationResult.Message"/>; it never passes silently as a
/// result.
/// </remarks>
public sealed record OptimizerOptions
{
    /// <summary>The default options.</summary>
    public static OptimizerOptions Default { get; } = new();

    /// <summary>
    /// Converged when maxᵢ |∂f/∂xᵢ|·max(|xᵢ|, 1) / max(|f|, 1) ≤ this (default 1e-9). The scaling makes the test
    /// independent of the units of f where |f| ≥ 1 and of each xᵢ where |xᵢ| ≥ 1; at 1e-9 a Newton fit is at its maximum
    /// to rounding. An objective much smaller than 1 in magnitude (f = −10⁻¹²·(x − 3)²) passes the test at its start:
    /// scale it to order 1, or lower this tolerance.
    /// </summary>
    public double GradientTolerance { get; init; } = 1e-9;

    /// <summary>
    /// Converged when one step changes f by at most this times max(|f|, 1) and each xᵢ by at most this times
    /// max(|xᵢ|, 1) (default 1e-13: both changes at the level of rounding), and the relative gradient is at most
    /// √<see cref="GradientTolerance"/> (tiny steps up a slope that goes on are not a maximum). 0 turns the test off.
    /// </summary>
    public double RelativeTolerance { get; init; } = 1e-13;

    /// <summary>The most steps to take (default 1000); reaching it is reported as not converged.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>How many (step, gradient change) pairs <see cref="Lbfgs"/> keeps (default 10, at least 1); the other optimizers ignore it.</summary>
    public int Memory { get; init; } = 10;

    /// <summary>Called at the start point and after each step, on the optimizer's thread (for a progress bar, or logging).</summary>
    public Action<OptimizationProgress>? Progress { get; init; }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first option whose value is out of range, as
    /// <paramref name="owner"/> + its name ("MleOptions." when the options came from there).
    /// </summary>
    internal void Validate(string paramName, string owner = "")
    {
        if (!(GradientTolerance >= 0) || double.IsPositiveInfinity(GradientTolerance))
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{owner}GradientTolerance is {GradientTolerance}; it must be finite and ≥ 0."), paramName);
        }

        if (!(RelativeTolerance >= 0) || double.IsPositiveInfinity(RelativeTolerance))
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{owner}RelativeTolerance is {RelativeTolerance}; it must be finite and ≥ 0."), paramName);
        }

        if (MaxIterations < 0)
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{owner}MaxIterations is {MaxIterations}; it must be ≥ 0."), paramName);
        }
    }

    /// <summary>
    /// <see cref="Validate"/>, and <see cref="Memory"/> too: only L-BFGS reads it, so Newton and gradient ascent accept any
    /// value there, as they accept any learning rate of <c>MleOptions</c> they do not use.
    /// </summary>
    internal void ValidateForLbfgs(string paramName, string owner = "")
    {
        Validate(paramName, owner);
        if (Memory < 1)
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{owner}Memory is {Memory}; L-BFGS needs at least 1 pair."), paramName);
        }
    }
}
