namespace AutoDiff;

/// <summary>
/// A one-input elementwise function and its derivative, as the generator emits them from a <see cref="DifferentiableAttribute"/>
/// declaration; the tensor drivers in <see cref="TensorKernels"/> run it over whole tensors.
/// </summary>
public interface IUnaryKernel
{
    /// <summary>The function's name, for messages.</summary>
    static abstract string Name { get; }

    /// <summary>y = f(x).</summary>
    static abstract double Value(double x);

    /// <summary>dy/dx at x, given y = f(x).</summary>
    static abstract double Derivative(double x, double result);
}

/// <summary>A two-input elementwise function and its partial derivatives; see <see cref="IUnaryKernel"/>.</summary>
public interface IBinaryKernel
{
    /// <summary>The function's name, for messages.</summary>
    static abstract string Name { get; }

    /// <summary>y = f(a, b).</summary>
    static abstract double Value(double a, double b);

    /// <summary>∂y/∂a at (a, b), given y = f(a, b).</summary>
    static abstract double DerivativeA(double a, double b, double result);

    /// <summary>∂y/∂b at (a, b), given y = f(a, b).</summary>
    static abstract double DerivativeB(double a, double b, double result);
}
