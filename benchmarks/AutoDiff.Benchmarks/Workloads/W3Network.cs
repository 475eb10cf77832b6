using System;
using static AutoDiff.Ops;

namespace AutoDiff.Benchmarks.Workloads;

/// <summary>
/// W3 of WORKLOADS.md: the notes' one-hidden-layer network, batch B = 256, Dx = 784, Dh = 256, Nc = 10;
/// x ~ U[0, 1), W, U ~ 0.05·N(0, 1), b₁ = b₂ = 0, random labels (fixed seed); J = Σ over the batch of
/// CE(y, softmax(U·ReLU(Wx + b₁) + b₂)).
/// </summary>
public sealed class W3Network
{
    /// <summary>The sizes of WORKLOADS.md.</summary>
    public const int Batch = 256, Inputs = 784, Hidden = 256, Classes = 10;

    /// <summary>Creates the data and parameters with a fixed seed.</summary>
    public W3Network(int seed = 42)
    {
        var random = new Random(seed);
        X = Tensor.FromArray(Fill(Batch * Inputs, random.NextDouble), Batch, Inputs);
        W = Tensor.FromArray(Fill(Hidden * Inputs, () => 0.05 * Normal(random)), Hidden, Inputs);
        U = Tensor.FromArray(Fill(Classes * Hidden, () => 0.05 * Normal(random)), Classes, Hidden);
        B1 = Tensor.Zeros(Hidden);
        B2 = Tensor.Zeros(Classes);
        Labels = new int[Batch];
        for (int n = 0; n < Batch; n++)
        {
            Labels[n] = random.Next(Classes);
        }
    }

    /// <summary>The batch, one row per example.</summary>
    public Tensor X { get; }

    /// <summary>Hidden-layer weights, Dh × Dx.</summary>
    public Tensor W { get; }

    /// <summary>Hidden-layer bias.</summary>
    public Tensor B1 { get; }

    /// <summary>Output weights, Nc × Dh.</summary>
    public Tensor U { get; }

    /// <summary>Output bias.</summary>
    public Tensor B2 { get; }

    /// <summary>The class of each example.</summary>
    public int[] Labels { get; }

    /// <summary>The parameters in the order <see cref="Loss"/> takes them: W, b₁, U, b₂.</summary>
    public Tensor[] Parameters => [W, B1, U, B2];

    /// <summary>J(W, b₁, U, b₂) as a tensor expression: rows are examples, so z = XWᵀ + b₁ and θ = hUᵀ + b₂.</summary>
    public Tensor Loss(Tensor[] p) => CrossEntropy(Linear(Relu(Linear(X, p[0], p[1])), p[2], p[3]), Labels);

    private static double[] Fill(int n, Func<double> next)
    {
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = next();
        }

        return values;
    }

    // Box–Muller: the workload only needs a fixed, reproducible normal sample.
    private static double Normal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
