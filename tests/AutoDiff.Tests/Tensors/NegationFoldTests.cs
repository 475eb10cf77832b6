using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// The sweep's negation folds (Tape.NegationFolds.cs): the rule of z′ = −z run inside the pass of the rule of an earlier
/// f(z) that kept its partials, when nothing recorded between them can write z's adjoints. Every gradient must keep the
/// bits of a sweep in which each rule runs its own pass (<see cref="SeparateLoops"/>), and −z's own gradient stays readable.
/// </summary>
public class NegationFoldTests
{
    public static TheoryData<string, int> Cases => new()
    {
        // The logistic log-likelihood, on a leaf z and on z = X·w (whose adjoints are cleared lazily).
        { "logistic term", 1 },
        { "logistic term of z = X·w", 1 },

        // The negation's output adjoint is one value for all (it is summed): the fold reads it as such.
        { "a summed negation", 1 },

        // Three operations between f(z) and −z that do not read z: f(z) four records back, as far as the sweep looks.
        { "f(z) four records back", 1 },

        // f(z) six records back: beyond it.
        { "f(z) six records back", 0 },

        // The negation recorded before f(z); z read between f(z) and −z; a scalar operation between them; a function
        // of z that keeps no partials (Abs); z read through a view between them: nothing is folded.
        { "negation first", 0 },
        { "z read between", 0 },
        { "a scalar operation between", 0 },
        { "f keeps no partials", 0 },
        { "z read through a view between", 0 },

        // f(z) does not reach the result: the negation's rule runs alone, where f(z)'s would have run.
        { "f(z) unused", 0 },

        // z of one element named by two tensors, z and the rank-0 tensor made from its Var (the same node, memory of its
        // own), the other one read between f(z) and −z: that reader's rule adds into z̄ between the two rules, so nothing
        // is folded (folded, z̄'s three contributions were added in another order).
        { "z's node read between through a tensor made from its Var", 0 },

        // Two pairs interleaved, f(z), f(w), −w, −z: −z's rule waits for f(z)'s while −w is reached, which then runs its
        // own rule (one fold is pending at a time: noted over the first, it would have lost −z's contribution to z̄).
        { "two pairs interleaved", 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_folded_sweep_keeps_the_bits_of_separate_passes(string name, int folds) => FreshTape.Run(() =>
    {
        var random = new Random(StableSeed.Of(name));
        var tape = AutoDiff.Tape.Current;
        for (int call = 0; call < 3; call++)
        {
            var inputs = ReflectedPairTests.Inputs(random);
            int before = tape.NegationsFolded;
            var result = AD.ValueAndGrad(p => Function(name, p), inputs);
            Assert.Equal(folds, tape.NegationsFolded - before);
            EagerReflectedPairTests.AssertSameBits(name, SeparateLoops.ValueAndGrad(p => Function(name, p), inputs), result);
        }
    });

    [Fact]
    public void The_negations_gradient_stays_readable_and_both_are_the_closed_form() => FreshTape.Run(() =>
    {
        // ∂/∂z′ of y·log σ(z) + log σ(z′) at z′ = −z is σ(−z′) = σ(z); ∂/∂z is y·σ(−z) − σ(z).
        double[] zs = [-30.0, -2.5, -0.0, 0.0, 0.75, 3.0, 12.0, 40.0, -1.0, 1.0, 2.0, -4.0, 5.0, -6.0, 7.0, -8.0, 0.5, -0.5];
        double[] ys = [.. zs.Select((_, i) => (double)(i % 2))];
        var tape = AutoDiff.Tape.Current;
        int before = tape.NegationsFolded;
        using (AutoDiff.Tape.Scope())
        {
            var z = Tensor.Leaf(Tensor.Vector(zs));
            var y = Tensor.Vector(ys);
            var ls = LogSigmoid(z);
            var weighted = y * ls;
            var minusZ = -z;
            Sum(weighted + LogSigmoid(minusZ)).Backward();
            Assert.Equal(1, tape.NegationsFolded - before);
            double[] dz = z.Grad.ToArray(), dMinusZ = minusZ.Grad.ToArray();
            for (int i = 0; i < zs.Length; i++)
            {
                double sigma = 1.0 / (1.0 + Math.Exp(-zs[i])), reflected = 1.0 / (1.0 + Math.Exp(zs[i]));
                Assert.True(Math.Abs(dMinusZ[i] - sigma) <= 2e-16, $"−z's gradient at z = {zs[i]}: {dMinusZ[i]:R}, closed form {sigma:R}");
                Assert.True(Math.Abs(dz[i] - (ys[i] * reflected - sigma)) <= 4e-16, $"z's gradient at z = {zs[i]}: {dz[i]:R}, closed form {ys[i] * reflected - sigma:R}");
            }
        }
    });

    [Fact]
    public void Compiled_traces_fold_their_own_way_and_keep_the_bits()
    {
        // A trace whose compiled pass removed the negation (its rule does nothing) must not have it folded again; one whose
        // pass kept it (z read again after −z's f) may. Both replay to the bits of separate passes.
        foreach (var name in new[] { "logistic term", "z read after" })
        {
            var random = new Random(StableSeed.Of(name));
            var compiled = AD.Compile(p => Function(name, p), ReflectedPairTests.Inputs(random));
            for (int trial = 0; trial < 3; trial++)
            {
                var inputs = ReflectedPairTests.Inputs(random);
                EagerReflectedPairTests.AssertSameBits(name, SeparateLoops.ValueAndGrad(p => Function(name, p), inputs), compiled.ValueAndGrad(inputs));
            }
        }
    }

    [Fact]
    public void Under_CheckFinite_each_rule_runs_its_own_pass() => FreshTape.Run(() =>
    {
        // CheckFinite names the rule that made an adjoint non-finite, so the negation's rule must run as itself.
        var tape = AutoDiff.Tape.Current;
        var inputs = ReflectedPairTests.Inputs(new Random(3));
        int before = tape.NegationsFolded;
        using (AutoDiff.Tape.CheckFinite())
        {
            AD.ValueAndGrad(p => Function("logistic term", p), inputs);
        }

        Assert.Equal(0, tape.NegationsFolded - before);
    });

    private static Tensor Function(string name, Tensor[] p)
    {
        Tensor z = p[0], y = p[1].Reshape(6, 1), w = p[2];
        switch (name)
        {
            case "logistic term":
                return Sum(y * LogSigmoid(z) + (1.0 - y) * LogSigmoid(-z));
            case "logistic term of z = X·w":
                var xw = Tensor.FromArray([.. Enumerable.Range(0, 40).Select(i => Math.Sin(0.3 * i))], 10, 4).MatMul(w.T);
                return Sum(LogSigmoid(xw) * 0.25 + (1.0 - LogSigmoid(-xw)) * 0.5);
            case "a summed negation":
                var softplus = Softplus(z);
                var weighted = softplus * y;
                return Sum(-z) * 0.5 + Sum(weighted);
            case "f(z) four records back":
                var atZ = LogSigmoid(z);
                var other = Sum(Softplus(w));
                return Sum(atZ * y + LogSigmoid(-z)) + other;
            case "f(z) six records back":
                var far = LogSigmoid(z);
                var others = Sum(Exp(Softplus(w) * 0.5));
                return Sum(far * y + LogSigmoid(-z)) + others;
            case "negation first":
                var minusZ = -z;
                return Sum(y * LogSigmoid(z) + LogSigmoid(minusZ));
            case "z read between":
                var first = LogSigmoid(z);
                var square = Square(z);
                return Sum(first * y + square + LogSigmoid(-z));
            case "a scalar operation between":
                var sigmoid = Sigmoid(z);
                Var scale = (Var)Sum(w) * 2.0;
                return Sum(sigmoid * y + Sigmoid(-z)) * scale;
            case "f keeps no partials":
                return Sum(Abs(z) * y + LogSigmoid(-z));
            case "z read through a view between":
                var viewed = LogSigmoid(z);
                var flat = Sum(Square(z.Reshape(30)));
                return Sum(viewed * y + LogSigmoid(-z)) + flat;
            case "f(z) unused":
                _ = LogSigmoid(z);
                return Sum(Square(-z) * y);
            case "two pairs interleaved":
                var outer = LogSigmoid(z);
                var inner = Softplus(w);
                var minusW = -w;
                var minusOuter = -z;
                return Sum(outer * y + LogSigmoid(minusOuter)) + Sum(inner * 0.5 + Softplus(minusW));
            case "z's node read between through a tensor made from its Var":
                var total = Sum(z * 0.1);
                Var node = total;
                Tensor named = node;
                var atNamed = Sigmoid(named);
                var readBetween = Square(total) * 0.5;
                var minusNamed = -named;
                return atNamed * 0.3 + readBetween + Sigmoid(minusNamed) * 1.7 + minusNamed * 0.9 + Square(named) * 0.7;
            case "z read after":
                return Sum(LogSigmoid(z) * y + LogSigmoid(-z)) + Sum(Square(z) * y);
            default:
                throw new ArgumentException(name);
        }
    }
}
