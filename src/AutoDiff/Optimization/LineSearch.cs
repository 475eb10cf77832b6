using System;
using AutoDiff.Numerics;

namespace AutoDiff.Optimization;

/// <summary>
/// Backtracking (Armijo) line search for maximization: from x along an ascent direction d, the first step t of
/// t₀, then shorter ones, with f(x + t·d) ≥ f(x) + c₁·t·∇f(x)ᵀd.
/// </summary>
/// <remarks>
/// A trial where f, or any component of ∇f, is NaN or ±∞ counts as worse than every finite one (for a log-likelihood,
/// +∞ means a degenerate fit such as σ → 0 on a data point, not a better one), so the search backs off out of a region
/// where the function is undefined: a user who starts σ at 1 and writes <c>Log(σ)</c> gets a fit even when the first
/// full step lands at σ &lt; 0. After a finite but insufficient trial the next step is the maximizer of the quadratic
/// through f(x), its slope and the trial, kept within [0.1 t, 0.5 t]; after a non-finite trial it is t/2. Where the
/// sufficient increase cannot be seen because f is at the level of its rounding, the approximate Wolfe conditions of
/// Hager and Zhang (its Armijo half) decides by the directional derivative instead.
/// </remarks>
internal static class LineSearch
{
    /// <summary>The sufficient-increase constant c₁ (Nocedal and Wright's usual 10⁻⁴).</summary>
    private const double SufficientIncrease = 1e-4;

    private const int MaxTrials = 80;

    /// <summary>How far below f(x), relative to |f(x)|, a trial may be for the approximate Armijo test.</summary>
    private const double ValueBand = 1e-8;

    /// <summary>
    /// Searches along <paramref name="direction"/>; on success the trial point, its value and gradient are in
    /// <paramref name="xTrial"/>, <paramref name="fTrial"/> and <paramref name="gTrial"/>.
    /// </summary>
    /// <param name="f">The objective.</param>
    /// <param name="x">The current point.</param>
    /// <param name="fx">f(x), finite.</param>
    /// <param name="direction">An ascent direction d.</param>
    /// <param name="slope">∇f(x)ᵀd, &gt; 0.</param>
    /// <param name="initialStep">t₀.</param>
    /// <param name="xTrial">Receives the accepted point.</param>
    /// <param name="gTrial">Receives ∇f there.</param>
    /// <param name="fTrial">Receives f there.</param>
    /// <param name="evaluations">Incremented once per call of <paramref name="f"/>.</param>
    /// <returns>The accepted step t, or 0 when no trial qualified (x + t·d rounds to x before one does).</returns>
    public static double Backtrack(ObjectiveFunction f, ReadOnlySpan<double> x, double fx, ReadOnlySpan<double> direction,
        double slope, double initialStep, Span<double> xTrial, Span<double> gTrial, out double fTrial, ref int evaluations)
    {
        double t = initialStep;
        double band = ValueBand * Math.Max(Math.Abs(fx), 1.0);
        bool slopesConsistent = true;
        for (int trial = 0; trial < MaxTrials; trial++)
        {
            bool moved = false;
            for (int i = 0; i < x.Length; i++)
            {
                xTrial[i] = x[i] + t * direction[i];
                moved |= xTrial[i] != x[i];
            }

            if (!moved)
            {
                break;
            }

            fTrial = f(xTrial, gTrial);
            evaluations++;
            if (!double.IsFinite(fTrial) || !FiniteValues.All(gTrial))
            {
                t *= 0.5;
                continue;
            }

            // As a difference: fx + c₁t·slope would round to fx near a maximum and let an equal value through.
            if (fTrial - fx >= SufficientIncrease * t * slope)
            {
                return t;
            }

            double trialSlope = Numerics.DenseMatrix.Dot(gTrial, direction);

            // f measurably lower although the gradient still says "up" at the trial: along a concave segment that is
            // impossible, so the gradient does not match f (or f is not concave here). Then the slopes cannot stand
            // in for f, and only the plain Armijo test may accept a step.
            slopesConsistent &= !(fTrial < fx - band && trialSlope > 0);

            // Hager and Zhang's approximate Armijo test: near a maximum f changes by less than its own rounding and
            // cannot show an increase, but the directional derivative, still accurate there, can: by the trapezoid
            // rule f(x + td) − f(x) ≈ t(φ′(0) + φ′(t))/2 ≥ δ·t·φ′(0) with δ = 0.1 when φ′(t) ≥ −0.8·φ′(0).
            if (slopesConsistent && fTrial >= fx - band && trialSlope >= -0.8 * slope)
            {
                return t;
            }

            // Maximizer of q(s) = fx + slope·s + c·s² through q(t) = fTrial (c < 0 since the trial fell short).
            double shortfall = fx + slope * t - fTrial;
            t = Math.Clamp(slope * t * t / (2 * shortfall), 0.1 * t, 0.5 * t);
        }

        fTrial = double.NaN;
        return 0;
    }
}
