using System;
using System.Collections.Generic;

namespace AutoDiff;

public static partial class Ops
{
    /// <summary>y = Σᵢ xᵢ; ∂y/∂xᵢ = 1. One tape node with one edge per variable input; 0 for no inputs.</summary>
    public static Var Sum(params ReadOnlySpan<Var> xs)
    {
        var tape = Tape.Current;
        tape.BeginNode(xs.Length);
        double sum = 0.0;
        foreach (var x in xs)
        {
            sum += x.Value;
            tape.AddEdge(x, 1.0);
        }

        return tape.EndNode(nameof(Sum), sum, xs, default(ConstantPartialsRule));
    }

    /// <summary>y = Σᵢ xᵢ over a sequence; ∂y/∂xᵢ = 1. See <see cref="Sum(ReadOnlySpan{Var})"/>.</summary>
    public static Var Sum(IEnumerable<Var> xs)
    {
        ArgumentNullException.ThrowIfNull(xs);
        return Sum([.. xs]);
    }
}
