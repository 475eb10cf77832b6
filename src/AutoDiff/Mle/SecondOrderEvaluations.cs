using System;
using AutoDiff.Optimization;

namespace AutoDiff;

/// <summary>
/// The objective and Hessian delegates of a Newton fit, from one recording per point: each evaluation of the
/// log-likelihood also computes the Hessian there (<see cref="AD.ValueGradHessian(Func{Var[], Var}, double[])"/> carries
/// all directions in one pass), and the Hessian asked for next, at the same point, is the one kept. Newton asks for the
/// Hessian where it last evaluated (the accepted point), so a step costs one recording instead of two.
/// </summary>
internal sealed class SecondOrderEvaluations
{
    private readonly Func<double[], (double Value, double[] Gradient, double[,] Hessian)> _evaluate;
    private double[]? _point;
    private double[,]? _hessian;

    /// <param name="evaluate">f, ∇f and ∇²f at a point.</param>
    public SecondOrderEvaluations(Func<double[], (double Value, double[] Gradient, double[,] Hessian)> evaluate) => _evaluate = evaluate;

    /// <summary>f and ∇f, keeping ∇²f for <see cref="Hessian"/>.</summary>
    public double Objective(ReadOnlySpan<double> x, Span<double> gradient)
    {
        var point = x.ToArray();
        var (value, g, h) = _evaluate(point);
        g.CopyTo(gradient);
        (_point, _hessian) = (point, h);
        return value;
    }

    /// <summary>∇²f at <paramref name="x"/>: the kept one when x is the last point evaluated, else a new recording.</summary>
    public void Hessian(ReadOnlySpan<double> x, double[,] hessian)
    {
        var h = _point is not null && x.SequenceEqual(_point) ? _hessian! : _evaluate(x.ToArray()).Hessian;
        Array.Copy(h, hessian, hessian.Length);
    }

    /// <summary>The delegates for <see cref="Newton.Maximize"/>.</summary>
    public (ObjectiveFunction Objective, HessianFunction Hessian) Delegates => (Objective, Hessian);
}
