using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// Draws random well-typed <see cref="TensorProgram"/>s: 2–12 steps over 1–3 inputs of rank 0–3 (extents 1–5, often
/// broadcasting against each other), mixing elementwise ops with constant and <c>Var</c> operands on either side,
/// products, views, reductions, the softmax family, losses, gathers and joins. Domains are kept: <c>Log</c> and
/// <c>Sqrt</c> read positive nodes, a divisor is bounded away from 0. Biased towards what the engine treats specially:
/// f(z) with f(−z) for the functions with a reflection (<c>LogSigmoid</c>, <c>Softplus</c>, <c>Sigmoid</c>) in every
/// order, with other reads of z and −z around them, and intermediates read several times.
/// </summary>
internal sealed class TensorProgramGenerator
{
    private readonly Random _random;
    private readonly List<int[]> _shapes = [];
    private readonly List<Kind> _kinds = [];
    private readonly List<TensorInstruction> _steps = [];
    private readonly List<Queue<Action>> _pending = [];
    private readonly int _maxSteps;
    private int _inputs;

    public TensorProgramGenerator(Random random, int maxSteps = 12)
    {
        _random = random;
        _maxSteps = maxSteps;
    }

    // What is known of a node's values, for domains: NonNegative (Exp, Square, …), Denominator (≥ 0.25).
    [Flags]
    private enum Kind
    {
        None = 0,
        NonNegative = 1,
        Denominator = 2,
        Bounded = 4,
    }

    /// <summary>A new program.</summary>
    public TensorProgram Next()
    {
        _shapes.Clear();
        _kinds.Clear();
        _steps.Clear();
        _inputs = 1 + _random.Next(3);
        var baseShape = RandomShape(_random.Next(4));
        for (int i = 0; i < _inputs; i++)
        {
            _shapes.Add(i == 0 ? baseShape : RelatedShape(baseShape));
            _kinds.Add(Kind.None);
        }

        // A step may bring the few it needs (a divisor, a matrix partner); a draw that overshoots 12 is drawn again.
        do
        {
            _shapes.RemoveRange(_inputs, _shapes.Count - _inputs);
            _kinds.RemoveRange(_inputs, _kinds.Count - _inputs);
            _steps.Clear();
            _pending.Clear();
            int target = 2 + _random.Next(_maxSteps - 1);
            for (int attempts = 0; _steps.Count < target && attempts < 200; attempts++)
            {
                TryStep(target - _steps.Count);
            }

            while (_pending.Count > 0)
            {
                RunPending();
            }
        }
        while (_steps.Count < 2 || _steps.Count > _maxSteps);

        return new TensorProgram([.. _shapes.Take(_inputs)], [.. _steps], Outputs());
    }

    /// <summary>Values for the inputs of <paramref name="program"/>: uniform in [−2, 2], or (wild) with zeros of either sign, whole numbers (ties) and large magnitudes mixed in.</summary>
    public Tensor[] Point(TensorProgram program, bool wild)
    {
        double[] special = [0.0, -0.0, 1.0, -1.0, 2.0, 0.5, 30.0, -30.0, 750.0, -750.0, 1e-300];
        return [.. program.InputShapes.Select(shape =>
        {
            var data = new double[shape.Aggregate(1, (p, d) => p * d)];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = wild && _random.Next(3) == 0 ? special[_random.Next(special.Length)] : 4 * _random.NextDouble() - 2;
            }

            return Tensor.FromArray(data, shape);
        })];
    }

    private IReadOnlyList<(int, int, double)> Outputs()
    {
        int count = _shapes.Count;
        var read = new bool[count];
        foreach (var s in _steps)
        {
            foreach (int i in new[] { s.A, s.B, s.C })
            {
                if (i >= 0)
                {
                    read[i] = true;
                }
            }
        }

        var outputs = new List<(int, int, double)>();
        double[] weights = [1.0, 1.0, 0.5, -1.5, 2.0];
        for (int i = count - 1; i >= 0; i--)
        {
            // Every unread step is an output; an unread input is one half the time (otherwise its gradient is 0), and
            // any other node one time in six, so that a node read by a step is also read by the result.
            bool take = !read[i] ? i >= _inputs || _random.Next(2) == 0 : _random.Next(6) == 0;
            if (take || (i == count - 1 && outputs.Count == 0))
            {
                outputs.Add((i, _random.Next(5) == 0 ? 2 : _random.Next(2), weights[_random.Next(weights.Length)]));
            }
        }

        return outputs;
    }

    // Extents 1–5; one shape in three has extents 3–5 only, so that more tensors reach the sizes (16 and up) whose
    // adjoints the sweep clears lazily.
    private int[] RandomShape(int rank)
    {
        int low = _random.Next(3) == 0 ? 3 : 1;
        return [.. Enumerable.Range(0, rank).Select(_ => low + _random.Next(6 - low))];
    }

    // A shape that broadcasts against `shape` (a suffix with some extents 1, maybe a leading 1), equal to it, or unrelated.
    private int[] RelatedShape(int[] shape)
    {
        int roll = _random.Next(8);
        if (roll < 2)
        {
            return (int[])shape.Clone();
        }

        if (roll < 6)
        {
            int rank = _random.Next(shape.Length + 1);
            var s = shape[(shape.Length - rank)..];
            for (int i = 0; i < s.Length; i++)
            {
                if (_random.Next(3) == 0)
                {
                    s[i] = 1;
                }
            }

            return s.Length < 3 && _random.Next(6) == 0 ? [1, .. s] : s;
        }

        if (roll == 6 && shape.Length >= 1)
        {
            // A matrix product's partner: [k, n] for [.., k].
            return [shape[^1], 1 + _random.Next(5)];
        }

        return RandomShape(_random.Next(4));
    }

    private int Add(TensorInstruction step, int[] shape, Kind kind = Kind.None)
    {
        _steps.Add(step);
        _shapes.Add(shape);
        _kinds.Add(kind);
        return _shapes.Count - 1;
    }

    private int Pick() =>
        // The newest nodes are read more often, so chains grow deep; any node may be read again.
        _random.Next(3) == 0 ? _random.Next(_shapes.Count) : Math.Max(0, _shapes.Count - 1 - _random.Next(3));

    private int Pick(Func<int[], bool> fits)
    {
        var candidates = Enumerable.Range(0, _shapes.Count).Where(i => fits(_shapes[i])).ToList();
        if (candidates.Count == 0)
        {
            return -1;
        }

        // Prefer the newest, as Pick does.
        return _random.Next(2) == 0 ? candidates[^1] : candidates[_random.Next(candidates.Count)];
    }

    private double[] Data(int[] shape, double low, double high, bool randomSign = false) =>
        [.. Enumerable.Range(0, shape.Aggregate(1, (p, d) => p * d)).Select(_ =>
            (randomSign && _random.Next(2) == 0 ? -1 : 1) * (low + (high - low) * _random.NextDouble()))];

    private int Constant(int[] shape, double low = -2, double high = 2) =>
        Add(new TensorInstruction(TensorStep.Constant, -1) { Data = Data(shape, low, high), DataShape = shape }, shape);

    private static int[]? Broadcast(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int x = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int y = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (x != y && x != 1 && y != 1)
            {
                return null;
            }

            r[i] = Math.Max(x, y);
        }

        return r;
    }

    // A node that is ≥ 0.25 everywhere: k + Square(x) or k + Softplus(x), or one already known to be.
    private int Denominator(int budget)
    {
        int existing = Enumerable.Range(0, _shapes.Count).Where(i => _kinds[i].HasFlag(Kind.Denominator)).DefaultIfEmpty(-1).Last();
        if (existing >= 0 && (_random.Next(2) == 0 || budget < 2))
        {
            return existing;
        }

        if (budget < 2)
        {
            return -1;
        }

        int x = Pick();
        int sq = Add(new TensorInstruction(_random.Next(2) == 0 ? TensorStep.Square : TensorStep.Softplus, x), _shapes[x], Kind.NonNegative);
        return Add(new TensorInstruction(TensorStep.Add, sq) { Second = TensorOperand.Double, K = 0.25 + _random.Next(4) * 0.25, Swapped = _random.Next(2) == 0 },
            _shapes[x], Kind.NonNegative | Kind.Denominator);
    }

    private void TryStep(int budget)
    {
        int roll = _random.Next(100);
        if (_pending.Count > 0 && (_random.Next(2) == 0 || budget <= _pending.Sum(q => q.Count)))
        {
            RunPending();
        }
        else if (roll < 22)
        {
            Unary(budget);
        }
        else if (roll < 42)
        {
            Binary(budget);
        }
        else if (roll < 52)
        {
            ReflectedPair(budget);
        }
        else if (roll < 60)
        {
            Product(budget);
        }
        else if (roll < 66)
        {
            View();
        }
        else if (roll < 80)
        {
            Reduction();
        }
        else if (roll < 85)
        {
            Loss();
        }
        else if (roll < 91)
        {
            Gather();
        }
        else if (roll < 97)
        {
            Join(budget);
        }
        else
        {
            ScalarVar();
        }
    }

    private void Unary(int budget)
    {
        TensorStep[] smooth = [TensorStep.Exp, TensorStep.Sigmoid, TensorStep.LogSigmoid, TensorStep.Softplus, TensorStep.Tanh,
            TensorStep.Square, TensorStep.Negate, TensorStep.Sin, TensorStep.Expm1, TensorStep.Log, TensorStep.Sqrt, TensorStep.Log1p];
        var op = smooth[_random.Next(smooth.Length)];
        int x = Pick();
        if (op is TensorStep.Log or TensorStep.Sqrt or TensorStep.Log1p)
        {
            // Log and Sqrt read a node known to be ≥ 0.25 (one that may underflow to 0 would make the derivative
            // infinite); Log1p may read any node known to be ≥ 0.
            var nonNegative = Enumerable.Range(0, _shapes.Count).Where(i => _kinds[i].HasFlag(Kind.NonNegative)).ToList();
            x = op == TensorStep.Log1p && nonNegative.Count > 0 ? nonNegative[_random.Next(nonNegative.Count)] : Denominator(budget - 1);
            if (x < 0)
            {
                return;
            }
        }

        if (op == TensorStep.Sin && x >= _inputs && !_kinds[x].HasFlag(Kind.Bounded))
        {
            // Sin of a large value varies faster than a finite difference's step can follow.
            op = TensorStep.Tanh;
        }

        var kind = op switch
        {
            TensorStep.Tanh or TensorStep.Sin => Kind.Bounded,
            TensorStep.Sigmoid => Kind.Bounded | Kind.NonNegative,
            TensorStep.Exp or TensorStep.Softplus or TensorStep.Square or TensorStep.Sqrt or TensorStep.Log1p => Kind.NonNegative,
            _ => Kind.None,
        };
        Add(new TensorInstruction(op, x), _shapes[x], kind);
    }

    private void Binary(int budget)
    {
        TensorStep[] ops = [TensorStep.Add, TensorStep.Subtract, TensorStep.Multiply, TensorStep.Divide];
        var op = ops[_random.Next(ops.Length)];
        int a = Pick();
        var shapeA = _shapes[a];
        int roll = _random.Next(20);
        bool swapped = _random.Next(2) == 0;
        var kind = Kind.None;
        if (roll < 3 || (roll < 5 && op != TensorStep.Divide))
        {
            // A double, or a constant Var, on either side; a divisor is kept away from 0.
            double k = op == TensorStep.Divide ? (_random.Next(2) == 0 ? -1 : 1) * (0.5 + _random.NextDouble()) : Math.Round(4 * _random.NextDouble() - 2, 2);
            if (op == TensorStep.Divide && swapped)
            {
                a = Denominator(budget - 1);
                if (a < 0)
                {
                    return;
                }
            }

            if (op == TensorStep.Add && k > 0 && _kinds[a].HasFlag(Kind.NonNegative))
            {
                kind = Kind.NonNegative | (k >= 0.25 ? Kind.Denominator : Kind.None);
            }

            Add(new TensorInstruction(op, a) { Second = roll < 3 ? TensorOperand.Double : TensorOperand.ConstantVar, K = k, Swapped = swapped }, _shapes[a], kind);
            return;
        }

        if (roll < 7)
        {
            // A variable Var: a rank-0 node converted, or made by averaging one; a divisor is the mean of a
            // denominator, and a Var divided by a tensor divides by a denominator.
            bool divisor = op == TensorStep.Divide && !swapped;
            int s = divisor
                ? Pick(sh => sh.Length == 0) is var r0 && r0 >= 0 && _kinds[r0].HasFlag(Kind.Denominator) ? r0 : -1
                : Pick(sh => sh.Length == 0);
            if (op == TensorStep.Divide && swapped)
            {
                a = Denominator(budget - 1);
                if (a < 0)
                {
                    return;
                }
            }

            if (s < 0)
            {
                int source = divisor ? Denominator(budget - 2) : Pick();
                if (source < 0 || budget < 2)
                {
                    return;
                }

                s = Add(new TensorInstruction(TensorStep.Mean, source) { All = true }, [], _kinds[source]);
            }

            Add(new TensorInstruction(op, a) { B = s, Second = TensorOperand.VariableVar, Swapped = swapped }, _shapes[a]);
            return;
        }

        if (roll < 10)
        {
            // Captured data of a shape that broadcasts against a (the data's shape may be the larger).
            var dataShape = RelatedShape(shapeA);
            var result = Broadcast(shapeA, dataShape);
            if (result is null || result.Length > 3)
            {
                return;
            }

            if (op == TensorStep.Divide && swapped)
            {
                a = Denominator(budget - 1);
                if (a < 0 || Broadcast(_shapes[a], dataShape) is not { } r2)
                {
                    return;
                }

                result = r2;
            }

            bool denominator = op == TensorStep.Divide && !swapped;
            var data = denominator ? Data(dataShape, 0.5, 2.0, randomSign: true) : Data(dataShape, -2, 2);
            Add(new TensorInstruction(op, a) { Second = TensorOperand.Data, Data = data, DataShape = dataShape, Swapped = swapped }, result);
            return;
        }

        int b;
        if (op == TensorStep.Divide)
        {
            b = Denominator(budget - 1);
            if (b < 0)
            {
                return;
            }

            swapped = false;
        }
        else
        {
            b = _random.Next(6) == 0 ? a : Pick(sh => Broadcast(shapeA, sh) is not null);
        }

        var shape = Broadcast(_shapes[a], _shapes[b]);
        if (shape is null)
        {
            // Make b fit: its mean, a rank-0 tensor, broadcasts against anything.
            if (budget < 2)
            {
                return;
            }

            b = Add(new TensorInstruction(TensorStep.Mean, b) { All = true }, [], _kinds[b] & Kind.NonNegative);
            shape = _shapes[a];
        }

        if (op is TensorStep.Multiply or TensorStep.Add && (_kinds[a] & _kinds[b]).HasFlag(Kind.NonNegative))
        {
            kind = Kind.NonNegative | (op == TensorStep.Add ? (_kinds[a] | _kinds[b]) & Kind.Denominator : Kind.None);
        }

        Add(new TensorInstruction(op, a) { B = b, Swapped = swapped && op != TensorStep.Divide }, shape, kind);
    }

    // f(z) and f(−z) for a function with a reflection, in one of the orders the engine pairs: the three steps are
    // queued and interleaved with other steps (which often read z, −z or f(z), the newest nodes, and may be another
    // pair's steps), and optionally combined as the logistic log-likelihood combines them.
    private void ReflectedPair(int budget)
    {
        TensorStep[] fs = [TensorStep.LogSigmoid, TensorStep.Softplus, TensorStep.Sigmoid];
        var f = fs[_random.Next(fs.Length)];
        int z = Pick();
        var shape = _shapes[z];
        var kind = f == TensorStep.LogSigmoid ? Kind.None : Kind.NonNegative;
        int fz = -1, neg = -1, fneg = -1;
        var queue = new Queue<Action>();
        Action applyToZ = () => fz = Add(new TensorInstruction(f, z), shape, kind);
        // The negation may read a view of z, and f(−z) a view of the negation (a reshape to the same shape: another
        // tensor over the same nodes; or, flattened, another shape): what pairs must be the same values, whatever the
        // tensor object.
        int viewOfZ = _random.Next(5), viewOfNegation = _random.Next(5);
        int size = shape.Aggregate(1, (p, d) => p * d);
        Func<int, int> view = x => Add(new TensorInstruction(TensorStep.Reshape, x) { Shape = [.. shape] }, shape);
        Func<int, int> flatten = x => Add(new TensorInstruction(TensorStep.Reshape, x) { Shape = [size] }, [size]);
        Action negate = () =>
        {
            int source = viewOfZ == 0 ? view(z) : viewOfZ == 1 ? flatten(z) : z;
            neg = Add(new TensorInstruction(TensorStep.Negate, source), _shapes[source]);
        };
        Action applyToNegation = () =>
        {
            int source = viewOfNegation == 0 ? view(neg) : viewOfNegation == 1 ? flatten(neg) : neg;
            fneg = Add(new TensorInstruction(f, source), _shapes[source], kind);
        };
        Action[][] orders = [[applyToZ, negate, applyToNegation], [negate, applyToZ, applyToNegation], [negate, applyToNegation, applyToZ]];
        foreach (var action in orders[_random.Next(orders.Length)])
        {
            queue.Enqueue(action);
        }

        if (budget >= 6 && viewOfZ != 1 && viewOfNegation != 1 && _random.Next(2) == 0)
        {
            // y·f(z) + (1 − y)·f(−z) with y data of z's shape.
            var y = Data(shape, 0, 1);
            queue.Enqueue(() =>
            {
                int l = Add(new TensorInstruction(TensorStep.Multiply, fz) { Second = TensorOperand.Data, Data = y, DataShape = shape, Swapped = true }, shape);
                int r = Add(new TensorInstruction(TensorStep.Multiply, fneg) { Second = TensorOperand.Data, Data = [.. y.Select(v => 1 - v)], DataShape = shape, Swapped = true }, shape);
                Add(new TensorInstruction(TensorStep.Add, l) { B = r }, shape);
            });
        }

        _pending.Add(queue);
        RunPending();
    }

    // The next step of a queued sequence, chosen at random among the sequences.
    private void RunPending()
    {
        int i = _random.Next(_pending.Count);
        _pending[i].Dequeue()();
        if (_pending[i].Count == 0)
        {
            _pending.RemoveAt(i);
        }
    }

    private void Product(int budget)
    {
        int a = Pick(sh => sh.Length is 1 or 2);
        if (a < 0)
        {
            return;
        }

        var sa = _shapes[a];
        if (_random.Next(4) == 0)
        {
            // Linear(x, W, b): W is [o, d] for x [n, d] or [d], b is [o] or absent.
            int w = Pick(sh => sh.Length == 2 && sh[1] == sa[^1]);
            if (w < 0 || _random.Next(3) == 0)
            {
                if (budget < 2)
                {
                    return;
                }

                w = Constant([1 + _random.Next(4), sa[^1]]);
            }

            int o = _shapes[w][0];
            int bias = _random.Next(2) == 0 ? Pick(sh => sh.Length == 1 && sh[0] == o) : -1;
            Add(new TensorInstruction(TensorStep.Linear, a) { B = w, C = bias }, sa.Length == 2 ? [sa[0], o] : [o]);
            return;
        }

        int k = sa[^1];
        int b = Pick(sh => sh.Length is 1 or 2 && sh[0] == k);
        if (b < 0 || _random.Next(4) == 0)
        {
            if (budget < 2)
            {
                return;
            }

            b = Constant(_random.Next(3) == 0 ? [k] : [k, 1 + _random.Next(5)]);
        }

        var sb = _shapes[b];
        int[] shape = (sa.Length, sb.Length) switch
        {
            (2, 2) => [sa[0], sb[1]],
            (2, 1) => [sa[0]],
            (1, 2) => [sb[1]],
            _ => [],
        };
        Add(new TensorInstruction(TensorStep.MatMul, a) { B = b }, shape);
    }

    private void View()
    {
        int a = Pick();
        var sa = _shapes[a];
        if (sa.Length == 2 && _random.Next(2) == 0)
        {
            Add(new TensorInstruction(TensorStep.Transpose, a), [sa[1], sa[0]], _kinds[a]);
            return;
        }

        int size = sa.Aggregate(1, (p, d) => p * d);
        var divisors = Enumerable.Range(1, size).Where(d => size % d == 0).ToList();
        var shape = new List<int>();
        int rest = size;
        int rank = _random.Next(4);
        for (int i = 0; i < rank - 1; i++)
        {
            var ds = divisors.Where(d => rest % d == 0 && d <= 5).ToList();
            int d = ds[_random.Next(ds.Count)];
            shape.Add(d);
            rest /= d;
        }

        if (rank > 0 || rest != 1)
        {
            shape.Add(rest);
        }

        var target = shape.ToArray();
        var written = (int[])target.Clone();
        if (written.Length > 0 && _random.Next(3) == 0)
        {
            written[_random.Next(written.Length)] = -1;
        }

        Add(new TensorInstruction(TensorStep.Reshape, a) { Shape = written }, target, _kinds[a]);
    }

    private void Reduction()
    {
        TensorStep[] ops = [TensorStep.Sum, TensorStep.Mean, TensorStep.MaxAlong, TensorStep.LogSumExp, TensorStep.Softmax, TensorStep.LogSoftmax];
        var op = ops[_random.Next(ops.Length)];
        int a = Pick();
        var sa = _shapes[a];
        bool all = sa.Length == 0 || _random.Next(4) == 0;
        if (op is TensorStep.MaxAlong or TensorStep.Softmax or TensorStep.LogSoftmax && sa.Length == 0)
        {
            return;
        }

        if (all && op is TensorStep.Sum or TensorStep.Mean or TensorStep.LogSumExp)
        {
            var kind = op == TensorStep.LogSumExp ? Kind.None : _kinds[a] & Kind.NonNegative;
            Add(new TensorInstruction(op, a) { All = true }, [], kind);
            return;
        }

        int axis = _random.Next(sa.Length);
        if (op is TensorStep.Softmax or TensorStep.LogSoftmax)
        {
            // Negative axes count from the end, as NumPy's.
            int written = _random.Next(3) == 0 ? axis - sa.Length : axis;
            Add(new TensorInstruction(op, a) { Axis = written }, sa, op == TensorStep.Softmax ? Kind.NonNegative : Kind.None);
            return;
        }

        bool keep = _random.Next(2) == 0;
        int[] shape = keep ? [.. sa.Select((d, i) => i == axis ? 1 : d)] : [.. sa.Where((_, i) => i != axis)];
        Add(new TensorInstruction(op, a) { Axis = axis, KeepDims = keep }, shape, op is TensorStep.Sum or TensorStep.Mean ? _kinds[a] & Kind.NonNegative : Kind.None);
    }

    private void Loss()
    {
        int a = Pick(sh => sh.Length == 2);
        if (a < 0)
        {
            return;
        }

        var sa = _shapes[a];
        int[] labels = [.. Enumerable.Range(0, sa[0]).Select(_ => _random.Next(sa[1]))];
        Add(new TensorInstruction(TensorStep.CrossEntropy, a) { Ints = labels, Swapped = _random.Next(2) == 0, KeepDims = _random.Next(2) == 0 }, []);
    }

    private void Gather()
    {
        int a = Pick(sh => sh.Length >= 1);
        if (a < 0)
        {
            return;
        }

        var sa = _shapes[a];
        int count = 1 + _random.Next(4);
        int[] indices = [.. Enumerable.Range(0, count).Select(_ => _random.Next(sa[0]))];
        int roll = _random.Next(3);
        if (roll == 0)
        {
            Add(new TensorInstruction(TensorStep.Rows, a) { Ints = indices }, [count, .. sa[1..]], _kinds[a]);
        }
        else if (roll == 1 || count > 1)
        {
            Add(new TensorInstruction(TensorStep.RowTensor, a) { Ints = indices }, [count, .. sa[1..]], _kinds[a]);
        }
        else
        {
            Add(new TensorInstruction(TensorStep.RowTensor, a) { Ints = indices, Swapped = true }, sa[1..], _kinds[a]);
        }
    }

    private void Join(int budget)
    {
        int a = Pick();
        var sa = _shapes[a];
        bool stack = sa.Length == 0 || sa.Length == 3 || _random.Next(2) == 0;
        if (stack && sa.Length == 3)
        {
            stack = false;
        }

        int axis = _random.Next(sa.Length + (stack ? 1 : 0));
        Func<int[], bool> fits = stack
            ? sh => sh.SequenceEqual(sa)
            : sh => sh.Length == sa.Length && sh.Where((_, i) => i != axis).SequenceEqual(sa.Where((_, i) => i != axis));
        int b = _random.Next(3) == 0 ? a : Pick(fits);
        if (b == a && _random.Next(2) == 0 && budget >= 2)
        {
            // A function of a beside a itself.
            b = Add(new TensorInstruction(TensorStep.Tanh, a), sa);
        }

        int c = _random.Next(3) == 0 ? Pick(fits) : -1;
        var sb = _shapes[b];
        int[] shape = stack
            ? [.. sa[..axis], c < 0 ? 2 : 3, .. sa[axis..]]
            : [.. sa.Select((d, i) => i == axis ? d + sb[i] + (c < 0 ? 0 : _shapes[c][i]) : d)];
        Add(new TensorInstruction(stack ? TensorStep.Stack : TensorStep.Concat, a) { B = b, C = c, Axis = axis }, shape);
    }

    private void ScalarVar()
    {
        int a = Pick(sh => sh.Length == 0);
        if (a < 0)
        {
            return;
        }

        Add(new TensorInstruction(TensorStep.ScalarVar, a) { Axis = _random.Next(4), K = Math.Round(2 * _random.NextDouble() - 1, 2) }, []);
    }
}
