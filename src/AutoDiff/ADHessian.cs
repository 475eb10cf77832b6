using System;

namespace AutoDiff;

public static partial class AD
{
    /// <summary>
    /// H·v: the Hessian of <paramref name="f"/> at <paramref name="x"/> times <paramref name="v"/>, exact to rounding,
    /// in one forward and one reverse pass (forward over reverse) and without forming H.
    /// </summary>
    /// <param name="f">The function; it receives one leaf <see cref="Var"/> per coordinate of <paramref name="x"/>.</param>
    /// <param name="x">The point.</param>
    /// <param name="v">The direction; same length as <paramref name="x"/>.</param>
    /// <returns>A new array with (H v)ᵢ = Σⱼ ∂²f/∂xᵢ∂xⱼ · vⱼ.</returns>
    /// <exception cref="ArgumentException"><paramref name="v"/> and <paramref name="x"/> differ in length.</exception>
    /// <exception cref="NotSupportedException"><paramref name="f"/> uses an operation without a second-order rule.</exception>
    public static double[] HessianVectorProduct(Func<Var[], Var> f, double[] x, double[] v)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(v);
        RequireSameLength("HessianVectorProduct", x.Length, "v", v.Length);
        var product = new double[x.Length];
        ValueGradientAndHessianVector(f, x, v, new double[x.Length], product);
        return product;
    }

    /// <summary>
    /// The Hessian ∇²f(x), exact to rounding: column j is H·eⱼ, one forward-over-reverse pass per coordinate.
    /// </summary>
    /// <param name="f">The function; it receives one leaf <see cref="Var"/> per coordinate of <paramref name="x"/>.</param>
    /// <param name="x">The point.</param>
    /// <returns>A new n×n array with H[i, j] = ∂²f/∂xᵢ∂xⱼ (symmetric to rounding).</returns>
    /// <exception cref="NotSupportedException"><paramref name="f"/> uses an operation without a second-order rule.</exception>
    public static double[,] Hessian(Func<Var[], Var> f, double[] x) => ValueGradHessian(f, x).Hessian;

    /// <summary>f(x), ∇f(x) and ∇²f(x) together: what a Newton step needs, from the same passes as <see cref="Hessian(Func{Var[], Var}, double[])"/>.</summary>
    /// <param name="f">The function; it receives one leaf <see cref="Var"/> per coordinate of <paramref name="x"/>.</param>
    /// <param name="x">The point.</param>
    /// <returns>The value, a new gradient array and a new n×n Hessian.</returns>
    /// <exception cref="NotSupportedException"><paramref name="f"/> uses an operation without a second-order rule.</exception>
    public static (double Value, double[] Gradient, double[,] Hessian) ValueGradHessian(Func<Var[], Var> f, double[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.Length;
        var gradient = new double[n];
        var hessian = new double[n, n];
        var direction = new double[n];
        var column = new double[n];
        double value = n == 0 ? ValueAndGrad(f, x, gradient) : 0.0;
        for (int j = 0; j < n; j++)
        {
            direction[j] = 1.0;
            value = ValueGradientAndHessianVector(f, x, direction, gradient, column);
            direction[j] = 0.0;
            for (int i = 0; i < n; i++)
            {
                hessian[i, j] = column[i];
            }
        }

        return (value, gradient, hessian);
    }

    /// <summary>f(x), ∇f(x) into <paramref name="gradient"/> and H·v into <paramref name="product"/>, in one tangent recording and one sweep.</summary>
    internal static double ValueGradientAndHessianVector(
        Func<Var[], Var> f, ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> gradient, Span<double> product) =>
        product.Length == 0 ? ValueAndGrad(f, x, gradient) : Record(f, x, v, gradient, product);

    private static void RequireSameLength(string op, int xLength, string name, int length)
    {
        if (length != xLength)
        {
            throw new ArgumentException($"{op}: {name} has length {length} but x has length {xLength}; they must be equal.", name);
        }
    }
}
