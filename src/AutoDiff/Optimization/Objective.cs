using System;

namespace AutoDiff.Optimization;

/// <summary>
/// The function an optimizer maximizes: f(x) returned, ∇f(x) written into <paramref name="gradient"/>.
/// </summary>
/// <param name="x">The point; its length is the problem's dimension.</param>
/// <param name="gradient">Receives ∂f/∂xᵢ; same length as <paramref name="x"/>.</param>
/// <returns>f(x). NaN and ±∞ are allowed: the optimizers treat such a point as worse than any finite one.</returns>
/// <remarks>
/// Any source of derivatives fits: a closed form, or the AD engine through
/// <see cref="AD.ValueAndGrad(Func{Var[], Var}, ReadOnlySpan{double}, Span{double})"/>.
/// </remarks>
public delegate double ObjectiveFunction(ReadOnlySpan<double> x, Span<double> gradient);

/// <summary>The Hessian ∇²f(x) of the maximized function, written into the n×n <paramref name="hessian"/>.</summary>
/// <param name="x">The point.</param>
/// <param name="hessian">Receives ∂²f/∂xᵢ∂xⱼ; the whole matrix must be written (it is symmetric).</param>
public delegate void HessianFunction(ReadOnlySpan<double> x, double[,] hessian);
