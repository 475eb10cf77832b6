using System;
using System.Linq;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// The three oracles a random <see cref="TensorProgram"/> is held to at a point x0 (and a second point x1):
/// (1) <c>AD.ValueAndGrad</c> agrees with central finite differences, along a random direction, at x0 (skipped where
/// the value, the gradient or an intermediate is not finite or huge, or a MaxAlong's two largest entries are closer than
/// the step);
/// (2) <c>AD.Compile</c>'s replays at x0, at x1 and at x0 again give the value and gradients of a fresh
/// <c>AD.ValueAndGrad</c> at that point bit for bit, any NaN matching any NaN (docs/tensors.md, "Compiled gradients":
/// which NaN comes out may differ); a program that converts a traced tensor into a variable Var makes
/// <c>AD.Compile</c> throw <see cref="NotSupportedException"/> instead;
/// (3) the program recorded inside a scope nested in another, on leaves of the outer one, gives the same value and
/// gradients bit for bit, and under <c>NoGrad</c> the same value.
/// </summary>
internal static class TensorProgramOracles
{
    /// <summary>Null if every oracle holds, else what failed.</summary>
    public static string? Check(TensorProgram program, Tensor[] x0, Tensor[] x1, Random random, TensorProgramCounts counts)
    {
        counts.Programs++;
        Func<Tensor[], Tensor> f = p => program.Run(p);
        var (value, gradients) = AD.ValueAndGrad(f, x0);
        var g = gradients.Select(t => t.ToArray()).ToArray();
        if (Unrecorded(program, x1) is { } atX1)
        {
            return "at x1: " + atX1;
        }

        // Recorded under CheckFinite (every operation on the slow path, no fold) at a point where nothing overflows.
        if (double.IsFinite(value) && g.All(a => a.All(double.IsFinite)))
        {
            try
            {
                using (AutoDiff.Tape.CheckFinite())
                {
                    var (checkedValue, checkedGradients) = AD.ValueAndGrad(f, x0);
                    if (!SameBits.ButNaNSign(value, checkedValue) || checkedGradients.Select(t => t.ToArray()).Zip(g).Any(p => !SameBits.ButNaNSign(p.Second, p.First)))
                    {
                        return "value or gradient recorded under CheckFinite differs";
                    }
                }
            }
            catch (NonFiniteValueException)
            {
                // An intermediate overflowed or a local partial is infinite although the result is finite.
            }
        }

        // Last at x0, so that MaxGap is x0's.
        if (Unrecorded(program, x0) is { } atX0)
        {
            return atX0;
        }

        if (FiniteDifferences(program, x0, value, g, random, counts) is { } fd)
        {
            return fd;
        }

        return Compiled(program, f, x0, x1, value, g, counts);
    }

    // Oracle 3 at x: the value under NoGrad, and value and gradients recorded in a nested scope, against AD.ValueAndGrad.
    private static string? Unrecorded(TensorProgram program, Tensor[] x)
    {
        var (value, gradients) = AD.ValueAndGrad(p => program.Run(p), x);
        double noGrad;
        using (AutoDiff.Tape.NoGrad())
        {
            noGrad = program.Run(x, probe: true).Item();
        }

        if (!SameBits.ButNaNSign(value, noGrad))
        {
            return $"NoGrad value {noGrad:R} differs from the recorded {value:R}";
        }

        return Nested(program, x, value, [.. gradients.Select(t => t.ToArray())]);
    }

    private static string? Nested(TensorProgram program, Tensor[] x0, double value, double[][] g)
    {
        using (AutoDiff.Tape.Scope())
        {
            var leaves = x0.Select(Tensor.Leaf).ToArray();
            // Something recorded in the outer scope before the inner one opens, that the program does not read.
            var decoy = AutoDiff.Ops.Sum(AutoDiff.Ops.Tanh(leaves[0]));
            using (AutoDiff.Tape.Scope())
            {
                // Twice in the same scope: the second recording's sweep meets the adjoints the first one left.
                for (int run = 0; run < 2; run++)
                {
                    var result = program.Run(leaves);
                    result.Backward();
                    double nestedValue = result.Item();
                    if (!SameBits.ButNaNSign(value, nestedValue))
                    {
                        return $"nested-scope value (run {run}) {nestedValue:R} differs from AD.ValueAndGrad's {value:R}";
                    }

                    for (int i = 0; i < g.Length; i++)
                    {
                        var nested = leaves[i].Grad.ToArray();
                        if (!SameBits.ButNaNSign(g[i], nested))
                        {
                            return $"nested-scope gradient (run {run}) of input {i} [{string.Join(", ", nested)}] differs from AD.ValueAndGrad's [{string.Join(", ", g[i])}]";
                        }
                    }
                }
            }

            GC.KeepAlive(decoy);
        }

        return null;
    }

    private static double ValueAt(TensorProgram program, Tensor[] x0, double[] direction, double h)
    {
        int offset = 0;
        var shifted = new Tensor[x0.Length];
        for (int i = 0; i < x0.Length; i++)
        {
            var data = x0[i].ToArray();
            for (int j = 0; j < data.Length; j++)
            {
                data[j] += h * direction[offset++];
            }

            shifted[i] = Tensor.FromArray(data, x0[i].Shape);
        }

        using (AutoDiff.Tape.NoGrad())
        {
            return program.Run(shifted).Item();
        }
    }

    // The derivative along a random direction d, Richardson-extrapolated central differences at two step sizes (the
    // one that agrees better is kept), against Σ gᵢ·dᵢ; tolerance 1e−5 of the sum of |gᵢ·dᵢ|, plus rounding.
    private static string? FiniteDifferences(TensorProgram program, Tensor[] x0, double value, double[][] g, Random random, TensorProgramCounts counts)
    {
        var flat = g.SelectMany(v => v).ToArray();
        if (!double.IsFinite(value) || Math.Abs(value) > 1e6 || flat.Any(v => !double.IsFinite(v) || Math.Abs(v) > 1e6) || program.MaxGap < 1e-2 || program.LargestMagnitude > 1e5)
        {
            counts.FiniteDifferenceSkipped++;
            return null;
        }

        counts.FiniteDifferenceChecks++;
        var direction = flat.Select(_ => 2 * random.NextDouble() - 1).ToArray();
        double ad = 0, scale = 0;
        for (int i = 0; i < flat.Length; i++)
        {
            ad += flat[i] * direction[i];
            scale += Math.Abs(flat[i] * direction[i]);
        }

        double best = double.PositiveInfinity, bestFd = double.NaN;
        foreach (double h in new[] { 1e-3, 1e-4 })
        {
            double Central(double step) => (ValueAt(program, x0, direction, step) - ValueAt(program, x0, direction, -step)) / (2 * step);
            double fd = (4 * Central(h / 2) - Central(h)) / 3;
            double error = Math.Abs(fd - ad);
            double tolerance = 1e-5 * (scale + Math.Abs(fd)) + 1e-9 * Math.Max(1, Math.Abs(value)) / h;
            if (error <= tolerance)
            {
                return null;
            }

            if (error < best)
            {
                (best, bestFd) = (error, fd);
            }
        }

        // A function that varies much faster than the step (sin of a large exponential) defeats a fixed step: judge it
        // coordinate by coordinate with GradCheck's adaptive steps before calling it a failure.
        counts.FiniteDifferenceRechecks++;
        var numeric = GradCheck.FiniteDifferenceGradient(v => program.Run(Split(v, x0)), [.. x0.SelectMany(t => t.ToArray())]);
        for (int i = 0; i < flat.Length; i++)
        {
            if (Math.Abs(numeric[i] - flat[i]) > 1e-5 * Math.Max(Math.Abs(numeric[i]), Math.Abs(flat[i])) + 1e-8 * Math.Max(1, Math.Abs(value)))
            {
                return $"gradient element {i} {flat[i]:R} differs from finite differences {numeric[i]:R} (along a direction {ad:R} against {bestFd:R}; value {value:R})";
            }
        }

        return null;
    }

    // The inputs of x0's shapes holding the values of v, in order.
    private static Tensor[] Split(Var[] v, Tensor[] x0)
    {
        int offset = 0;
        return [.. x0.Select(t =>
        {
            var data = new double[t.Size];
            for (int j = 0; j < data.Length; j++)
            {
                data[j] = v[offset++].Value;
            }

            return Tensor.FromArray(data, t.Shape);
        })];
    }

    private static string? Compiled(TensorProgram program, Func<Tensor[], Tensor> f, Tensor[] x0, Tensor[] x1, double value, double[][] g, TensorProgramCounts counts)
    {
        if (program.UsesVariableVars)
        {
            try
            {
                AD.Compile(f, x0);
                return "AD.Compile accepted a program that converts a traced tensor into a variable Var";
            }
            catch (NotSupportedException)
            {
                counts.CompileRefusals++;
                return null;
            }
        }

        var compiled = AD.Compile(f, x0);
        var (value1, gradients1) = AD.ValueAndGrad(f, x1);
        var g1 = gradients1.Select(t => t.ToArray()).ToArray();
        foreach (var (x, v, grad, name) in new[] { (x0, value, g, "x0"), (x1, value1, g1, "x1"), (x0, value, g, "x0 again") })
        {
            counts.CompiledReplays++;
            var (cv, cg) = compiled.ValueAndGrad(x);
            if (!SameBits.ButNaNSign(v, cv))
            {
                return $"compiled value at {name} {cv:R} differs from AD.ValueAndGrad's {v:R}";
            }

            // The buffer overload writes the same numbers into arrays the caller keeps.
            var buffers = grad.Select(d => new double[d.Length]).ToArray();
            double bv = compiled.ValueAndGrad(x, buffers);
            if (!SameBits.ButNaNSign(v, bv))
            {
                return $"compiled value (buffers) at {name} {bv:R} differs from AD.ValueAndGrad's {v:R}";
            }

            for (int i = 0; i < grad.Length; i++)
            {
                foreach (var (c, form) in new[] { (cg[i].ToArray(), ""), (buffers[i], " (buffers)") })
                {
                    if (!SameBits.ButNaNSign(grad[i], c))
                    {
                        return $"compiled gradient{form} of input {i} at {name} [{string.Join(", ", c.Select(d => d.ToString("R")))}] differs from AD.ValueAndGrad's [{string.Join(", ", grad[i].Select(d => d.ToString("R")))}]";
                    }
                }
            }
        }

        return null;
    }
}
