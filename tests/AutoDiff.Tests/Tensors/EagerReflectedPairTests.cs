using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// The recording's pairing of f(z) and f(−z) (Tape.Reflections.cs): once a thread's tape has seen f(−z) follow f(z)
/// twice more often than not, its next f(z) computes f(−z) in the same loop and the later f(−z) takes it. Every value and
/// gradient must keep the bits of a recording whose ops each ran their own loop (<see cref="SeparateLoops"/>), whatever
/// the function does in between. Each test runs on a fresh tape (<see cref="FreshTape"/>), so the counts are exact.
/// </summary>
public class EagerReflectedPairTests
{
    [Theory]
    [MemberData(nameof(ReflectedPairTests.Traces), MemberType = typeof(ReflectedPairTests))]
    public void Recordings_that_pair_keep_the_bits_of_separate_loops(string name, int pairs) =>
        // The compiled pass's traces: the recording pairs the same records (either order, views, two pairs, Sigmoid,
        // a user's LogCosh), so once it computes ahead it takes as many f(−z) as the pass fuses.
        AssertPairsAndBits(name, pairs, p => ReflectedPairTests.Trace(name, p));

    public static TheoryData<string, int> Traces => new()
    {
        // The negation recorded before f(z), then f(−z).
        { "negation first", 1 },

        // Another function's f(u) between f(z) and f(−z): the tape remembers one f(z) at a time, so this one is lost.
        { "another function in between", 0 },

        // The same function at another input in between: the remembered f(z) is replaced, no pair.
        { "the same function at u in between", 0 },

        // Two negations of z: f(−z) of the earlier one is not recognised (only the last negation is remembered).
        { "two negations, f of the first", 0 },

        // Three pairs, then f(z) again inside a nested scope (a nested AD call), computed ahead there in memory that goes
        // back to the pool when the scope closes; then f(−z) of the last negation outside, after other ops have taken
        // that memory again: nothing computed in the closed scope may be taken. Per call: the first pair is not
        // computed ahead (the score is 1 after the last call's two misses), the other two are.
        { "f(z) in a closed scope", 2 },

        // The pair twice in one call, and on −z where z is itself a negation.
        { "the pair twice and on a double negation", 3 },
    };

    [Theory]
    [MemberData(nameof(Traces))]
    public void Recordings_that_do_not_pair_keep_the_bits_of_separate_loops(string name, int pairs) =>
        AssertPairsAndBits(name, pairs, p => Trace(name, p));

    // Five calls on fresh inputs: from the third on (a pair seen once per call has raised its kernel's score to 2 by
    // then), the recording takes `pairs` values computed ahead per call; every call gives the bits of separate loops.
    private static void AssertPairsAndBits(string name, int pairs, Func<Tensor[], Tensor> f) =>
        AssertBitsOnFreshTape(name, f, (ahead, taken) => Assert.Equal(pairs, taken));

    // Five calls of f on fresh inputs on a fresh tape, each with the bits of separate loops; from the third call on,
    // `check` is given how many f(−x) the call computed ahead and how many it took.
    private static void AssertBitsOnFreshTape(string name, Func<Tensor[], Tensor> f, Action<int, int> check) => FreshTape.Run(() =>
    {
        var random = new Random(StableSeed.Of(name));
        var tape = AutoDiff.Tape.Current;
        for (int call = 0; call < 5; call++)
        {
            var inputs = ReflectedPairTests.Inputs(random);
            int ahead = tape.ReflectionsComputedAhead, taken = tape.ReflectionsTaken;
            var result = AD.ValueAndGrad(f, inputs);
            if (call >= 2)
            {
                check(tape.ReflectionsComputedAhead - ahead, tape.ReflectionsTaken - taken);
            }

            AssertSameBits(name, SeparateLoops.ValueAndGrad(f, inputs), result);
        }
    });

    private static Tensor Trace(string name, Tensor[] p)
    {
        Tensor z = p[0], y = p[1].Reshape(6, 1), u = p[2];
        switch (name)
        {
            case "negation first":
                var minusZ = -z;
                return Sum(y * LogSigmoid(z) + (1.0 - y) * LogSigmoid(minusZ));
            case "another function in between":
                var first = LogSigmoid(z);
                var other = Sum(Softplus(u));
                return Sum(first * y + LogSigmoid(-z)) + other;
            case "the same function at u in between":
                var atZ = LogSigmoid(z);
                var atU = Sum(LogSigmoid(u));
                return Sum(atZ * y + LogSigmoid(-z)) - atU;
            case "two negations, f of the first":
                var n1 = -z;
                var n2 = -z;
                return Sum(LogSigmoid(z) * y + LogSigmoid(n1) + Square(n2));
            case "f(z) in a closed scope":
                var half = z * 0.5;
                var quarter = z * 0.25;
                var pair = Sum(LogSigmoid(half) + LogSigmoid(-half)) + Sum(LogSigmoid(-quarter) * y + LogSigmoid(quarter));
                var minus = -z;
                pair += Sum(LogSigmoid(z) * y + LogSigmoid(minus));
                double inner = AD.Grad(q => Sum(LogSigmoid(z) * q[0]), Tensor.Scalar(1.0))[0].Item();
                var reuse = Exp(z * 0.5) + Square(z) * 0.25;
                return pair + Sum(LogSigmoid(minus) * y + reuse) * inner;
            default:
                var doubled = -(-z);
                return Sum(y * LogSigmoid(z) + LogSigmoid(-z)) + Sum(Softplus(u) - Softplus(-u)) + Sum(Sigmoid(-doubled) * Sigmoid(doubled));
        }
    }

    [Fact]
    public void A_tape_computes_ahead_only_while_f_of_z_is_followed_by_f_of_minus_z_more_often_than_not() => FreshTape.Run(() =>
    {
        var inputs = ReflectedPairTests.Inputs(new Random(3));
        var tape = AutoDiff.Tape.Current;
        static Tensor Pair(Tensor[] p) => Sum(LogSigmoid(p[0]) + LogSigmoid(-p[0]));
        static Tensor Single(Tensor[] p) => Sum(LogSigmoid(p[0]) * 2.0);
        static Tensor PairAndSingle(Tensor[] p) => Pair(p) + Single([p[2]]);
        static Tensor TwoPairsAndSingle(Tensor[] p) => Pair(p) + Pair([p[2]]) + Single([p[2] * 3.0]);

        // How many f(−x) each call computes ahead, and how many it takes.
        (int Ahead, int Taken) Call(Func<Tensor[], Tensor> f)
        {
            int ahead = tape.ReflectionsComputedAhead, taken = tape.ReflectionsTaken;
            var result = AD.ValueAndGrad(f, inputs);
            AssertSameBits(f.Method.Name, SeparateLoops.ValueAndGrad(f, inputs), result);
            return (tape.ReflectionsComputedAhead - ahead, tape.ReflectionsTaken - taken);
        }

        // A pair per call: the score goes 1, 2, 3, and the third call computes ahead.
        Assert.Equal([(0, 0), (0, 0), (1, 1), (1, 1)], [Call(Pair), Call(Pair), Call(Pair), Call(Pair)]);

        // f(z) alone: computed ahead while the score is 3, then 2; then never.
        Assert.Equal([(1, 0), (1, 0), (0, 0), (0, 0)], [Call(Single), Call(Single), Call(Single), Call(Single)]);

        // A pair and an unpaired f per call: the score stays below 2, nothing is computed ahead.
        Assert.Equal([(0, 0), (0, 0), (0, 0)], [Call(PairAndSingle), Call(PairAndSingle), Call(PairAndSingle)]);

        // Two pairs and an unpaired f per call: the pairs win (score 0 → 1 → 2 → 2); from the third call on every f
        // computes ahead and the pairs take theirs.
        Assert.Equal(
            [(1, 0), (2, 1), (3, 2), (3, 2)],
            [Call(TwoPairsAndSingle), Call(TwoPairsAndSingle), Call(TwoPairsAndSingle), Call(TwoPairsAndSingle)]);
    });

    [Fact]
    public void The_negation_recorded_after_f_of_z_is_taken_from_the_loop_that_computed_the_pair_ahead() => FreshTape.Run(() =>
    {
        var inputs = ReflectedPairTests.Inputs(new Random(5));
        var tape = AutoDiff.Tape.Current;
        static Tensor Pair(Tensor[] p) => Sum(p[1].Reshape(6, 1) * LogSigmoid(p[0]) + LogSigmoid(-p[0]));
        static Tensor NegationFirst(Tensor[] p)
        {
            var minusZ = -p[0];
            return Sum(LogSigmoid(p[0]) + LogSigmoid(minusZ));
        }

        static Tensor NegationReadAgain(Tensor[] p)
        {
            var atZ = LogSigmoid(p[0]);
            var minusZ = -p[0];
            return Sum(atZ + LogSigmoid(minusZ) + Square(minusZ) * 0.5);
        }

        static Tensor AnotherNegationBetween(Tensor[] p)
        {
            var atZ = LogSigmoid(p[0]);
            var minusW = -p[2];
            return Sum(atZ + LogSigmoid(-p[0])) + Sum(Exp(minusW));
        }

        // How many negations each call takes; every call keeps the bits of separate loops (the value of −z included, read
        // through Square where it is read again).
        int Taken(Func<Tensor[], Tensor> f)
        {
            int taken = tape.NegationsTaken;
            var result = AD.ValueAndGrad(f, inputs);
            AssertSameBits(f.Method.Name, SeparateLoops.ValueAndGrad(f, inputs), result);
            return tape.NegationsTaken - taken;
        }

        // From the third call on (the pair's score is 2), f(z) computes −z ahead with f(−z), and the negation takes it.
        Assert.Equal([0, 0, 1, 1], [Taken(Pair), Taken(Pair), Taken(Pair), Taken(Pair)]);
        Assert.Equal([1, 1], [Taken(NegationReadAgain), Taken(NegationReadAgain)]);

        // A negation before f(z), or of another tensor, takes nothing (the first computes −z itself; the second is not
        // of the remembered input); the pair still completes.
        Assert.Equal([0, 0], [Taken(NegationFirst), Taken(NegationFirst)]);
        Assert.Equal([1, 1], [Taken(AnotherNegationBetween), Taken(AnotherNegationBetween)]);
    });

    [Fact]
    public void The_logistic_gradient_recorded_with_the_pair_is_the_closed_form() => FreshTape.Run(() =>
    {
        // ∂LL/∂θ = Xᵀ(y − σ(Xθ)) for the log-likelihood written as the notes write it, over calls that take the pair.
        var random = new Random(11);
        int n = 203, d = 4;
        double[] x = [.. Enumerable.Range(0, n * d).Select(_ => 4 * random.NextDouble() - 2)];
        double[] y = [.. Enumerable.Range(0, n).Select(_ => (double)random.Next(2))];
        var design = Tensor.FromArray(x, n, d);
        var labels = Tensor.Vector(y);
        Tensor LogLikelihood(Tensor[] p)
        {
            var z = design.MatMul(p[0]);
            return Sum(labels * LogSigmoid(z) + (1.0 - labels) * LogSigmoid(-z));
        }

        var tape = AutoDiff.Tape.Current;
        for (int call = 0; call < 4; call++)
        {
            double[] theta = [.. Enumerable.Range(0, d).Select(_ => random.NextDouble() - 0.5)];
            int taken = tape.ReflectionsTaken;
            var (value, gradients) = AD.ValueAndGrad(LogLikelihood, Tensor.Vector(theta));
            Assert.Equal(call >= 2 ? 1 : 0, tape.ReflectionsTaken - taken);

            var (expectedValue, expected) = LogisticClosedForm.At(x, y, theta);
            Assert.Equal(expectedValue, value, 1e-11 * Math.Abs(expectedValue));
            var g = gradients[0].ToArray();
            for (int j = 0; j < d; j++)
            {
                Assert.True(Math.Abs(g[j] - expected[j]) <= 1e-11 * n, $"θ{j}: {g[j]:R}, closed form {expected[j]:R}");
            }
        }
    });

    [Fact]
    public void The_Hessian_of_the_logistic_term_recorded_with_the_pair_is_the_closed_form() => FreshTape.Run(() =>
    {
        // ∂²/∂z² of Σ y·log σ(z) + (1 − y)·log σ(−z) is diag(−σ(z)σ(−z)); forward over reverse passes the kept partials.
        var random = new Random(5);
        double[] z = [.. Enumerable.Range(0, 19).Select(_ => 8 * random.NextDouble() - 4)];
        var labels = Tensor.Vector([.. z.Select(_ => (double)random.Next(2))]);
        Tensor F(Tensor t) => Sum(labels * LogSigmoid(t) + (1.0 - labels) * LogSigmoid(-t));
        AD.ValueAndGrad(p => F(p[0]), Tensor.Vector(z));
        AD.ValueAndGrad(p => F(p[0]), Tensor.Vector(z));
        var tape = AutoDiff.Tape.Current;
        int taken = tape.ReflectionsTaken;
        var hessian = AD.Hessian(F, Tensor.Vector(z)).ToArray();
        Assert.True(tape.ReflectionsTaken > taken, "the Hessian's recording took no f(−z) computed ahead");
        for (int i = 0; i < z.Length; i++)
        {
            for (int j = 0; j < z.Length; j++)
            {
                double s = 1.0 / (1.0 + Math.Exp(-z[i]));
                double expected = i == j ? -s * (1.0 - s) : 0.0;
                Assert.True(Math.Abs(hessian[i * z.Length + j] - expected) <= 1e-15, $"H[{i},{j}] = {hessian[i * z.Length + j]:R}, closed form {expected:R}");
            }
        }
    });

    // Three pairs raise LogSigmoid's score to 3, so the f(w) that follows computes f(−w) ahead; what comes next must not
    // take it: f of the negation of another tensor (u = 2z, same shape), or another function at −w.
    [Theory]
    [InlineData("f of another tensor's negation")]
    [InlineData("another function at the negation")]
    public void Only_f_of_the_remembered_input_and_its_negation_takes_what_was_computed_ahead(string name)
    {
        Tensor F(Tensor[] p)
        {
            Tensor z = p[0], y = p[1].Reshape(6, 1);
            Tensor z3 = z * 3.0, z03 = z * 0.3;
            var pairs = Sum(LogSigmoid(z) + LogSigmoid(-z)) + Sum(LogSigmoid(z3) * y + LogSigmoid(-z3)) + Sum(LogSigmoid(z03) + LogSigmoid(-z03));
            var w = z * 0.5;
            var atW = LogSigmoid(w);
            return pairs + (name == "f of another tensor's negation"
                ? Sum(atW * y + LogSigmoid(-(z * 2.0)))
                : Sum(atW * y + Softplus(-w)));
        }

        AssertBitsOnFreshTape(name, F, (ahead, _) => Assert.True(ahead >= 3, "f(w) was not computed ahead: the test tests nothing"));
    }

    // f(z) computed ahead in a nested scope that an exception unwinds (UnwindTo, not Dispose): what it computed goes back
    // to the pool, other ops take that memory, and f(−z) outside must compute its own.
    [Fact]
    public void A_scope_unwound_by_an_exception_forgets_what_it_computed_ahead() => FreshTape.Run(() =>
    {
        static Tensor Pair(Tensor[] p) => Sum(LogSigmoid(p[0]) + LogSigmoid(-p[0]));
        static Tensor F(Tensor[] p)
        {
            var z = p[0] * 1.0;
            try
            {
                Func<Tensor[], Tensor> inner = q => LogSigmoid(z) * q[0] + Throw();
                AD.ValueAndGrad(inner, Tensor.Scalar(1.0));
            }
            catch (InvalidOperationException)
            {
            }

            var reuse = Exp(z * 0.5) + Square(z) * 0.25 + Exp(z * 0.1);
            return Sum(LogSigmoid(-z) + reuse);
        }

        static Tensor Throw() => throw new InvalidOperationException("unwind");
        var inputs = ReflectedPairTests.Inputs(new Random(17));
        var tape = AutoDiff.Tape.Current;
        AD.ValueAndGrad(Pair, inputs);
        AD.ValueAndGrad(Pair, inputs);
        int ahead = tape.ReflectionsComputedAhead;
        var result = AD.ValueAndGrad(F, inputs);
        Assert.Equal(1, tape.ReflectionsComputedAhead - ahead);
        AssertSameBits("unwound scope", SeparateLoops.ValueAndGrad(F, inputs), result);
    });

    // Hessian and Jacobian recorded with the pair: the bits of separate loops, not only the closed form's value.
    [Fact]
    public void Hessians_and_Jacobians_recorded_with_the_pair_keep_the_bits_of_separate_loops() => FreshTape.Run(() =>
    {
        var x = ReflectedPairTests.Inputs(new Random(19))[0].Reshape(30);
        static Tensor F(Tensor t) => Sum(LogSigmoid(t) * 0.25 + LogSigmoid(-t)) + Sum(Softplus(-t) * Sigmoid(t) * Sigmoid(-t));
        static Tensor J(Tensor t) => LogSigmoid(t) * 2.0 + LogSigmoid(-t) + Softplus(-t) - Softplus(t);
        double[] Run()
        {
            var (value, gradient, hessian) = AD.ValueGradHessian(F, x);
            return [value, .. gradient.ToArray(), .. hessian.ToArray(), .. AD.Jacobian(J, x).ToArray()];
        }

        var tape = AutoDiff.Tape.Current;
        Run();
        Run();
        int taken = tape.ReflectionsTaken;
        double[] paired = Run();
        Assert.True(tape.ReflectionsTaken - taken >= 4);
        tape.PairsReflections = false;
        double[] separate = Run();
        tape.PairsReflections = true;
        for (int i = 0; i < paired.Length; i++)
        {
            Assert.True(SameBits.ButNaNSign(separate[i], paired[i]), $"[{i}]: {paired[i]:R}, separate loops {separate[i]:R}");
        }
    });

    internal static void AssertSameBits(string name, (double Value, Tensor[] Gradients) expected, (double Value, Tensor[] Gradients) actual)
    {
        Assert.True(SameBits.ButNaNSign(expected.Value, actual.Value), $"{name}: value {actual.Value:R}, separate loops {expected.Value:R}");
        for (int k = 0; k < expected.Gradients.Length; k++)
        {
            double[] e = expected.Gradients[k].ToArray(), g = actual.Gradients[k].ToArray();
            for (int i = 0; i < e.Length; i++)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(e[i]) == BitConverter.DoubleToInt64Bits(g[i]), $"{name}, input {k}[{i}]: {g[i]:R}, separate loops {e[i]:R}");
            }
        }
    }
}
