using System;
using System.Globalization;
using System.IO;
using System.Linq;
using AutoDiff;
using AutoDiff.Samples.Shared;
using Spectre.Console;
using static AutoDiff.Ops;

/// <summary>
/// The notes' one-hidden-layer network (section 5) trained on iris with plain gradient descent:
/// z = Wx + b₁, h = ReLU(z), θ = Uh + b₂, J = Σ CE(y, softmax(θ)); the gradients come from AD (AD.Compile).
/// </summary>
internal static class IrisNetwork
{
    private const int Hidden = 16, Classes = 3, Steps = 2000;
    private const double Eta = 0.002;

    /// <summary>Trains the network and returns the mean cross-entropy J/N at every step (one step is one epoch).</summary>
    public static double[] Train(string dataFolder)
    {
        var iris = Csv.Read(Path.Combine(dataFolder, "iris.csv"));
        string[] features = iris.Columns[..^1];
        var rows = iris.Design(features, intercept: false, standardize: true);
        var x = Tensor.FromArray(rows.SelectMany(r => r).ToArray(), rows.Length, features.Length);
        int[] labels = iris.Column("species").Select(v => (int)v).ToArray();

        var random = new Random(7);
        Tensor Init(params int[] shape) =>
            Tensor.FromArray(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => 0.5 * (2 * random.NextDouble() - 1)).ToArray(), shape);
        Tensor[] parameters = [Init(Hidden, features.Length), Tensor.Zeros(Hidden), Init(Classes, Hidden), Tensor.Zeros(Classes)];

        Tensor Logits(Tensor[] p) => Linear(Relu(Linear(x, p[0], p[1])), p[2], p[3]);

        Console.WriteLine();
        Console.WriteLine($"The notes' network on iris ({rows.Length} flowers, {features.Length} features, {Hidden} hidden units), gradient descent, η = {Eta}");
        // Every step differentiates the same function at new parameters: traced once, replayed 2000 times (the same bits
        // as AD.ValueAndGrad per step, without recording the network again).
        var gradient = AD.Compile(p => CrossEntropy(Logits(p), labels), parameters);
        var meanLoss = IterativeFit.Run("training", "mean cross-entropy", Steps, step =>
        {
            var (loss, gradients) = gradient.ValueAndGrad(parameters);
            using (Tape.NoGrad())
            {
                parameters = parameters.Zip(gradients, (p, g) => p - Eta * g).ToArray();
            }

            return loss / rows.Length;
        });
        AnsiConsole.Write(IterativeFit.Checkpoints(meanLoss, 250, "mean cross-entropy", ("J", s => (meanLoss[s] * rows.Length).ToString("F4", CultureInfo.InvariantCulture))));

        var scores = Logits(parameters).ToArray();
        int correct = Enumerable.Range(0, rows.Length).Count(n =>
        {
            var row = scores.AsSpan(n * Classes, Classes);
            int best = 0;
            for (int c = 1; c < Classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            return best == labels[n];
        });
        Console.WriteLine($"  training accuracy: {correct}/{rows.Length} = {100.0 * correct / rows.Length:F1}%");
        return meanLoss;
    }
}
