using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// The notes' one-hidden-layer network (section 5): z = Wx + b₁, h = ReLU(z), θ = Uh + b₂, ŷ = softmax(θ),
/// J = CE(y, ŷ), for a batch of rows. Every AD gradient equals the notes' backpropagation formulas.
/// </summary>
public class NetworkTests
{
    private const int B = 5, Dx = 4, Dh = 6, Nc = 3;

    private static double[] Random(Random random, int n, double scale) =>
        Enumerable.Range(0, n).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    public void AD_gradients_equal_the_notes_delta_formulas(int seed, bool linearLayers)
    {
        var random = new Random(seed);
        double[] x = Random(random, B * Dx, 1), w = Random(random, Dh * Dx, 1), b1 = Random(random, Dh, 0.5),
            u = Random(random, Nc * Dh, 1), b2 = Random(random, Nc, 0.5);
        int[] labels = Enumerable.Range(0, B).Select(_ => random.Next(Nc)).ToArray();

        // Written with MatMul and transposes, or with Linear layers (y = xWᵀ + b): the same network either way.
        var g = AD.Grad(
            p => linearLayers
                ? CrossEntropy(Linear(Relu(Linear(p[0], p[1], p[2])), p[3], p[4]), labels)
                : CrossEntropy(Relu(p[0].MatMul(p[1].T) + p[2]).MatMul(p[3].T) + p[4], labels),
            Tensor.FromArray(x, B, Dx), Tensor.FromArray(w, Dh, Dx), Tensor.Vector(b1), Tensor.FromArray(u, Nc, Dh), Tensor.Vector(b2));

        // The notes' closed forms, row by row (each row is one xᵀ): h = ReLU(Wx + b₁), θ = Uh + b₂,
        // δ₁ = ŷ − y, δ₂ = δ₁U ∘ sgn(h); ∂J/∂U = Σ δ₁ᵀhᵀ, ∂J/∂b₂ = Σ δ₁ᵀ, ∂J/∂W = Σ δ₂ᵀxᵀ, ∂J/∂b₁ = Σ δ₂ᵀ, ∂J/∂x = (δ₂W)ᵀ.
        var dW = new double[Dh * Dx];
        var db1 = new double[Dh];
        var dU = new double[Nc * Dh];
        var db2 = new double[Nc];
        var dX = new double[B * Dx];
        for (int n = 0; n < B; n++)
        {
            var h = new double[Dh];
            for (int i = 0; i < Dh; i++)
            {
                double z = b1[i];
                for (int j = 0; j < Dx; j++)
                {
                    z += w[i * Dx + j] * x[n * Dx + j];
                }

                h[i] = Math.Max(z, 0);
            }

            var theta = new double[Nc];
            for (int c = 0; c < Nc; c++)
            {
                theta[c] = b2[c] + Enumerable.Range(0, Dh).Sum(i => u[c * Dh + i] * h[i]);
            }

            double max = theta.Max();
            double norm = theta.Sum(t => Math.Exp(t - max));
            var delta1 = theta.Select((t, c) => Math.Exp(t - max) / norm - (c == labels[n] ? 1 : 0)).ToArray();
            var delta2 = new double[Dh];
            for (int i = 0; i < Dh; i++)
            {
                delta2[i] = Enumerable.Range(0, Nc).Sum(c => delta1[c] * u[c * Dh + i]) * Math.Sign(h[i]);
            }

            for (int c = 0; c < Nc; c++)
            {
                db2[c] += delta1[c];
                for (int i = 0; i < Dh; i++)
                {
                    dU[c * Dh + i] += delta1[c] * h[i];
                }
            }

            for (int i = 0; i < Dh; i++)
            {
                db1[i] += delta2[i];
                for (int j = 0; j < Dx; j++)
                {
                    dW[i * Dx + j] += delta2[i] * x[n * Dx + j];
                    dX[n * Dx + j] += delta2[i] * w[i * Dx + j];
                }
            }
        }

        AssertClose(dX, g[0]);
        AssertClose(dW, g[1]);
        AssertClose(db1, g[2]);
        AssertClose(dU, g[3]);
        AssertClose(db2, g[4]);
    }

    private static void AssertClose(double[] expected, Tensor actual)
    {
        var values = actual.ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - values[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"{i}: {values[i]} vs {expected[i]}");
        }
    }
}
