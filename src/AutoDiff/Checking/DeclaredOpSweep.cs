using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using AutoDiff.Numerics;

namespace AutoDiff;

/// <summary>
/// Checks every <see cref="DifferentiableAttribute"/> function of a class — the library's own, or a user's — by comparing
/// the derivatives the generated <see cref="Var"/> overload records with finite differences, at ordinary points and at
/// edge points: large arguments (|x| = 25, 100, 10³), tiny ones on both sides of 0 (±10⁻⁸, ±10⁻²), 0, and ±∞.
/// </summary>
/// <remarks>
/// <para>Each input is swept over the edge values with the other inputs at ordinary values. At a finite point, the AD
/// partial must agree with the central difference of <see cref="GradCheck"/> at one of four steps (h, h/100, h/10⁴, and
/// ε^(1/5)·|x|): a correct rule agrees once the step no longer straddles a kink or a branch of a conditional, a wrong rule at
/// none. Within h of a kink (0, a branch point of that input, or where a branch line meets that input at the point's other
/// coordinates: x = s·y + o at this y, y = (x − o)/s at this x), where the steps that do not straddle it may be too small
/// for rounding, one-sided differences stepping away from it at the same steps count too: they see only the slope of the
/// point's own side, so a rule with the other side's slope there still fails. A partial of ±∞ at a finite point agrees with no finite
/// difference. Where the function is not finite on both
/// sides of the point (outside its domain) the point is skipped. At ±∞ the recorded value must equal the
/// <see cref="double"/> function's, and a partial of an input that is finite must not be NaN where the function's value
/// is finite. Exactly at a kink (0, a branch point, or a point on a branch line) the central differences give the average of
/// the one-sided slopes and a correct rule may take either side's, so one-sided differences on both sides (and Aitken's
/// extrapolation of each side's three finest) count as well; an infinite partial there must be met by one side's
/// differences growing without bound. A point within rounding of a kink (64·ε of the terms it was solved from) is at it:
/// the function's own comparison may put it on either side.</para>
/// <para>Branches: the generator marks every comparison with a constant of an input, of its magnitude, or of an affine
/// form of either, in the function or its rules (<see cref="BranchPointAttribute"/>: <c>x &lt; 20</c> marks 20,
/// <c>Math.Abs(r) &lt;= 5</c> marks ±5), and the sweep checks both sides of each, 10⁻⁴·max(1, |v|) away, so a rule that is
/// wrong on one side of a conditional, or switches at another point than the function, is caught there; and the point
/// itself, where a special case (<c>x == 1 ? 1 : …</c>) holds and nowhere else.</para>
/// <para>Branch lines: a comparison whose two sides are affine in two inputs with constant coefficients
/// (a·x + b = c·y + d after moving terms: <c>x &lt; y</c>, <c>x - y &gt; 2</c>, <c>2 * x &lt;= y + 1</c>,
/// <c>Math.Abs(x - y) &lt; 1</c>) is marked as the line x = s·y + o (<see cref="BranchSurfaceAttribute"/>). From the
/// ordinary point (x₀, y₀) the branch points start from, the sweep checks x = v ∓ 10⁻⁴·max(1, |v|) and v with v = s·y₀ + o
/// and y = w ∓ 10⁻⁴·max(1, |w|) and w with w = (x₀ − o)/s, the other inputs at ordinary values, so a rule that switches on another
/// line than the function (wrong only between the two, where no ordinary or edge point lands) is caught there. Near a line,
/// its crossing of each input is a kink of that input as above: along y the point is only 10⁻⁴·max(1, |v|)/|s| from it,
/// which a steep line brings closer than every central step.</para>
/// <para>Second order: at the ordinary points, the exact Hessian (<see cref="AD.Hessian(Func{Var[], Var}, double[])"/>, from the
/// generated second-order rules) must agree with <see cref="GradCheck.FiniteDifferenceHessian"/> to the same tolerances. A
/// function whose rules the generator could not differentiate once more is listed in
/// <see cref="DeclaredOpSweepReport.WithoutSecondOrder"/> rather than failed: its gradients are still right.</para>
/// <para>Tensor kernels: the generated <see cref="Tensor"/> overload is a second implementation (vector bodies, the
/// library's vector exponential and logarithm, loops for inputs broadcast from a scalar, a fused loop while recording), so
/// at the same points its values and the gradient of the sum of its outputs must agree with the <see cref="Var"/>
/// overload's within the same tolerances, with every input a vector and with one input a vector and the others rank-0
/// tensors (<see cref="DeclaredOpSweepReport.TensorKernelsChecked"/>).</para>
/// <para>Call it from a test: <c>DeclaredOpSweep.Assert(typeof(MyFunctions));</c></para>
/// </remarks>
public static class DeclaredOpSweep
{
    private static readonly double[] Ordinary = [-2.3, -0.7, 0.45, 1.3, 3.1];

    // GradCheck's step relative to max(1, |x|), ε^(1/5): its first differences' and its FiniteDifferenceHessian's.
    private static readonly double StepScale = Math.Pow(2, -52 * 0.2);
    private static readonly double[] Edges = [25, -25, 100, -100, 1e3, -1e3, 1e-8, -1e-8, 0.0, 1e-2, -1e-2, double.PositiveInfinity, double.NegativeInfinity];

    /// <summary>Sweeps every declared function of <paramref name="declaringType"/> and reports what disagreed.</summary>
    /// <param name="declaringType">The static partial class holding the <c>[Differentiable]</c> declarations.</param>
    /// <param name="relativeTolerance">rtol of the comparison |AD − FD| ≤ atol + rtol·max(|AD|, |FD|).</param>
    /// <param name="absoluteTolerance">atol, scaled by max(1, |f(x)|) since finite differences lose ε·|f|/h.</param>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance is negative, NaN or infinite.</exception>
    public static DeclaredOpSweepReport Run(Type declaringType, double relativeTolerance = 1e-5, double absoluteTolerance = 1e-10)
    {
        ArgumentNullException.ThrowIfNull(declaringType);
        GradCheckReport.ValidateTolerances(relativeTolerance, absoluteTolerance);
        var failures = new List<DeclaredOpSweepFailure>();
        var functions = new List<string>();
        var withoutSecondOrder = new List<string>();
        var tensorKernelsChecked = new List<string>();
        int points = 0;
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
        foreach (var forward in declaringType.GetMethods(all).Where(m => m.GetCustomAttribute<DifferentiableAttribute>() is not null))
        {
            var parameters = forward.GetParameters();
            var recorded = declaringType.GetMethod(forward.Name, all, parameters.Select(_ => typeof(Var)).ToArray());
            if (recorded is null)
            {
                failures.Add(new DeclaredOpSweepFailure(forward.Name, [], -1, double.NaN, double.NaN,
                    "no generated Var overload was found (is the AutoDiff generator referenced as an analyzer?)"));
                continue;
            }

            functions.Add(forward.Name);
            var branchPoints = recorded.GetCustomAttributes<BranchPointAttribute>()
                .Select(b => (Input: Array.FindIndex(parameters, p => p.Name == b.Input), b.Value))
                .Where(b => b.Input >= 0)
                .ToArray();
            var surfaces = recorded.GetCustomAttributes<BranchSurfaceAttribute>()
                .Select(b => new Surface(Array.FindIndex(parameters, p => p.Name == b.Input), Array.FindIndex(parameters, p => p.Name == b.Other), b.Slope, b.Offset))
                .Where(b => b.Input >= 0 && b.Other >= 0 && b.Input != b.Other && double.IsFinite(b.Slope) && b.Slope != 0.0 && double.IsFinite(b.Offset))
                .ToArray();
            // 0 is where |x|, Sign and most other kinks of derived rules sit, whether or not a comparison marks it.
            var kinks = Enumerable.Range(0, parameters.Length)
                .Select(i => branchPoints.Where(b => b.Input == i).Select(b => b.Value).Append(0.0).Distinct().Select(Kink.Of).ToArray())
                .ToArray();
            // A branch point at an edge value (x < 0 at 0) or a crossing at the ordinary point is swept once.
            var swept = PointsFor(parameters.Length).Concat(BothSides(parameters.Length, branchPoints.Concat(Crossings(parameters.Length, surfaces))))
                .DistinctBy(p => PointKey(p))
                .ToList();
            points += swept.Count;
            foreach (var point in swept)
            {
                Check(forward, recorded, point, KinksAt(point, kinks, surfaces), relativeTolerance, absoluteTolerance, failures);
            }

            if (declaringType.GetMethod(forward.Name, all, parameters.Select(_ => typeof(Tensor)).ToArray()) is { } tensorOverload)
            {
                TensorKernelCheck.Run(forward.Name, recorded, tensorOverload, swept, relativeTolerance, absoluteTolerance, failures);
                tensorKernelsChecked.Add(forward.Name);
            }

            for (int k = 0; k < Ordinary.Length; k++)
            {
                var ordinary = OrdinaryPoint(parameters.Length, k);
                if (!CheckSecondOrder(forward, recorded, ordinary, KinksAt(ordinary, kinks, surfaces), relativeTolerance, absoluteTolerance, failures))
                {
                    withoutSecondOrder.Add(forward.Name);
                    break;
                }
            }
        }

        return new DeclaredOpSweepReport(functions, points, failures) { WithoutSecondOrder = withoutSecondOrder, TensorKernelsChecked = tensorKernelsChecked };
    }

    /// <summary>Runs <see cref="Run"/> and throws <see cref="InvalidOperationException"/> listing every disagreement.</summary>
    public static DeclaredOpSweepReport Assert(Type declaringType, double relativeTolerance = 1e-5, double absoluteTolerance = 1e-10)
    {
        var report = Run(declaringType, relativeTolerance, absoluteTolerance);
        if (report.Failures.Count > 0)
        {
            throw new InvalidOperationException(
                $"{report.Failures.Count} of {report.PointsChecked} points disagree:\n" + string.Join("\n", report.Failures.Take(20)));
        }

        return report;
    }

    private static IEnumerable<double[]> PointsFor(int arity)
    {
        // Ordinary points: each input cycles through the ordinary values, offset so inputs differ (no accidental ties).
        for (int k = 0; k < Ordinary.Length; k++)
        {
            yield return OrdinaryPoint(arity, k);
        }

        for (int i = 0; i < arity; i++)
        {
            foreach (double edge in Edges)
            {
                var point = OrdinaryPoint(arity, 1);
                point[i] = edge;
                yield return point;
            }
        }
    }

    private static void Check(MethodInfo forward, MethodInfo recorded, double[] point, Kink[][] kinks, double rtol, double atol, List<DeclaredOpSweepFailure> failures)
    {
        double plain = Evaluate(forward, point);
        var f = RecordedFunction(recorded);
        double[] ad;
        double recordedValue;
        try
        {
            (recordedValue, ad) = AD.ValueAndGrad(f, point);
        }
        catch (TargetInvocationException e)
        {
            failures.Add(new DeclaredOpSweepFailure(forward.Name, point, -1, double.NaN, double.NaN, "threw " + e.InnerException?.GetType().Name));
            return;
        }

        if (!(recordedValue.Equals(plain)))
        {
            failures.Add(new DeclaredOpSweepFailure(forward.Name, point, -1, recordedValue, plain, "the recorded value differs from the double function's"));
            return;
        }

        if (point.Any(double.IsInfinity))
        {
            for (int i = 0; i < point.Length; i++)
            {
                if (double.IsFinite(point[i]) && double.IsFinite(plain) && double.IsNaN(ad[i]))
                {
                    failures.Add(new DeclaredOpSweepFailure(forward.Name, point, i, ad[i], double.NaN, "NaN partial of a finite input where the value is finite"));
                }
            }

            return;
        }

        if (!double.IsFinite(plain))
        {
            return;
        }

        for (int i = 0; i < point.Length; i++)
        {
            // GradCheck's step, two smaller ones, and a step relative to |x| for points near 0 or a pole.
            double step = StepScale;
            double h = step * Math.Max(1.0, Math.Abs(point[i]));
            double closest = double.NaN;
            bool agrees = false, anyFinite = false;
            void Consider(double fd)
            {
                if (!double.IsFinite(fd))
                {
                    return;
                }

                anyFinite = true;
                if (double.IsNaN(closest) || Math.Abs(fd - ad[i]) < Math.Abs(closest - ad[i]))
                {
                    closest = fd;
                }

                // An infinite partial agrees with no finite difference: its tolerance rtol·max(|AD|, |FD|) would be ∞ too, and
                // |∞ − FD| ≤ ∞ would hold.
                agrees |= double.IsFinite(ad[i]) && WithinTolerance(ad[i], fd, plain, rtol, atol);
            }

            // Within the largest step of a kink, every central step that is not too small for rounding straddles it (at
            // x = 10⁻⁸ beside |x|'s kink, the one that does not, ≈ 7·10⁻¹², loses ε|f|/h ≈ 4·10⁻⁵): one-sided differences
            // that step away from the kink see only the slope of x's own side, which a correct rule must match there.
            var kink = kinks[i].MinBy(k => Math.Abs(point[i] - k.Value));
            // Exactly at a kink (0, a branch point: x < 25 at 25, or on a branch line) the central differences give the
            // average of the one-sided slopes, and a correct rule may take either side's: one-sided differences on both
            // sides count. A rule that is right beside 0 and wrong at 0 itself matches none of them. Within the rounding of
            // the kink's solution the point is at it too: which side the function's own comparison puts it on is not known.
            bool atKink = kink.IsAt(point[i]);
            double away = !atKink && Math.Abs(point[i] - kink.Value) <= h ? Math.Sign(point[i] - kink.Value) : 0.0;
            double[] sides = atKink ? [1.0, -1.0] : away != 0.0 ? [away] : [];
            double[] trials = [h, h * 1e-2, h * 1e-4, step * Math.Abs(point[i])];
            var oneSided = new double[sides.Length, trials.Length];
            for (int t = 0; t < trials.Length; t++)
            {
                double trial = trials[t];
                for (int s = 0; s < sides.Length; s++)
                {
                    oneSided[s, t] = double.NaN;
                }

                if (trial == 0.0)
                {
                    continue;
                }

                Consider(CentralDifference(forward, point, i, trial));
                for (int s = 0; s < sides.Length; s++)
                {
                    if (!Crosses(kinks[i], point[i], point[i] + sides[s] * trial))
                    {
                        oneSided[s, t] = OneSidedDifference(forward, point, i, sides[s] * trial);
                        Consider(oneSided[s, t]);
                    }
                }
            }

            // At a kink a side's slope can be approached slowly: x^1.3 at 0 has the slope 0 and one-sided differences
            // 0.625·h^0.3 (0.072, 0.018, 0.0045 at the three steps). Where the three converge geometrically (each gap a
            // fixed fraction of the last), Aitken's extrapolation e₃ − (e₂ − e₃)²/((e₁ − e₂) − (e₂ − e₃)) estimates the limit.
            for (int s = 0; s < sides.Length && atKink; s++)
            {
                double gap1 = oneSided[s, 0] - oneSided[s, 1], gap2 = oneSided[s, 1] - oneSided[s, 2];
                double ratio = gap2 / gap1;
                if (ratio > 0.0 && ratio < 1.0)
                {
                    Consider(oneSided[s, 2] - gap2 * gap2 / (gap1 - gap2));
                }
            }

            // An infinite partial at a kink (√x at 0) is right where the one-sided differences of a side grow without
            // bound towards it as the step shrinks: of its sign, strictly larger at each step, 10 times the first by the
            // third (√x: 67, 672, 6720). A finite slope's differences converge instead.
            if (atKink && double.IsInfinity(ad[i]))
            {
                for (int s = 0; s < sides.Length; s++)
                {
                    double first = oneSided[s, 0] * Math.Sign(ad[i]), second = oneSided[s, 1] * Math.Sign(ad[i]), third = oneSided[s, 2] * Math.Sign(ad[i]);
                    agrees |= first > 0.0 && second > first && third > second && third >= 10.0 * first;
                }
            }

            if (anyFinite && !agrees)
            {
                failures.Add(new DeclaredOpSweepFailure(forward.Name, point, i, ad[i], closest, "AD and finite differences disagree at every step"));
            }
        }
    }

    // Just below, at, and just above each branch point of an input, the others at ordinary values: below and above far
    // enough (10⁻⁴ relative) that the smallest finite-difference step does not straddle it; at it, where a special case
    // (x == 1 ? 1 : sin(x − 1)/(x − 1)) or a tie (x == y) takes the branch the comparison picks there and nowhere else.
    private static IEnumerable<double[]> BothSides(int arity, IEnumerable<(int Input, double Value)> branchPoints)
    {
        foreach (var (input, value) in branchPoints)
        {
            double offset = 1e-4 * Math.Max(1.0, Math.Abs(value));
            foreach (double side in (double[])[value - offset, value, value + offset])
            {
                var point = OrdinaryPoint(arity, 1);
                point[input] = side;
                yield return point;
            }
        }
    }

    // Where each line x = s·y + o of two inputs crosses the ordinary point BothSides starts from: x = s·y + o at its y, and
    // y = (x − o)/s at its x. Checked on both sides and on the line as branch points are, so each input steps across it.
    private static IEnumerable<(int Input, double Value)> Crossings(int arity, IEnumerable<Surface> surfaces)
    {
        var ordinary = OrdinaryPoint(arity, 1);
        return surfaces.SelectMany(s => (IEnumerable<(int Input, double Value)>)[(s.Input, s.InputOn(ordinary).Value), (s.Other, s.OtherOn(ordinary).Value)])
            .Where(c => double.IsFinite(c.Value));
    }

    // The kinks of each input at this point: its branch points and 0, and where it meets each line through the point's
    // other coordinates (x = s·y + o at this y, y = (x − o)/s at this x), so one-sided differences treat a line as they do a
    // point: they step away from it and do not reach across it.
    private static Kink[][] KinksAt(double[] point, Kink[][] kinks, Surface[] surfaces)
    {
        if (surfaces.Length == 0)
        {
            return kinks;
        }

        return kinks.Select((own, i) => own
                .Concat(surfaces.Where(s => s.Input == i).Select(s => s.InputOn(point)))
                .Concat(surfaces.Where(s => s.Other == i).Select(s => s.OtherOn(point)))
                .Where(k => double.IsFinite(k.Value))
                .Distinct()
                .ToArray())
            .ToArray();
    }

    // A line Input = Slope·Other + Offset of two inputs, by their positions (BranchSurfaceAttribute).
    private readonly record struct Surface(int Input, int Other, double Slope, double Offset)
    {
        // x on the line at the point's y, and y on it at the point's x, each with the rounding of its terms.
        public Kink InputOn(double[] point)
        {
            double value = Slope * point[Other] + Offset;
            return new Kink(value, Kink.RoundingUlps * DoublePrecision.Epsilon * (Math.Abs(value) + Math.Abs(Slope * point[Other]) + Math.Abs(Offset)));
        }

        public Kink OtherOn(double[] point)
        {
            double value = (point[Input] - Offset) / Slope;
            return new Kink(value, Kink.RoundingUlps * DoublePrecision.Epsilon * (Math.Abs(value) + (Math.Abs(point[Input]) + Math.Abs(Offset)) / Math.Abs(Slope)));
        }
    }

    // Where an input's slope may change, and how far from it a point still counts as on it: the kink was solved from the
    // comparison by the generator (0.135 / 0.3 = 0.45000000000000007 for 0.3 * x < 0.135) and the function evaluates the
    // comparison with roundings of its own (0.3 · 0.45 = 0.135, so 0.45 is on the side x ≥ 0.45): within a few rounding
    // errors of the terms, the side the function takes is not known.
    private readonly record struct Kink(double Value, double Slack)
    {
        public const double RoundingUlps = 64;

        public static Kink Of(double value) => new(value, RoundingUlps * DoublePrecision.Epsilon * Math.Abs(value));

        public bool IsAt(double x) => Math.Abs(x - Value) <= Slack;
    }

    private static double[] OrdinaryPoint(int arity, int k) => Enumerable.Range(0, arity).Select(i => Ordinary[(k + 2 * i) % Ordinary.Length]).ToArray();

    // False when the function has no second-order rule (NotSupportedException from the Hessian).
    private static bool CheckSecondOrder(MethodInfo forward, MethodInfo recorded, double[] point, Kink[][] kinks, double rtol, double atol, List<DeclaredOpSweepFailure> failures)
    {
        var f = RecordedFunction(recorded);
        double plain = Evaluate(forward, point);
        if (!double.IsFinite(plain))
        {
            return true;
        }

        double[,] hessian;
        try
        {
            hessian = AD.Hessian(f, point);
        }
        catch (TargetInvocationException e) when (e.InnerException is NotSupportedException)
        {
            return false;
        }

        var reference = GradCheck.FiniteDifferenceHessian(f, point);
        for (int j = 0; j < point.Length; j++)
        {
            // Column j differences the gradient along input j, at ± the step GradCheck takes there: across a kink of that
            // input (a branch point, or where a branch line crosses it) it mixes two sides' second derivatives, and a
            // correct rule would fail. The other ordinary points check that column.
            double step = StepScale * Math.Max(1.0, Math.Abs(point[j]));
            if (kinks[j].Any(k => Math.Abs(point[j] - k.Value) <= step))
            {
                continue;
            }

            for (int i = 0; i < point.Length; i++)
            {
                double h = hessian[i, j], fd = reference[i, j];
                if (double.IsFinite(fd) && !(double.IsFinite(h) && WithinTolerance(h, fd, plain, rtol, atol)))
                {
                    failures.Add(new DeclaredOpSweepFailure(forward.Name, point, i, h, fd,
                        $"second derivative with respect to inputs {i} and {j}: the exact Hessian and finite differences of the gradient disagree"));
                }
            }
        }

        return true;
    }

    // The generated Var overload as a function of an array of Vars.
    internal static Func<Var[], Var> RecordedFunction(MethodInfo recorded) => v => (Var)recorded.Invoke(null, v.Cast<object>().ToArray())!;

    // A point's identity, bit for bit (so −0 ≠ 0 and NaNs of one payload match), leaving out the input `except`.
    internal static string PointKey(double[] point, int except = -1) =>
        string.Join(",", point.Select((x, j) => j == except ? "" : BitConverter.DoubleToInt64Bits(x).ToString(CultureInfo.InvariantCulture)));

    // The sweep's agreement of two finite numbers, f the function's value (finite): |a − b| ≤ k·atol·max(1, |f|) +
    // rtol·max(|a|, |b|), k the number of terms an absolute error may have gathered from (1 for one partial).
    internal static bool WithinTolerance(double a, double b, double value, double rtol, double atol, double terms = 1.0) =>
        Math.Abs(a - b) <= terms * atol * Math.Max(1.0, Math.Abs(value)) + rtol * Math.Max(Math.Abs(a), Math.Abs(b));

    // Richardson-extrapolated central difference of the double function, as GradCheck's.
    private static double CentralDifference(MethodInfo forward, double[] point, int i, double h) =>
        (4.0 * Slope(forward, point, i, h / 2, -h / 2) - Slope(forward, point, i, h, -h)) / 3.0;

    // Richardson-extrapolated forward difference (backward for h < 0): error O(h²) like the central one, from values on
    // one side of point[i] only.
    private static double OneSidedDifference(MethodInfo forward, double[] point, int i, double h) =>
        2.0 * Slope(forward, point, i, h / 2, 0.0) - Slope(forward, point, i, h, 0.0);

    // The secant slope in input i between point[i] + a and point[i] + b, divided by the distance the rounded inputs
    // actually are apart.
    private static double Slope(MethodInfo forward, double[] point, int i, double a, double b)
    {
        var up = (double[])point.Clone();
        var down = (double[])point.Clone();
        up[i] += a;
        down[i] += b;
        return (Evaluate(forward, up) - Evaluate(forward, down)) / (up[i] - down[i]);
    }

    // Whether a one-sided stencil from x to end reaches another kink (not the one x is at), where the slope it measures
    // could change.
    private static bool Crosses(Kink[] kinks, double x, double end) => kinks.Any(k => !k.IsAt(x) && (k.Value - x) * (k.Value - end) <= 0.0);

    private static double Evaluate(MethodInfo forward, double[] point) => (double)forward.Invoke(null, point.Cast<object>().ToArray())!;
}

/// <summary>What <see cref="DeclaredOpSweep.Run"/> checked and what disagreed.</summary>
/// <param name="Functions">The declared functions found.</param>
/// <param name="PointsChecked">The number of points evaluated over all of them.</param>
/// <param name="Failures">Every disagreement.</param>
public sealed record DeclaredOpSweepReport(IReadOnlyList<string> Functions, int PointsChecked, IReadOnlyList<DeclaredOpSweepFailure> Failures)
{
    /// <summary>The functions Hessians cannot pass through: the generator could not differentiate their rules once more.</summary>
    public IReadOnlyList<string> WithoutSecondOrder { get; init; } = [];

    /// <summary>
    /// The functions whose generated tensor kernel was compared with their <see cref="Var"/> overload at the swept points
    /// (values, and partials of Sum(f(x)) with every input a vector and with one input a vector and the others rank-0, those
    /// at each point alone and summed over the points).
    /// </summary>
    public IReadOnlyList<string> TensorKernelsChecked { get; init; } = [];
}

/// <summary>One disagreement found by <see cref="DeclaredOpSweep"/>.</summary>
/// <param name="Function">The declared function.</param>
/// <param name="Point">Its inputs.</param>
/// <param name="Input">The input whose partial disagreed, or −1 for the value.</param>
/// <param name="Ad">What AD recorded (for a tensor-kernel failure: what the tensor kernel computed).</param>
/// <param name="Reference">The finite difference closest to it, the double function's value, or (for a tensor-kernel
/// failure) the <see cref="Var"/> overload's value or partial.</param>
/// <param name="Reason">Why it failed.</param>
public sealed record DeclaredOpSweepFailure(string Function, double[] Point, int Input, double Ad, double Reference, string Reason)
{
    /// <summary>A line naming the function, point, input and both values.</summary>
    public override string ToString()
    {
        // A tensor-kernel failure compares the kernel with the Var overload, not AD with finite differences.
        var (ad, reference) = Reason.StartsWith("the tensor", StringComparison.Ordinal) ? ("tensor kernel", "Var overload") : ("AD", "reference");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Function}({string.Join(", ", Point.Select(p => p.ToString("R", CultureInfo.InvariantCulture)))}), input {Input}: {ad} {Ad:R}, {reference} {Reference:R}: {Reason}");
    }
}
