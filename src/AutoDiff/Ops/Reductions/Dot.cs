using System;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = Σᵢ xᵢ·wᵢ with constant weights w; ∂y/∂xᵢ = wᵢ. One tape node (θᵀx in a linear model).</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Var Dot(ReadOnlySpan<Var> x, ReadOnlySpan<double> w)
    {
        if (x.Length != w.Length)
        {
            throw new ArgumentException(
                $"Dot: the variables have length {x.Length} but the weights have length {w.Length}; they must be equal.", nameof(w));
        }

        var tape = Tape.Current;
        tape.BeginNode(x.Length);
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i].Value * w[i];
            tape.AddEdge(x[i], w[i]);
        }

        // The weights are operands too: CheckFinite names them after the variables.
        return tape.EndNode(nameof(Dot), sum, x, default(ConstantPartialsRule), constants: w);
    }
}
