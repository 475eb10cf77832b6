using System;
using AutoDiff.Numerics;
using Xunit;

namespace AutoDiff.Tests.MaximumLikelihood;

public class SymmetricEigenTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_symmetric_matrices_are_reconstructed_from_orthonormal_eigenvectors(int seed)
    {
        var random = new Random(seed);
        int n = 2 + random.Next(10);
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                a[i, j] = a[j, i] = random.NextDouble() * 2 - 1;
            }
        }

        var (values, vectors) = SymmetricEigen.Decompose(a);

        for (int k = 1; k < n; k++)
        {
            Assert.True(values[k - 1] <= values[k]);
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double reconstructed = 0, gram = 0;
                for (int k = 0; k < n; k++)
                {
                    reconstructed += vectors[i, k] * values[k] * vectors[j, k];
                    gram += vectors[k, i] * vectors[k, j];
                }

                Assert.Equal(a[i, j], reconstructed, 1e-13);
                Assert.Equal(i == j ? 1.0 : 0.0, gram, 1e-13);
            }
        }
    }

    [Fact]
    public void A_singular_matrix_has_an_exact_zero_eigenvalue_along_the_difference_of_equal_columns()
    {
        // [[1, 1], [1, 1]]: eigenvalues 0 and 2, the null vector (1, −1)/√2.
        var (values, vectors) = SymmetricEigen.Decompose(new double[,] { { 1, 1 }, { 1, 1 } });

        Assert.Equal(0.0, values[0], 1e-15);
        Assert.Equal(2.0, values[1], 1e-15);
        Assert.Equal(Math.Sqrt(0.5), Math.Abs(vectors[0, 0]), 1e-15);
        Assert.Equal(-vectors[0, 0], vectors[1, 0], 1e-15);
    }

    [Fact]
    public void Non_symmetric_or_non_finite_input_is_refused()
    {
        Assert.Contains("not symmetric", Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[,] { { 1, 2 }, { 3, 1 } })).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[,] { { double.NaN } })).Message);
    }
}
