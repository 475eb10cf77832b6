using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoDiff.Numerics;

namespace AutoDiff;

/// <summary>
/// The observed information I = −∇²LL at the maximum, inverted into the covariance of the estimates, or, when it is
/// singular or indefinite, the diagnosis: which parameters the likelihood does not pin down.
/// </summary>
/// <remarks>
/// I (in the unconstrained u) is first scaled to unit diagonal, S = D^(−½) I D^(−½) with D = diag(I), so that the test
/// does not depend on the parameters' units; then S = V diag(λ) Vᵀ (Jacobi). An eigenvalue λ ≤ tolerance means LL is
/// flat (λ ≈ 0: not identified, e.g. two equal columns) or curves upward (λ &lt; 0: not a maximum) along D^(−½)v; the
/// parameters with |vᵢ| ≥ 0.1 are those involved. Otherwise Cov(û) = D^(−½) V diag(1/λ) Vᵀ D^(−½) and, by the delta method,
/// Cov(θ̂) = J Cov(û) J with J = diag(dθᵢ/duᵢ).
/// </remarks>
internal sealed class ObservedInformation
{
    private const double InvolvedComponent = 0.1;

    private ObservedInformation(double[,]? covariance, string? problem, string[] involved, double[,]? covarianceU = null)
    {
        Covariance = covariance;
        Problem = problem;
        Involved = involved;
        CovarianceU = covarianceU;
    }

    /// <summary>Cov(θ̂), or null when the information is not positive definite.</summary>
    public double[,]? Covariance { get; }

    /// <summary>Cov(û) = (−∇²ᵤLL)⁻¹ in the unconstrained parameters, or null when the information is not positive definite.</summary>
    public double[,]? CovarianceU { get; }

    /// <summary>What is wrong with the information, naming the parameters; null when it is positive definite.</summary>
    public string? Problem { get; }

    /// <summary>The parameters involved in the problem (empty when there is none).</summary>
    public string[] Involved { get; }

    public static ObservedInformation Analyze(double[,] hessianU, double[] jacobian, string[] names, double tolerance)
    {
        int k = names.Length;
        var problems = new List<string>();
        var involved = new SortedSet<int>();
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                if (!double.IsFinite(hessianU[i, j]))
                {
                    return new(null,
                        string.Create(CultureInfo.InvariantCulture,
                            $"The Hessian of the log-likelihood is {hessianU[i, j]} at ({names[i]}, {names[j]}) at the estimate; the observed information, and the standard errors, are undefined."),
                        [names[i], names[j]]);
                }
            }
        }

        // Diagonal entries ≤ 0: LL is flat or convex in that parameter alone; no scaling can rescue it.
        var scale = new double[k];
        for (int i = 0; i < k; i++)
        {
            double d = -hessianU[i, i];
            if (d > 0)
            {
                scale[i] = 1 / Math.Sqrt(d);
            }
            else
            {
                involved.Add(i);
                problems.Add(d == 0
                    ? $"the log-likelihood's second derivative in {names[i]} is 0 at the estimate: it does not change with {names[i]}, or only linearly there (as Σ|y − {names[i]}| does between its kinks), so {names[i]} is not identified by the curvature and has no standard error"
                    : string.Create(CultureInfo.InvariantCulture, $"the log-likelihood curves upward in {names[i]} (second derivative {-d:G6} > 0): the estimate is not a maximum"));
            }
        }

        // The parameters with curvature of their own are analysed together even when others have none, so a report
        // names every problem (a duplicated column beside an ignored parameter), not only the first kind found.
        int[] active = Enumerable.Range(0, k).Where(i => scale[i] > 0).ToArray();
        int m = active.Length;
        var scaled = new double[m, m];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                scaled[i, j] = -hessianU[active[i], active[j]] * scale[active[i]] * scale[active[j]];
            }
        }

        var (values, vectors) = m > 0 ? SymmetricEigen.Decompose(scaled) : (Array.Empty<double>(), new double[0, 0]);
        for (int e = 0; e < m && values[e] <= tolerance; e++)
        {
            var members = Enumerable.Range(0, m).Where(i => Math.Abs(vectors[i, e]) >= InvolvedComponent).Select(i => active[i]).ToArray();
            involved.UnionWith(members);
            string who = string.Join(", ", members.Select(i => names[i]));
            problems.Add(values[e] < -tolerance
                ? string.Create(CultureInfo.InvariantCulture, $"the log-likelihood curves upward along a combination of {who} (eigenvalue {values[e]:G3} of the information scaled to unit diagonal): the point is not a maximum")
                : string.Create(CultureInfo.InvariantCulture, $"the log-likelihood is flat along a combination of {who} (eigenvalue {values[e]:G3} of the information scaled to unit diagonal, tolerance {tolerance:G3}): {who} are not identified (a column that duplicates or combines others, or parameters that enter only together)"));
        }

        if (problems.Count > 0)
        {
            return Failure();
        }

        // Every parameter is active here (no problems). Each entry is computed once and mirrored, so Cov is exactly symmetric.
        var covariance = new double[k, k];
        var covarianceU = new double[k, k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = 0;
                for (int e = 0; e < k; e++)
                {
                    sum += vectors[i, e] * vectors[j, e] / values[e];
                }

                // Cov(θ̂)ᵢⱼ = Jᵢ Cov(û)ᵢⱼ Jⱼ with Cov(û) = D^(−½) V Λ⁻¹ Vᵀ D^(−½).
                covarianceU[i, j] = scale[i] * sum * scale[j];
                covarianceU[j, i] = covarianceU[i, j];
                covariance[i, j] = jacobian[i] * covarianceU[i, j] * jacobian[j];
                covariance[j, i] = covariance[i, j];
            }
        }

        return new(covariance, null, [], covarianceU);

        ObservedInformation Failure() =>
            new(null, "The observed information (−Hessian) is not positive definite: " + string.Join("; ", problems) + ".",
                involved.Select(i => names[i]).ToArray());
    }

    /// <summary>
    /// Whether the maximum is attained where the fit stopped, judged one standard error away: at û + w, w = d/λ along
    /// the Newton direction d = Cov(û)∇LL (λ² = ∇LLᵀd, the Newton decrement), the quadratic model of a maximum predicts
    /// LL lower by ½ − λ. Where LL is instead higher, or lower by less than a twentieth of that, the log-likelihood keeps
    /// rising (to an asymptote) along the direction the fit was heading: its supremum is not attained at a finite point
    /// (a logistic regression with separated classes, an estimate on the boundary of its transform's domain), the
    /// estimates along w are wherever the tolerance stopped them and their standard errors mean nothing.
    /// </summary>
    /// <param name="logLikelihoodU">LL(T(u)) (its gradient is not read).</param>
    /// <param name="uHat">û.</param>
    /// <param name="value">LL(û).</param>
    /// <param name="gradient">∇ᵤLL(û).</param>
    /// <param name="names">The parameters' names.</param>
    /// <returns>This analysis, or a failure saying that the maximum is not attained, naming the parameters along w.</returns>
    public ObservedInformation CheckAttained(Optimization.ObjectiveFunction logLikelihoodU, double[] uHat, double value, double[] gradient, string[] names)
    {
        if (CovarianceU is not { } covariance)
        {
            return this;
        }

        int k = uHat.Length;
        var direction = new double[k];
        double decrement = 0;
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                direction[i] += covariance[i, j] * gradient[j];
            }

            decrement += gradient[i] * direction[i];
        }

        // λ = 0: a zero gradient, no direction to look along. λ > 0.1: far from a maximum (a fit that did not converge,
        // which says so itself), where the model does not predict a drop to compare with.
        double lambda = Math.Sqrt(decrement);
        if (!(lambda > 0) || lambda > 0.1)
        {
            return this;
        }

        // The probe is this check's own evaluation, one standard error from a maximum the fit already found, and may lie
        // outside a parameter's domain (a Poisson rate of total count 1, untransformed: λ̂ − se = 0, LL = −∞): a non-finite
        // log-likelihood there is an answer (not higher), not an error for Tape.CheckFinite to throw. So is a
        // log-likelihood that guards its domain by throwing an argument or arithmetic exception: the fit converged before
        // this check, and the check's own point must not turn it into a failure. A NaN is no answer, though: where the
        // supremum lies at u → ±∞ the probe is 1/λ ≈ 10⁵ units away, where a probability or rate underflows to 0 and the
        // k · log p of a zero count is 0 · (−∞); counted as lower, it reported zero successes in ten trials identified
        // (p̂ ≈ 10⁻¹², se 4·10⁻⁷). So a NaN halves the step, down to 4λ (where a maximum's model still predicts a drop of
        // 4λ²; below 2λ it predicts a rise, which the test would take for one that keeps rising). Near p = 1 the window is
        // narrow: 1 − σ(u) rounds to 0 from u ≈ 37, about 10λ beyond where the fit stops for n successes in n trials.
        var probe = new double[k];
        double step = 1.0, there;
        while (true)
        {
            for (int i = 0; i < k; i++)
            {
                probe[i] = uHat[i] + step * direction[i] / lambda;
            }

            using (Tape.WithoutFiniteChecks())
            {
                try
                {
                    there = logLikelihoodU(probe, new double[k]);
                }
                catch (Exception e) when (e is ArgumentException or ArithmeticException)
                {
                    return this;
                }
            }

            if (!double.IsNaN(there) || step / 2 < 4 * lambda)
            {
                break;
            }

            step /= 2;
        }

        // The quadratic model of a maximum at û + s·w, w = d/λ (gᵀw = λ, wᵀIw = 1): LL changes by sλ − s²/2.
        double predictedDrop = step * (step / 2 - lambda);
        if (!(there > value - predictedDrop / 20))
        {
            return this;
        }

        // The parameters the probe moved by at least a tenth of their standard error.
        int[] members = Enumerable.Range(0, k).Where(i => Math.Abs(direction[i] / lambda) >= InvolvedComponent * Math.Sqrt(covariance[i, i])).ToArray();
        string who = string.Join(", ", members.Select(i => names[i]));
        return new(null,
            string.Create(CultureInfo.InvariantCulture,
                $"The maximum is not attained: {(step == 1.0 ? "one standard error" : $"{step:G3} of a standard error")} from the estimate along its gradient (in {who}) the log-likelihood changes by {there - value:+0.###E+0;-0.###E+0;0} from {value:G10} at the estimate, where a maximum's curvature predicts about {-predictedDrop:G3}. It keeps rising towards a limit as {who} move without bound in that direction (in a logistic regression: classes separated by the covariates; a probability or rate whose estimate is 0 or 1): the estimates of {who} are only where the optimizer stopped, and no standard errors exist."),
            members.Select(i => names[i]).ToArray());
    }
}
