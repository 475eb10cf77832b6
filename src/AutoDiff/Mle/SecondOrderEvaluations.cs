using System;
using AutoDiff.Optimization;

namespace AutoDiff;

/// <summary>
/// The objective and Hessian delegates of a Newton fit, from one recording per point: each evaluation of the
/// log-likelihood also computes the Hessian there (<see cref="AD.ValueGradHessian(Func{Var[], Var}, double[])"/> carries
/// all directions in one pass), and the last point's value, gradient and Hessian are kept. Newton asks for the Hessian
/// where it last evaluated (the accepted point), and the fit's start is evaluated by <see cref="Mle"/>'s check and then by
/// the optimizer, so each of those costs one recording instead of two.
/// </summary>
internal sealed class SecondOrderEvaluations
{
    private readonly Func<double[], (double Value, double[] Gradient, double[,] Hessian)> _evaluate;
    private double[]? _point;
    private (double Value, double[] Gradient, double[,] Hessian) _last;

    /// <param name="evaluate">f, ∇f and ∇²f at a point.</param>
    public SecondOrderEvaluations(Func<double[], (double Value, double[] Gradient, double[,] Hessian)> evaluate) => _evaluate = evaluate;

    /// <summary>f and ∇f at <paramref name="x"/>: the kept ones when x is the last point evaluated, else a new recording.</summary>
    public double Objective(ReadOnlySpan<double> x, Span<double> gradient)
    {
        var (value, g, _) = At(x);
        g.CopyTo(gradient);
        return value;
    }

    /// <summary>∇²f at <paramref name="x"/>: the kept one when x is the last point evaluated, else a new recording.</summary>
    public void Hessian(ReadOnlySpan<double> x, double[,] hessian)
    {
        var h = At(x).Hessian;
        Array.Copy(h, hessian, hessian.Length);
    }

    /// <summary>The delegates for <see cref="Newton.Maximize"/>.</summary>
    public (ObjectiveFunction Objective, HessianFunction Hessian) Delegates => (Objective, Hessian);

    private (double Value, double[] Gradient, double[,] Hessian) At(ReadOnlySpan<double> x)
    {
        if (_point is null || !x.SequenceEqual(_point))
        {
            _point = x.ToArray();
            _last = _evaluate(_point);
        }

        return _last;
    }
}
