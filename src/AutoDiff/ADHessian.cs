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
        Record(f, x, new double[x.Length], 1, v, product);
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
        double value = HessianColumns(n, (first, lanes, directions, products) => Record(f, x, gradient, lanes, directions, products, firstDirection: first), hessian);
        return (value, gradient, hessian);
    }

    // At most this many directions ride along one recording: the tangent arrays grow with lanes × nodes.
    private const int MaxLanes = 16;

    // Fills H column by column from recordings of up to MaxLanes unit directions each; returns f(x). With n = 0 it still
    // records once, for the value.
    private static double HessianColumns(int n, HessianColumnRecorder record, double[,] hessian)
    {
        if (n == 0)
        {
            return record(0, 0, default, default);
        }

        int width = Math.Min(n, MaxLanes);
        var directions = new double[width * n];
        var products = new double[width * n];
        double value = 0.0;
        for (int first = 0; first < n; first += width)
        {
            int lanes = Math.Min(width, n - first);
            Array.Clear(directions);
            for (int lane = 0; lane < lanes; lane++)
            {
                directions[lane * n + first + lane] = 1.0;
            }

            value = record(first, lanes, directions.AsSpan(0, lanes * n), products.AsSpan(0, lanes * n));
            for (int lane = 0; lane < lanes; lane++)
            {
                for (int i = 0; i < n; i++)
                {
                    hessian[i, first + lane] = products[lane * n + i];
                }
            }
        }

        return value;
    }

    private delegate double HessianColumnRecorder(int first, int lanes, ReadOnlySpan<double> directions, Span<double> products);

    private static void RequireSameLength(string op, int xLength, string name, int length)
    {
        if (length != xLength)
        {
            throw new ArgumentException($"{op}: {name} has length {length} but x has length {xLength}; they must be equal.", name);
        }
    }
}
