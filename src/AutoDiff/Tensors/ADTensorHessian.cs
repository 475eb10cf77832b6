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
    /// <exception cref="InvalidOperationException">f returns null.</exception>
    /// <exception cref="NotSupportedException">An input is a variable of a recording in progress on this thread: the result would be a constant to it (use AD.Hessian for second derivatives, or pass x.Detach()).</exception>
    public static Tensor HessianVectorProduct(Func<Tensor, Tensor> f, Tensor x, Tensor v)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(v);
        RefuseOuterVariables("AD.HessianVectorProduct", [x, v]);
        if (!TensorShape.SameShape(x.ShapeUnsafe, v.ShapeUnsafe))
        {
            throw new ArgumentException(
                $"HessianVectorProduct: the direction has shape {TensorShape.Format(v.ShapeUnsafe)} but x has shape {TensorShape.Format(x.ShapeUnsafe)}; they must be equal.",
                nameof(v));
        }

        var product = new double[x.Size];
        RecordTensor(f, x, new double[x.Size], 1, v.ReadValues(), product);
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
    /// <exception cref="InvalidOperationException">f returns null.</exception>
    public static Tensor Hessian(Func<Tensor, Tensor> f, Tensor x) => ValueGradHessian(f, x).Hessian;

    /// <summary>f(x), ∇f(x) (x's shape) and the n×n Hessian together, from the passes of <see cref="Hessian(Func{Tensor, Tensor}, Tensor)"/>.</summary>
    /// <param name="f">The function; it must return one value (a rank-0 or one-element tensor).</param>
    /// <param name="x">The point.</param>
    /// <returns>The value, a new gradient tensor and a new n×n Hessian tensor.</returns>
    /// <exception cref="ArgumentException">f returns more than one value.</exception>
    /// <exception cref="InvalidOperationException">f returns null.</exception>
    /// <exception cref="NotSupportedException">An input is a variable of a recording in progress on this thread: the result would be a constant to it (use AD.Hessian for second derivatives, or pass x.Detach()).</exception>
    public static (double Value, Tensor Gradient, Tensor Hessian) ValueGradHessian(Func<Tensor, Tensor> f, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        RefuseOuterVariables("AD.Hessian", [x]);
        int n = x.Size;
        var gradient = new double[n];
        var columns = new double[n, n];
        double value = HessianColumns(n, (first, lanes, directions, products) => RecordTensor(f, x, gradient, lanes, directions, products, first), columns);
        var hessian = new double[n * n];
        Buffer.BlockCopy(columns, 0, hessian, 0, n * n * sizeof(double));
        return (value, Tensor.Constant(gradient, x.ShapeUnsafe), Tensor.Constant(hessian, [n, n]));
    }

    // One tangent recording of f on a fresh leaf along `lanes` directions (directions[lane · n + i]) and one sweep with
    // tangents: f(x), ∇f, and H·direction per lane in products. Lane 0 is the Hessian's column firstDirection (for messages).
    private static double RecordTensor(
        Func<Tensor, Tensor> f, Tensor x, Span<double> gradient, int lanes, ReadOnlySpan<double> directions, Span<double> products,
        int firstDirection = 0)
    {
        ArgumentNullException.ThrowIfNull(f);
        int n = x.Size;
        var tape = Tape.Current;
        var scope = lanes > 0 ? tape.OpenTangentScope(lanes, firstDirection) : tape.OpenScope();
        double value;
        try
        {
            var leaf = tape.TensorLeafOver(x);
            for (int lane = 0; lane < lanes; lane++)
            {
                tape.SetTangents(leaf, lane, directions.Slice(lane * n, n));
            }

            var y = f(leaf) ?? throw new InvalidOperationException(
                $"AD.Hessian: f returned null for an input of shape {TensorShape.Format(x.ShapeUnsafe)}; it must return a tensor with one element.");
            scope.ThrowIfCallLeftScopesOpen("AD.Hessian"); // before sweeping and writing the gradient, as every entry point
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
                products.Clear();
            }
            else
            {
                if (lanes > 0)
                {
                    tape.BackwardWithTangents((Var)y);
                }
                else
                {
                    tape.Backward((Var)y);
                }

                tape.CopyGradient(leaf, gradient);
                for (int lane = 0; lane < lanes; lane++)
                {
                    tape.CopyAdjointTangents(leaf, lane, products.Slice(lane * n, n));
                }
            }
        }
        catch
        {
            scope.Unwind();
            throw;
        }

        scope.CloseAfterCall();
        return value;
    }
}
