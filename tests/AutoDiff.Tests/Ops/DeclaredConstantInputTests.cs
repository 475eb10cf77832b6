using System;
using AutoDiff.Tests.SecondOrder;
using Xunit;

namespace AutoDiff.Tests.Ops;

/// <summary>
/// A declared function of three inputs called with some of them constant <see cref="Var"/>s (data passed as Vars) hands
/// them to the overload taking them as doubles: the same value, gradient and Hessian as the closed form of log N(y; μ, σ),
/// and a node with an edge per recorded input only.
/// </summary>
public class DeclaredConstantInputTests
{
    private const double Y = 0.7, Mu = -0.4, Sigma = 1.3;

    // ∂/∂y, ∂/∂μ and ∂/∂σ of log N(y; μ, σ) = −log σ − ½ log 2π − (y − μ)²/(2σ²).
    private static double[] ClosedFormGradient(double y, double mu, double sigma) =>
    [
        -(y - mu) / (sigma * sigma),
        (y - mu) / (sigma * sigma),
        -1.0 / sigma + (y - mu) * (y - mu) / (sigma * sigma * sigma),
    ];

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    [InlineData(true, false, true)]
    [InlineData(true, true, false)]
    [InlineData(false, true, true)]
    [InlineData(false, false, false)]
    public void Constant_inputs_are_numbers_to_the_node_and_the_others_get_their_closed_form_partials(bool yConstant, bool muConstant, bool sigmaConstant)
    {
        bool[] constant = [yConstant, muConstant, sigmaConstant];
        double[] point = [Y, Mu, Sigma];
        int edges = -1;
        var (value, gradient) = AD.ValueAndGrad(
            p =>
            {
                // The inputs as the caller passes them: a leaf, or the same number as a constant Var.
                Var At(int i) => constant[i] ? point[i] : p[i];
                var tape = AutoDiff.Tape.Current;
                int before = tape.EdgeCount;
                Var result = DeclaredDensities.LogNormal(At(0), At(1), At(2));
                edges = tape.EdgeCount - before;
                return result;
            },
            point);

        Assert.Equal(DeclaredDensities.LogNormal(Y, Mu, Sigma), value);
        Assert.Equal(Array.FindAll(constant, c => !c).Length, edges);
        double[] expected = ClosedFormGradient(Y, Mu, Sigma);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(constant[i] ? 0.0 : expected[i], gradient[i], 1e-14);
        }
    }

    [Fact]
    public void Every_input_constant_gives_a_constant_of_the_functions_value()
    {
        Var result = DeclaredDensities.LogNormal((Var)Y, (Var)Mu, (Var)Sigma);

        Assert.True(result.IsConstant);
        Assert.Equal(DeclaredDensities.LogNormal(Y, Mu, Sigma), result.Value);
    }

    [Fact]
    public void A_sum_over_data_passed_as_Vars_has_the_closed_form_Hessian_in_mu_and_sigma()
    {
        double[] data = [0.3, 1.9, -0.8, 1.1];
        var hessian = AD.Hessian(
            p =>
            {
                Var sum = 0.0;
                foreach (double y in data)
                {
                    sum += DeclaredDensities.LogNormal((Var)y, p[0], p[1]);
                }

                return sum;
            },
            [Mu, Sigma]);

        // ∂²/∂μ² = −n/σ², ∂²/∂μ∂σ = −2Σ(y − μ)/σ³, ∂²/∂σ² = n/σ² − 3Σ(y − μ)²/σ⁴.
        double n = data.Length, s1 = 0.0, s2 = 0.0;
        foreach (double y in data)
        {
            s1 += y - Mu;
            s2 += (y - Mu) * (y - Mu);
        }

        double s = Sigma;
        Assert.Equal(-n / (s * s), hessian[0, 0], 1e-12);
        Assert.Equal(-2.0 * s1 / (s * s * s), hessian[0, 1], 1e-12);
        Assert.Equal(-2.0 * s1 / (s * s * s), hessian[1, 0], 1e-12);
        Assert.Equal(n / (s * s) - 3.0 * s2 / (s * s * s * s), hessian[1, 1], 1e-12);
    }
}
