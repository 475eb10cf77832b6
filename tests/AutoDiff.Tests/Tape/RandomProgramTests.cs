using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

/// <summary>
/// Random tensor programs (64 × 32, sums, means along axes and over all, broadcasts, views, transposes, row gathers,
/// intermediates read several times, two sweeps per scope) against finite differences: the gradient along a random
/// direction, and the Hessian-vector product against central differences of gradients. Written by the independent review
/// of the lazy and uniform adjoints, which these caught regressions of in the Hessian path.
/// </summary>
public class RandomProgramTests
{
    private const int R = 64, C = 32;
    private readonly ITestOutputHelper _out;

    public RandomProgramTests(ITestOutputHelper output) => _out = output;

    // One random step on two tensors of the pool: elementwise ops, broadcasts from axis and whole-tensor means and sums,
    // views, a transpose, a row gather, concatenation of views. Ops at or above `ops` are not drawn.
    private static Tensor Step(Tensor a, Tensor b, int op) => op switch
    {
        0 => a + b,
        1 => a - b,
        2 => a * b,
        3 => a / (2.0 + Square(b)),
        4 => Tanh(a),
        5 => Square(a) * 0.1,
        6 => a * 0.7 + 0.3,
        7 => a * Mean(b, 0),                       // [32] broadcast
        8 => a + Sum(b, 1, keepDims: true) * 0.01, // [64, 1] broadcast
        9 => a * Mean(b),                          // rank-0 broadcast
        10 => a.Reshape(C, R).T,                   // view and transpose
        11 => Rows(a, [.. Enumerable.Range(0, R).Select(i => (i * 7 + 3) % R)]),
        12 => Sin(a) - a,
        13 => a - a * b,
        14 => Concat(1, a.Reshape(R, C).Reshape(R * C / 2, 2).Reshape(R, C)), // views
        _ => 2.0 * a / 3.0,
    };

    // A pool of tensors grown from x by random steps, each reading any earlier one; returns the pool.
    private static List<Tensor> Pool(Tensor x, Random rnd, int maxSteps, int ops, Func<int, int> allowed, List<string>? log)
    {
        var pool = new List<Tensor> { x };
        int steps = rnd.Next(3, maxSteps);
        for (int s = 0; s < steps; s++)
        {
            int op = allowed(rnd.Next(ops));
            Tensor a = pool[rnd.Next(pool.Count)], b = pool[rnd.Next(pool.Count)];
            log?.Add(op.ToString(System.Globalization.CultureInfo.InvariantCulture));
            pool.Add(Step(a, b, op));
        }

        return pool;
    }

    private static Tensor FirstOrderProgram(Tensor x, int seed, List<string>? log = null)
    {
        var rnd = new Random(seed);
        var pool = Pool(x, rnd, 12, 16, op => op, log);
        int kind = rnd.Next(4);
        var last = pool[^1];
        var other = pool[rnd.Next(pool.Count)];
        return kind switch
        {
            0 => Sum(last),
            1 => Sum(last) + Mean(other * other),
            2 => Mean(Square(last)) + Sum(other),
            _ => Sum(last * 0.5) - Sum(other) * 0.25 + Sum(Tanh(last)),
        };
    }

    [Fact]
    public void Random_programs_gradients_match_finite_differences()
    {
        var rnd = new Random(123);
        double[] x0 = [.. Enumerable.Range(0, R * C).Select(_ => rnd.NextDouble() - 0.5)];
        double[] v = [.. Enumerable.Range(0, R * C).Select(_ => rnd.NextDouble() - 0.5)];
        int failures = 0;
        for (int seed = 0; seed < 400; seed++)
        {
            var xt = Tensor.FromArray(x0, R, C);
            double[] g;
            // Two programs in one scope, both swept: the second sweep meets the first one's stale and uniform regions.
            using (AutoDiff.Tape.Scope())
            {
                var leaf = Tensor.Leaf(xt);
                var other = FirstOrderProgram(leaf, seed + 10000);
                var loss = FirstOrderProgram(leaf, seed);
                other.Backward();
                loss.Backward();
                g = leaf.Grad.ToArray();
            }

            double h = 1e-5;
            double fp = FirstOrderProgram(Tensor.FromArray(x0.Zip(v, (a, b) => a + h * b).ToArray(), R, C), seed).Item();
            double fm = FirstOrderProgram(Tensor.FromArray(x0.Zip(v, (a, b) => a - h * b).ToArray(), R, C), seed).Item();
            double fd = (fp - fm) / (2 * h);
            double ad = g.Zip(v, (a, b) => a * b).Sum();
            if (Math.Abs(fd - ad) > 1e-5 * Math.Max(1, Math.Abs(fd)))
            {
                var log = new List<string>();
                FirstOrderProgram(xt, seed, log);
                _out.WriteLine($"seed {seed}: ad={ad} fd={fd} ops={string.Join(",", log)}");
                failures++;
            }
        }

        Assert.Equal(0, failures);
    }

    private static Tensor SecondOrderProgram(Tensor x, int seed, bool allowSumAll, List<string>? log = null)
    {
        var rnd = new Random(seed);
        var pool = Pool(x, rnd, 10, 14, op => !allowSumAll && op == 9 ? 2 : op, log);
        return Sum(Tanh(pool[^1])) + Mean(Square(pool[rnd.Next(pool.Count)]));
    }

    private static double[] SecondOrderGrad(double[] x, int seed, bool allow) =>
        AD.Grad(p => SecondOrderProgram(p[0], seed, allow), Tensor.FromArray(x, R, C))[0].ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Random_programs_Hessian_vector_products_match_finite_differences_of_gradients(bool allowSumAll)
    {
        var rnd = new Random(7);
        double[] x0 = [.. Enumerable.Range(0, R * C).Select(_ => rnd.NextDouble() - 0.5)];
        double[] v = [.. Enumerable.Range(0, R * C).Select(_ => rnd.NextDouble() - 0.5)];
        double[] w = [.. Enumerable.Range(0, R * C).Select(_ => rnd.NextDouble() - 0.5)];
        int failures = 0;
        for (int seed = 0; seed < 150; seed++)
        {
            double[] hv = AD.HessianVectorProduct(p => SecondOrderProgram(p, seed, allowSumAll), Tensor.FromArray(x0, R, C), Tensor.FromArray(v, R, C)).ToArray();
            double h = 1e-4;
            double[] gp = SecondOrderGrad(x0.Zip(v, (a, b) => a + h * b).ToArray(), seed, allowSumAll);
            double[] gm = SecondOrderGrad(x0.Zip(v, (a, b) => a - h * b).ToArray(), seed, allowSumAll);
            double fd = 0, ad = 0;
            for (int i = 0; i < w.Length; i++)
            {
                fd += w[i] * (gp[i] - gm[i]) / (2 * h);
                ad += w[i] * hv[i];
            }

            if (Math.Abs(fd - ad) > 1e-5 * Math.Max(1, Math.Abs(fd)))
            {
                var log = new List<string>();
                SecondOrderProgram(Tensor.FromArray(x0, R, C), seed, allowSumAll, log);
                _out.WriteLine($"seed {seed}: ad={ad} fd={fd} ops={string.Join(",", log)}");
                failures++;
            }
        }

        _out.WriteLine($"failures {failures}");
        Assert.Equal(0, failures);
    }
}
