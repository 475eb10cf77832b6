using System;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// Three- and four-input declarations for the fused tensor kernels: exact arithmetic with vector bodies (so vector and
/// scalar must agree bit for bit), a conditional, a two-input function with a logarithm, and Math.Tanh (no vector form: the scalar fallback runs). The tests
/// also use the benchmarks' LogNormal (Math.Log, vectorized within 1 ulp) from Workloads/DeclaredDensities.cs.
/// </summary>
public static partial class FusedFunctions
{
    /// <summary>y = xᵖ with both rules derived by the generator (no [Derivative]): the limits of Ops.Pow's own rules.</summary>
    [Differentiable]
    public static double DerivedPow(double x, double p) => Math.Pow(x, p);

    /// <summary>w·x + (1 − w)·t; ∂/∂x = w, ∂/∂w = x − t, ∂/∂t = 1 − w.</summary>
    [Differentiable]
    public static double Blend(double x, double w, double t) => w * x + (1.0 - w) * t;

    [Derivative(nameof(Blend), "x")]
    private static double BlendDx(double w) => w;

    [Derivative(nameof(Blend), "w")]
    private static double BlendDw(double x, double t) => x - t;

    [Derivative(nameof(Blend), "t")]
    private static double BlendDt(double w) => 1.0 - w;

    /// <summary>a·b − c + d² where a·b &gt; c, else d/(1 + c²): piecewise, four inputs.</summary>
    [Differentiable]
    public static double Piecewise4(double a, double b, double c, double d) => a * b > c ? a * b - c + d * d : d / (1.0 + c * c);

    [Derivative(nameof(Piecewise4), "a")]
    private static double Piecewise4Da(double a, double b, double c) => a * b > c ? b : 0.0;

    [Derivative(nameof(Piecewise4), "b")]
    private static double Piecewise4Db(double a, double b, double c) => a * b > c ? a : 0.0;

    [Derivative(nameof(Piecewise4), "c")]
    private static double Piecewise4Dc(double a, double b, double c, double d) =>
        a * b > c ? -1.0 : -2.0 * c * d / ((1.0 + c * c) * (1.0 + c * c));

    [Derivative(nameof(Piecewise4), "d")]
    private static double Piecewise4Dd(double a, double b, double c, double d) => a * b > c ? 2.0 * d : 1.0 / (1.0 + c * c);

    /// <summary>
    /// y·log λ − λ, the Poisson log-likelihood's terms in λ: two inputs, a logarithm of the second in the value and in
    /// ∂/∂y = log λ (both cached when λ is broadcast); ∂/∂λ = y/λ − 1.
    /// </summary>
    [Differentiable]
    public static double PoissonTerm(double y, double lambda) => y * Math.Log(lambda) - lambda;

    [Derivative(nameof(PoissonTerm), "y")]
    private static double PoissonTermDy(double lambda) => Math.Log(lambda);

    [Derivative(nameof(PoissonTerm), "lambda")]
    private static double PoissonTermDlambda(double y, double lambda) => y / lambda - 1.0;

    /// <summary>
    /// a·log b + eᵇ: ∂/∂a = log b and ∂/∂b = a/b + eᵇ call different functions of the same argument, so the partials'
    /// call sites must have different cache slots (one cache serves all partials in the backward loop).
    /// </summary>
    [Differentiable]
    public static double LogExpMix(double a, double b) => a * Math.Log(b) + Math.Exp(b);

    [Derivative(nameof(LogExpMix), "a")]
    private static double LogExpMixDa(double b) => Math.Log(b);

    [Derivative(nameof(LogExpMix), "b")]
    private static double LogExpMixDb(double a, double b) => a / b + Math.Exp(b);

    /// <summary>
    /// a²·log b where a &gt; 0, else a²·eᵇ (equal, with equal derivatives, at a = 0): an early return whose cached call
    /// runs only for the blocks where some lane takes it, so its slot may hold the argument of a block several blocks back.
    /// </summary>
    [Differentiable]
    public static double GuardedLog(double a, double b)
    {
        if (a > 0.0)
        {
            return a * a * Math.Log(b);
        }

        return a * a * Math.Exp(b);
    }

    [Derivative(nameof(GuardedLog), "a")]
    private static double GuardedLogDa(double a, double b) => a > 0.0 ? 2.0 * a * Math.Log(b) : 2.0 * a * Math.Exp(b);

    [Derivative(nameof(GuardedLog), "b")]
    private static double GuardedLogDb(double a, double b) => a > 0.0 ? a * a / b : a * a * Math.Exp(b);

    /// <summary>tanh(x)·y + z: Math.Tanh has no vector form, so the kernel is scalar; its rules are derived.</summary>
    [Differentiable]
    public static double TanhMix(double x, double y, double z) => Math.Tanh(x) * y + z;

    /// <summary>
    /// ln cosh x = |x| + ln(1 + e^(−2|x|)) − ln 2, d/dx = tanh x = sign(x)·(1 − e^(−2|x|))/(1 + e^(−2|x|)): a user's
    /// one-input function that reads x through |x| in its value and its rule, so the generator gives it a reflection
    /// (f(x) and f(−x) from one exponential) and its rule, which calls Math.Exp, is kept beside the value.
    /// </summary>
    [Differentiable]
    public static double LogCosh(double x)
    {
        double e = Math.Exp(-2.0 * Math.Abs(x));
        return Math.Abs(x) + Math.Log(1.0 + e) - 0.6931471805599453;
    }

    [Derivative(nameof(LogCosh))]
    private static double LogCoshDerivative(double x)
    {
        double e = Math.Exp(-2.0 * Math.Abs(x));
        return (x >= 0.0 ? 1.0 - e : e - 1.0) / (1.0 + e);
    }

    /// <summary>x³ (no reflection: it never reads |x|); called on ±x by <see cref="OddPart"/>.</summary>
    [Differentiable]
    public static double Cube(double x) => x * x * x;

    [Derivative(nameof(Cube))]
    private static double CubeDerivative(double x) => 3.0 * x * x;

    /// <summary>
    /// (x³ − (−x)³)/2 = x³, d/dx = 3|x|²: a reflection whose paired call (Cube at x and −x) goes to a function without
    /// one, so KernelVectors.ValueAndReflection evaluates it twice.
    /// </summary>
    [Differentiable]
    public static double OddPart(double x) => 0.5 * (Cube(x) - Cube(-x));

    [Derivative(nameof(OddPart))]
    private static double OddPartDerivative(double x) => 3.0 * Math.Abs(x) * Math.Abs(x);
}
