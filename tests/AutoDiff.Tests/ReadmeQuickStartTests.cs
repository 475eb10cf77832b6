using System;
using System.Linq;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests;

/// <summary>The README's quick start, as written there, with the closed form it promises.</summary>
public class ReadmeQuickStartTests
{
    [Fact]
    public void The_quick_start_gives_the_notes_closed_form_gradient()
    {
        double[][] x = [[1, 0.5], [1, -1.2], [1, 2.0]];
        double[] y = [1, 0, 1];

        Var LogLikelihood(Var[] theta)
        {
            Var sum = 0.0;
            for (int i = 0; i < y.Length; i++)
            {
                var z = Dot(theta, x[i]);
                sum += y[i] * LogSigmoid(z) + (1 - y[i]) * LogSigmoid(-z);
            }

            return sum;
        }

        var (value, gradient) = AD.ValueAndGrad(LogLikelihood, [0.1, 0.2]);

        double[] theta = [0.1, 0.2];
        double expectedValue = 0;
        var expected = new double[2];
        for (int i = 0; i < y.Length; i++)
        {
            double z = theta[0] * x[i][0] + theta[1] * x[i][1];
            double p = 1 / (1 + Math.Exp(-z));
            expectedValue += y[i] * Math.Log(p) + (1 - y[i]) * Math.Log(1 - p);
            expected[0] += (y[i] - p) * x[i][0];
            expected[1] += (y[i] - p) * x[i][1];
        }

        Assert.Equal(expectedValue, value, 1e-14);
        Assert.Equal(expected, gradient, (a, b) => Math.Abs(a - b) < 1e-14);
    }
}
