using System;
using System.IO;
using System.Linq;
using AutoDiff;
using AutoDiff.Samples.Shared;
using static AutoDiff.Ops;

/// <summary>
/// The notes' one-hidden-layer network (section 5) trained on iris with plain gradient descent:
/// z = Wx + b₁, h = ReLU(z), θ = Uh + b₂, J = Σ CE(y, softmax(θ)); the gradients come from AD.
/// </summary>
internal static class IrisNetwork
{
    public static void Train(string dataFolder)
    {
        var iris = Csv.Read(Path.Combine(dataFolder, "iris.csv"));
        string[] features = iris.Columns[..^1];
        var rows = iris.Design(features, intercept: false, standardize: true);
        var x = Tensor.FromArray(rows.SelectMany(r => r).ToArray(), rows.Length, features.Length);
        int[] labels = iris.Column("species").Select(v => (int)v).ToArray();
        const int hidden = 16, classes = 3;

        var random = new Random(7);
        Tensor Init(params int[] shape) =>
            Tensor.FromArray(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => 0.5 * (2 * random.NextDouble() - 1)).ToArray(), shape);
        Tensor[] parameters = [Init(hidden, features.Length), Tensor.Zeros(hidden), Init(classes, hidden), Tensor.Zeros(classes)];

        Tensor Logits(Tensor[] p) => Linear(Relu(Linear(x, p[0], p[1])), p[2], p[3]);

        Console.WriteLine();
        Console.WriteLine($"The notes' network on iris ({rows.Length} flowers, {features.Length} features, {hidden} hidden units), gradient descent, η = 0.002");
        const double eta = 0.002;
        for (int step = 0; step <= 2000; step++)
        {
            var (loss, gradients) = AD.ValueAndGrad(p => CrossEntropy(Logits(p), labels), parameters);
            if (step % 250 == 0)
            {
                Console.WriteLine($"  step {step,5}: J = {loss,10:F4}   mean cross-entropy = {loss / rows.Length:F4}");
            }

            using (Tape.NoGrad())
            {
                parameters = parameters.Zip(gradients, (p, g) => p - eta * g).ToArray();
            }
        }

        var scores = Logits(parameters).ToArray();
        int correct = Enumerable.Range(0, rows.Length).Count(n =>
        {
            var row = scores.AsSpan(n * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            return best == labels[n];
        });
        Console.WriteLine($"  training accuracy: {correct}/{rows.Length} = {100.0 * correct / rows.Length:F1}%");
    }
}
