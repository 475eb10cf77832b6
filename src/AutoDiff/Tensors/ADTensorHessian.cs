using System;

namespace AutoDiff;

public static partial class AD
{
    /// <summary>
    /// H·v for a function of one tensor: the Hessian of <paramref name="f"/> at <paramref name="x"/> (over x's elements in
    /// row-major order) times <paramref name="v"/>, exact to rounding, in one forward and one reverse pass.
    /// </summary>
    /// <param name="f">The function; it must return one value (a rank-0 or one-element tensor).</param>
    /// <param name="x">The point.</param>
    /// <param name="v">The direction: a tensor of x's shape.</param>
    /// <returns>A new tensor of x's shape.</returns>
    /// <exception cref="ArgumentException"><paramref name="v"/>'s shape differs from x's, or f returns more than one value.</exception>
    public static Tensor HessianVectorProduct(Func<Tensor, Tensor> f, Tensor x, Tensor v)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(v);
        if (!TensorShape.SameShape(x.ShapeUnsafe, v.ShapeUnsafe))
        {
            throw new ArgumentException(
                $"HessianVectorProduct: the direction has shape {TensorShape.Format(v.ShapeUnsafe)} but x has shape {TensorShape.Format(x.ShapeUnsafe)}; they must be equal.",
                nameof(v));
        }

        var product = new double[x.Size];
        RecordTensor(f, x, v.ReadValues(), new double[x.Size], product);
        return Tensor.Constant(product, x.ShapeUnsafe);
    }

    /// <summary>
    /// The Hessian of a function of one tensor, exact to rounding: an n×n tensor over x's n elements in row-major order,
    /// H[i, j] = ∂²f/∂xᵢ∂xⱼ; column j is H·eⱼ, one forward-over-reverse pass per element.
    /// </summary>
    /// <param name="f">The function; it must return one value (a rank-0 or one-element tensor).</param>
    /// <param name="x">The point.</param>
    /// <returns>A new n×n tensor.</returns>
    /// <exception cref="ArgumentException">f returns more than one value.</exception>
    public static Tensor Hessian(Func<Tensor, Tensor> f, Tensor x) => ValueGradHessian(f, x).Hessian;

    /// <summary>f(x), ∇f(x) (x's shape) and the n×n Hessian together, from the passes of <see cref="Hessian(Func{Tensor, Tensor}, Tensor)"/>.</summary>
    /// <param name="f">The function; it must return one value (a rank-0 or one-element tensor).</param>
    /// <param name="x">The point.</param>
    /// <returns>The value, a new gradient tensor and a new n×n Hessian tensor.</returns>
    /// <exception cref="ArgumentException">f returns more than one value.</exception>
    public static (double Value, Tensor Gradient, Tensor Hessian) ValueGradHessian(Func<Tensor, Tensor> f, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.Size;
        var gradient = new double[n];
        var hessian = new double[n * n];
        var direction = new double[n];
        var column = new double[n];
        double value = RecordTensor(f, x, direction, gradient, column);
        for (int j = 0; j < n; j++)
        {
            direction[j] = 1.0;
            RecordTensor(f, x, direction, gradient, column);
            direction[j] = 0.0;
            for (int i = 0; i < n; i++)
            {
                hessian[i * n + j] = column[i];
            }
        }

        return (value, Tensor.Constant(gradient, x.ShapeUnsafe), Tensor.Constant(hessian, [n, n]));
    }

    // One tangent recording of f on a fresh leaf and one sweep with tangents: f(x), ∇f and H·direction.
    private static double RecordTensor(Func<Tensor, Tensor> f, Tensor x, ReadOnlySpan<double> direction, Span<double> gradient, Span<double> product)
    {
        ArgumentNullException.ThrowIfNull(f);
        var tape = Tape.Current;
        var scope = tape.OpenTangentScope();
        double value;
        try
        {
            var leaf = tape.TensorLeaf(x.ReadValues(), x.ShapeUnsafe);
            tape.SetTangents(leaf, direction);
            var y = f(leaf);
            if (y.Size != 1)
            {
                throw new ArgumentException(
                    $"AD.Hessian needs a function with one output value; f returned a tensor of shape {TensorShape.Format(y.ShapeUnsafe)}. "
                    + "Reduce it (Ops.Sum, Ops.Mean) first.", nameof(f));
            }

            value = y.Item();
            if (y.IsConstant)
            {
                gradient.Clear();
                product.Clear();
            }
            else
            {
                tape.BackwardWithTangents((Var)y);
                tape.CopyGradient(leaf, gradient);
                tape.CopyAdjointTangents(leaf, product);
            }
        }
        catch
        {
            scope.Unwind();
            throw;
        }

        scope.Dispose();
        return value;
    }
}
