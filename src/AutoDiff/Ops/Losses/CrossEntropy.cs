using System;

namespace AutoDiff;

public static partial class Ops
{
    private static readonly TensorBackward CrossEntropyBackward = (Tape tape, in TensorRecord record) =>
    {
        var (labels, probabilities, divisor, _) = ((int[], double[], double, Tensor?))record.State!;
        var logits = record.A!;
        var adjoints = tape.Adjoints;
        double g = adjoints[record.Output.Node] / divisor;
        if (g == 0.0 || logits.IsConstant)
        {
            return;
        }

        int classes = logits.ShapeUnsafe[^1];
        var dx = tape.AdjointsToAccumulate(logits);
        for (int n = 0; n < labels.Length; n++)
        {
            // ∂CE/∂θ = ŷ − y (the notes' identity (7)).
            for (int c = 0; c < classes; c++)
            {
                dx[n * classes + c] += g * probabilities[n * classes + c];
            }

            dx[n * classes + labels[n]] -= g;
        }
    };

    // Per row, CE = lse(x) − x[label]: ẏ = Σ (⟨p, ẋ⟩ − ẋ[label]) / divisor; the rule g·(p − onehot) changes by g·ṗ,
    // ṗ = p ∘ (ẋ − ⟨p, ẋ⟩).
    private sealed class CrossEntropySecondOrder : LaneByLaneSecondOrder
    {
        public static readonly CrossEntropySecondOrder Instance = new();

        protected override void Jvp(Tape tape, in TensorRecord record, int lane)
        {
            var (labels, probabilities, divisor, _) = ((int[], double[], double, Tensor?))record.State!;
            if (record.A!.IsConstant)
            {
                tape.OutputTangent(record.Output, lane)[0] = 0.0;
                return;
            }

            var dx = tape.TangentOf(record.A!, lane);
            int classes = record.A!.ShapeUnsafe[^1];
            double total = 0.0;
            for (int n = 0; n < labels.Length; n++)
            {
                total += Expected(probabilities, dx, n, classes) - dx[n * classes + labels[n]];
            }

            tape.OutputTangent(record.Output, lane)[0] = total / divisor;
        }

        protected override void Correction(Tape tape, in TensorRecord record, int lane)
        {
            var (labels, probabilities, divisor, _) = ((int[], double[], double, Tensor?))record.State!;
            var logits = record.A!;
            double g = tape.Adjoints[record.Output.Node] / divisor;
            if (g == 0.0 || logits.IsConstant)
            {
                return;
            }

            var dx = tape.TangentOf(logits, lane);
            var target = tape.AdjointTangents(lane).Slice(logits.Node, logits.Size);
            int classes = logits.ShapeUnsafe[^1];
            for (int n = 0; n < labels.Length; n++)
            {
                double moved = Expected(probabilities, dx, n, classes);
                for (int c = 0; c < classes; c++)
                {
                    int k = n * classes + c;
                    target[k] += g * probabilities[k] * (dx[k] - moved);
                }
            }
        }

        private static double Expected(double[] probabilities, ReadOnlySpan<double> dx, int row, int classes)
        {
            double sum = 0.0;
            for (int c = 0; c < classes; c++)
            {
                sum += probabilities[row * classes + c] * dx[row * classes + c];
            }

            return sum;
        }
    }

    /// <summary>
    /// The cross-entropy of class labels under softmax probabilities of <paramref name="logits"/> (N×C, or C for one
    /// observation): CEₙ = −log softmax(θₙ)[yₙ] = logsumexp(θₙ) − θₙ,yₙ, summed or averaged over the batch, as a rank-0
    /// tensor. ∂CEₙ/∂θₙ = ŷₙ − onehot(yₙ) (the notes' identity (7)). Computed from the log-sum-exp, so it stays finite
    /// for logits of any size.
    /// </summary>
    /// <param name="logits">The scores θ: one row of C per observation.</param>
    /// <param name="labels">The class of each observation, 0 ≤ yₙ &lt; C.</param>
    /// <param name="reduction">Sum (default, the notes' J) or mean over the batch.</param>
    /// <exception cref="ArgumentException">The logits are not N×C, the label count differs from N, or a label is out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is neither <see cref="Reduction.Sum"/> nor <see cref="Reduction.Mean"/>.</exception>
    public static Tensor CrossEntropy(Tensor logits, int[] labels, Reduction reduction = Reduction.Sum)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return CrossEntropy(logits, (int[])labels.Clone(), null, reduction);
    }

    /// <summary>
    /// <see cref="CrossEntropy(Tensor, int[], Reduction)"/> with the labels in a tensor (whole numbers, a vector of N): the
    /// form for mini-batches labelled anew in a compiled gradient (<see cref="AD.Compile"/>), where the labels are an
    /// argument and every replay reads their current values. No gradient flows into the labels.
    /// </summary>
    /// <exception cref="ArgumentException">The logits are not N×C, the labels are not a vector of N, or a label is not a whole number in range (also when a replay reads one).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is neither <see cref="Reduction.Sum"/> nor <see cref="Reduction.Mean"/>.</exception>
    public static Tensor CrossEntropy(Tensor logits, Tensor labels, Reduction reduction = Reduction.Sum) =>
        CrossEntropy(logits, ReadIndexList(nameof(CrossEntropy), "label", nameof(labels), labels), labels, reduction);

    // labels: the caller's copy, kept by the record; source: the tensor they were read from, read again by a replay.
    private static Tensor CrossEntropy(Tensor logits, int[] labels, Tensor? source, Reduction reduction)
    {
        ArgumentNullException.ThrowIfNull(logits);

        // Anything but Mean divided by 1, so an undefined value (PyTorch's reduction='none' cast in) came back summed.
        if (reduction is not (Reduction.Sum or Reduction.Mean))
        {
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction,
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"CrossEntropy: reduction is {(int)reduction}, which is not a Reduction (Sum or Mean)."));
        }

        int[] shape = logits.ShapeUnsafe;
        if (shape.Length is not (1 or 2))
        {
            throw new ArgumentException($"CrossEntropy: logits must be N×C (or C for one observation); got shape {TensorShape.Format(shape)}.", nameof(logits));
        }

        int rows = shape.Length == 2 ? shape[0] : 1, classes = shape[^1];
        if (labels.Length != rows)
        {
            throw new ArgumentException($"CrossEntropy: {labels.Length} labels for logits of shape {TensorShape.Format(shape)} ({rows} observations).", nameof(labels));
        }

        RequireLabels(labels, classes);

        var xs = logits.ReadValues();
        var tape = Tape.Current;

        // Labels that are a variable (an argument of a compiled gradient) make the loss a recorded operation even of
        // constant logits, so that a replay scores them again.
        bool record = tape.Records(logits) | (source is not null && tape.Records(source));
        var probabilities = record ? tape.RentBuffer(logits.Size) : new double[logits.Size];
        // The mean divides by N, as PyTorch's does (a product with 1/N, itself rounded, can be an ulp off); 0 / 0 is the
        // NaN of an empty batch.
        double divisor = reduction == Reduction.Mean ? rows : 1.0;
        double total = CrossEntropyValue(xs, labels, classes, probabilities) / divisor;
        if (tape.IsCheckingFinite)
        {
            Tape.CheckFiniteResult(nameof(CrossEntropy), [total], [], [logits]);
        }

        if (!record)
        {
            return Tensor.Scalar(total);
        }

        var y = tape.NewTensor([], 1);
        y.Data[0] = total;
        tape.Record(new TensorRecord(nameof(CrossEntropy), CrossEntropyForward, CrossEntropyBackward, tape.EdgeCount, y, logits, null, (labels, probabilities, divisor, source), CrossEntropySecondOrder.Instance));
        return y;
    }

    // Labels given as a tensor are read again: a replay scores the labels its argument holds now.
    private static readonly TensorForward CrossEntropyForward = (in TensorRecord record) =>
    {
        var (labels, probabilities, divisor, source) = ((int[], double[], double, Tensor?))record.State!;
        var logits = record.A!;
        if (source is not null)
        {
            ReadWholeNumbers(nameof(CrossEntropy), "label", "labels", source, labels);
            RequireLabels(labels, logits.ShapeUnsafe[^1]);
        }

        record.Output.Data[0] = CrossEntropyValue(logits.Data.AsSpan(0, logits.Size), labels, logits.ShapeUnsafe[^1], probabilities) / divisor;
    };

    private static void RequireLabels(int[] labels, int classes)
    {
        for (int n = 0; n < labels.Length; n++)
        {
            if ((uint)labels[n] >= (uint)classes)
            {
                throw new ArgumentException($"CrossEntropy: label {labels[n]} at position {n} is out of range for {classes} classes (0 … {classes - 1}).", nameof(labels));
            }
        }
    }

    // Σₙ −log softmax(xₙ)[labelₙ] over the rows of xs, and the probabilities softmax(xₙ) beside them.
    private static double CrossEntropyValue(ReadOnlySpan<double> xs, int[] labels, int classes, double[] probabilities)
    {
        double total = 0.0;
        for (int n = 0; n < labels.Length; n++)
        {
            var row = xs.Slice(n * classes, classes);
            double max = double.NegativeInfinity;
            foreach (double v in row)
            {
                max = Math.Max(max, v);
            }

            // A row whose log-sum-exp is not finite (a NaN or a +∞ in it, or every entry −∞) has no probabilities, and its
            // log-softmax is NaN throughout (LogSoftmax's, PyTorch's and JAX's): its loss and its whole gradient row are
            // NaN too, so that −LogSoftmax at the label is the loss for every row. Computed literally, a +∞ beside a
            // finite label scored +∞ with the gradient row [NaN, −1, 0, …], finite-looking entries beside the NaN.
            if (!double.IsFinite(max))
            {
                probabilities.AsSpan(n * classes, classes).Fill(double.NaN);
                total += double.NaN;
                continue;
            }

            double sum = 0.0;
            for (int c = 0; c < classes; c++)
            {
                probabilities[n * classes + c] = Math.Exp(row[c] - max);
                sum += probabilities[n * classes + c];
            }

            for (int c = 0; c < classes; c++)
            {
                probabilities[n * classes + c] /= sum;
            }

            // lse − x[label] as (m − x[label]) + log s: m + log s rounds log s to m's scale, which for large logits
            // lost it ([10¹⁶, 10¹⁶] scored 0 for ln 2); m − x[label] is exact when the label's logit is near the maximum.
            total += (max - row[labels[n]]) + Math.Log(sum);
        }

        return total;
    }
}
