using System;
using System.Runtime.Intrinsics;

namespace AutoDiff;

/// <summary>
/// A one-input elementwise function and its derivative, as the generator emits them from a <see cref="DifferentiableAttribute"/>
/// declaration; the tensor drivers in <see cref="TensorKernels"/> run it over whole tensors.
/// </summary>
/// <remarks>
/// The vector members are optional. The generator implements them, and sets <see cref="IsValueVectorized"/> or
/// <see cref="IsDerivativeVectorized"/>, when it can translate the declaration's body lane for lane (arithmetic, comparisons,
/// conditionals, and the <see cref="Math"/> functions with accurate vector forms); the drivers then run whole vectors
/// and fall back to the scalar members for the tail. The default vector members are never called.
/// </remarks>
public interface IUnaryKernel
{
    /// <summary>The function's name, for messages.</summary>
    static abstract string Name { get; }

    /// <summary>y = f(x).</summary>
    static abstract double Value(double x);

    /// <summary>dy/dx at x, given y = f(x).</summary>
    static abstract double Derivative(double x, double result);

    /// <summary>The function's second-order rule (<see cref="ISecondOrderRule.PartialTangents"/>) for one element: Hessians of tensor code.</summary>
    static abstract void PartialTangents(ReadOnlySpan<double> values, ReadOnlySpan<double> tangents, double result, double resultTangent, Span<double> partialTangents);

    /// <summary>False when f″ is identically 0 (a linear function): a Hessian then skips the rule's change.</summary>
    static virtual bool HasCurvature => true;

    /// <summary>f″(x), given y = f(x) and <paramref name="slope"/> = f′(x): the change of the rule per unit ẋ.</summary>
    static abstract double Curvature(double x, double result, double slope);

    /// <summary>Whether the vector overloads of <c>Value</c> are implemented.</summary>
    static virtual bool IsValueVectorized => false;

    /// <summary>Whether the vector overloads of <c>Derivative</c> are implemented.</summary>
    static virtual bool IsDerivativeVectorized => false;

    /// <summary>
    /// Whether a recorded tensor operation computes f′ in its forward pass, in the same loop as f, and keeps it for the
    /// backward pass, instead of the backward pass computing it again. The generator sets it when the derivative's vector
    /// body calls a transcendental function (an exponential, a logarithm, another declared function): <c>LogSigmoid</c>'s
    /// σ(−x), <c>Softplus</c>'s σ(x). The loop runs both computations side by side, so the partial costs the forward pass
    /// little, and the backward pass is one multiplication per element; a cheap derivative (2x, 1/x, y) is not kept,
    /// since keeping it would only add a pass over memory.
    /// </summary>
    static virtual bool SavesPartial => false;

    /// <summary>y = f(x) in every lane; implemented when <see cref="IsValueVectorized"/>.</summary>
    static virtual Vector512<double> Value(Vector512<double> x) => throw new NotSupportedException();

    /// <summary>y = f(x) in every lane; implemented when <see cref="IsValueVectorized"/>.</summary>
    static virtual Vector256<double> Value(Vector256<double> x) => throw new NotSupportedException();

    /// <summary>dy/dx in every lane; implemented when <see cref="IsDerivativeVectorized"/>.</summary>
    static virtual Vector512<double> Derivative(Vector512<double> x, Vector512<double> result) => throw new NotSupportedException();

    /// <summary>dy/dx in every lane; implemented when <see cref="IsDerivativeVectorized"/>.</summary>
    static virtual Vector256<double> Derivative(Vector256<double> x, Vector256<double> result) => throw new NotSupportedException();

    /// <summary>
    /// Whether the vector value and derivative also come at x and −x together, what the two share computed once
    /// (<c>ValueAndReflection</c>, <c>DerivativeAndReflection</c>). The generator emits them when both the declaration and
    /// its rule share work between x and −x: they read |x| (<c>Math.Abs(x)</c>), or call another declared function of ±x
    /// that does: <c>Softplus</c>, <c>LogSigmoid</c> and <c>Sigmoid</c>, whose e^(−|x|) is the same at x and −x.
    /// <see cref="ElementwiseLoops.UnaryReflectedValueAndPartial{TKernel}"/> runs them for a compiled trace that holds
    /// f(z) and f(−z) (<see cref="ReflectedPairs"/>).
    /// </summary>
    static virtual bool HasReflection => false;

    /// <summary>f(x) and f(−x) in every lane, given m = |x|; implemented when <see cref="HasReflection"/>.</summary>
    static virtual void ValueAndReflection(Vector512<double> x, Vector512<double> magnitude, out Vector512<double> value, out Vector512<double> reflection) =>
        throw new NotSupportedException();

    /// <summary>f(x) and f(−x) in every lane, given m = |x|; implemented when <see cref="HasReflection"/>.</summary>
    static virtual void ValueAndReflection(Vector256<double> x, Vector256<double> magnitude, out Vector256<double> value, out Vector256<double> reflection) =>
        throw new NotSupportedException();

    /// <summary>f′(x) and f′(−x) in every lane, given m = |x|, f(x) and f(−x); implemented when <see cref="HasReflection"/>.</summary>
    static virtual void DerivativeAndReflection(
        Vector512<double> x, Vector512<double> magnitude, Vector512<double> result, Vector512<double> reflectedResult, out Vector512<double> partial, out Vector512<double> reflectedPartial) =>
        throw new NotSupportedException();

    /// <summary>f′(x) and f′(−x) in every lane, given m = |x|, f(x) and f(−x); implemented when <see cref="HasReflection"/>.</summary>
    static virtual void DerivativeAndReflection(
        Vector256<double> x, Vector256<double> magnitude, Vector256<double> result, Vector256<double> reflectedResult, out Vector256<double> partial, out Vector256<double> reflectedPartial) =>
        throw new NotSupportedException();
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

    /// <summary>The function's second-order rule (<see cref="ISecondOrderRule.PartialTangents"/>) for one element pair: Hessians of tensor code.</summary>
    static abstract void PartialTangents(ReadOnlySpan<double> values, ReadOnlySpan<double> tangents, double result, double resultTangent, Span<double> partialTangents);

    /// <summary>False when every second partial is identically 0 (a linear function): a Hessian then skips the rules' change.</summary>
    static virtual bool HasCurvature => true;

    /// <summary>False when ∂y/∂a does not change with a (∂²y/∂a² ≡ 0): with b constant, a Hessian skips the rule's change.</summary>
    static virtual bool CurvesA => true;

    /// <summary>False when ∂y/∂b does not change with b (∂²y/∂b² ≡ 0): with a constant, a Hessian skips the rule's change.</summary>
    static virtual bool CurvesB => true;

    /// <summary>What ∂y/∂a reads (<see cref="PartialReads.Input0"/> is a, <see cref="PartialReads.Input1"/> is b): a rule reading only broadcast inputs is evaluated once per row.</summary>
    static virtual PartialReads DerivativeAReads => PartialReads.All;

    /// <summary>What ∂y/∂b reads; see <see cref="DerivativeAReads"/>.</summary>
    static virtual PartialReads DerivativeBReads => PartialReads.All;

    /// <summary>
    /// When ∂y/∂a is one quotient n/v whose divisor reads inputs alone (∂(a/b)/∂a = 1/b; ∂(x²/s²)/∂s = −2x²/(s·s·s)):
    /// the inputs v reads; <see cref="PartialReads.None"/> otherwise, and the numerator and divisor members are not implemented.
    /// </summary>
    /// <remarks>
    /// Summed into a broadcast a while v reads only broadcast inputs, Σ g·n/v is taken as (Σ g·n)/v: one division for the
    /// row instead of one per element. The sum differs from the per-element one only by rounding, as any reordering of it
    /// does; where it would not (v not a normal number, an overflow, a sum among the subnormals) the row is summed again
    /// with the rule itself.
    /// </remarks>
    static virtual PartialReads DerivativeADivisorReads => PartialReads.None;

    /// <summary>When ∂y/∂b is one quotient n/v by inputs (∂(a/b)/∂b = −y/b): what v reads; see <see cref="DerivativeADivisorReads"/>.</summary>
    static virtual PartialReads DerivativeBDivisorReads => PartialReads.None;

    /// <summary>The numerator n of ∂y/∂a = n/v in every lane; implemented where <see cref="DerivativeADivisorReads"/> is not None.</summary>
    static virtual Vector512<double> DerivativeANumerator(Vector512<double> a, Vector512<double> b, Vector512<double> result) => throw new NotSupportedException();

    /// <summary>The numerator n of ∂y/∂a = n/v in every lane; implemented where <see cref="DerivativeADivisorReads"/> is not None.</summary>
    static virtual Vector256<double> DerivativeANumerator(Vector256<double> a, Vector256<double> b, Vector256<double> result) => throw new NotSupportedException();

    /// <summary>The numerator n of ∂y/∂b = n/v in every lane (−y for a / b); implemented where <see cref="DerivativeBDivisorReads"/> is not None.</summary>
    static virtual Vector512<double> DerivativeBNumerator(Vector512<double> a, Vector512<double> b, Vector512<double> result) => throw new NotSupportedException();

    /// <summary>The numerator n of ∂y/∂b = n/v in every lane; implemented where <see cref="DerivativeBDivisorReads"/> is not None.</summary>
    static virtual Vector256<double> DerivativeBNumerator(Vector256<double> a, Vector256<double> b, Vector256<double> result) => throw new NotSupportedException();

    /// <summary>
    /// The divisor v of ∂y/∂a = n/v in every lane; implemented where <see cref="DerivativeADivisorReads"/> is not None. The
    /// backward reads it once per row, at the broadcast inputs' values, so it has this one width.
    /// </summary>
    static virtual Vector256<double> DerivativeADivisor(Vector256<double> a, Vector256<double> b) => throw new NotSupportedException();

    /// <summary>The divisor v of ∂y/∂b = n/v in every lane (b for a / b); see <see cref="DerivativeADivisor"/>.</summary>
    static virtual Vector256<double> DerivativeBDivisor(Vector256<double> a, Vector256<double> b) => throw new NotSupportedException();

    /// <summary>Whether the vector overloads of <c>Value</c> are implemented.</summary>
    static virtual bool IsValueVectorized => false;

    /// <summary>Whether the vector overloads of <c>DerivativeA</c> and <c>DerivativeB</c> are implemented.</summary>
    static virtual bool IsDerivativeVectorized => false;

    /// <summary>y = f(a, b) in every lane; implemented when <see cref="IsValueVectorized"/>.</summary>
    static virtual Vector512<double> Value(Vector512<double> a, Vector512<double> b) => throw new NotSupportedException();

    /// <summary>y = f(a, b) in every lane; implemented when <see cref="IsValueVectorized"/>.</summary>
    static virtual Vector256<double> Value(Vector256<double> a, Vector256<double> b) => throw new NotSupportedException();

    /// <summary>∂y/∂a in every lane; implemented when <see cref="IsDerivativeVectorized"/>.</summary>
    static virtual Vector512<double> DerivativeA(Vector512<double> a, Vector512<double> b, Vector512<double> result) => throw new NotSupportedException();

    /// <summary>∂y/∂a in every lane; implemented when <see cref="IsDerivativeVectorized"/>.</summary>
    static virtual Vector256<double> DerivativeA(Vector256<double> a, Vector256<double> b, Vector256<double> result) => throw new NotSupportedException();

    /// <summary>∂y/∂b in every lane; implemented when <see cref="IsDerivativeVectorized"/>.</summary>
    static virtual Vector512<double> DerivativeB(Vector512<double> a, Vector512<double> b, Vector512<double> result) => throw new NotSupportedException();

    /// <summary>∂y/∂b in every lane; implemented when <see cref="IsDerivativeVectorized"/>.</summary>
    static virtual Vector256<double> DerivativeB(Vector256<double> a, Vector256<double> b, Vector256<double> result) => throw new NotSupportedException();

    /// <summary>
    /// Whether the vector bodies also come in forms that take a <see cref="CallCache256"/> (<see cref="CallCache512"/>),
    /// which the drivers then use: generated when a body calls <c>Math.Exp</c>, <c>Math.Log</c> or another declared
    /// function, so a call on a broadcast input is evaluated once per row rather than once per block.
    /// </summary>
    static virtual bool UsesCallCache => false;

    /// <summary>f(a, b) in every lane, its expensive calls remembered in <paramref name="cache"/>; implemented when <see cref="UsesCallCache"/>.</summary>
    static virtual Vector512<double> Value(Vector512<double> a, Vector512<double> b, ref CallCache512 cache) => throw new NotSupportedException();

    /// <summary>f(a, b) in every lane, its expensive calls remembered in <paramref name="cache"/>; implemented when <see cref="UsesCallCache"/>.</summary>
    static virtual Vector256<double> Value(Vector256<double> a, Vector256<double> b, ref CallCache256 cache) => throw new NotSupportedException();

    /// <summary>∂y/∂a in every lane, with <paramref name="cache"/>; implemented when <see cref="UsesCallCache"/> and <see cref="IsDerivativeVectorized"/>.</summary>
    static virtual Vector512<double> DerivativeA(Vector512<double> a, Vector512<double> b, Vector512<double> result, ref CallCache512 cache) => throw new NotSupportedException();

    /// <summary>∂y/∂a in every lane, with <paramref name="cache"/>; implemented when <see cref="UsesCallCache"/> and <see cref="IsDerivativeVectorized"/>.</summary>
    static virtual Vector256<double> DerivativeA(Vector256<double> a, Vector256<double> b, Vector256<double> result, ref CallCache256 cache) => throw new NotSupportedException();

    /// <summary>∂y/∂b in every lane, with <paramref name="cache"/>; implemented when <see cref="UsesCallCache"/> and <see cref="IsDerivativeVectorized"/>.</summary>
    static virtual Vector512<double> DerivativeB(Vector512<double> a, Vector512<double> b, Vector512<double> result, ref CallCache512 cache) => throw new NotSupportedException();

    /// <summary>∂y/∂b in every lane, with <paramref name="cache"/>; implemented when <see cref="UsesCallCache"/> and <see cref="IsDerivativeVectorized"/>.</summary>
    static virtual Vector256<double> DerivativeB(Vector256<double> a, Vector256<double> b, Vector256<double> result, ref CallCache256 cache) => throw new NotSupportedException();
}

/// <summary>
/// A three- or four-input elementwise function and its partial derivatives, as the generator emits them from a
/// <see cref="DifferentiableAttribute"/> declaration; <see cref="TensorKernels.Nary{TKernel}"/> runs it over whole tensors
/// in one fused pass that computes y = f(x₀, …) and the partials ∂y/∂xₖ of the variable inputs together.
/// </summary>
/// <remarks>
/// Every member takes four inputs so that one driver serves both arities: a three-input kernel (<see cref="Arity"/> = 3)
/// ignores <c>x3</c>, and the driver passes 0 for it. The vector members are optional, as in <see cref="IUnaryKernel"/>.
/// </remarks>
public interface INaryKernel
{
    /// <summary>The function's name, for messages.</summary>
    static abstract string Name { get; }

    /// <summary>The number of inputs, 3 or 4.</summary>
    static abstract int Arity { get; }

    /// <summary>y = f(x₀, x₁, x₂[, x₃]).</summary>
    static abstract double Value(double x0, double x1, double x2, double x3);

    /// <summary>∂y/∂x_<paramref name="input"/> at (x₀, x₁, x₂[, x₃]), given y = f(x₀, …).</summary>
    static abstract double Derivative(int input, double x0, double x1, double x2, double x3, double result);

    /// <summary>The function's second-order rule (<see cref="ISecondOrderRule.PartialTangents"/>) for one element tuple: Hessians of tensor code.</summary>
    static abstract void PartialTangents(ReadOnlySpan<double> values, ReadOnlySpan<double> tangents, double result, double resultTangent, Span<double> partialTangents);

    /// <summary>
    /// What ∂y/∂x_<paramref name="input"/> reads (<see cref="PartialReads.Input0"/> is x₀, …): a rule reading only broadcast
    /// inputs is evaluated once per row. The vector backward loads the output only when a rule it evaluates per block
    /// reads <see cref="PartialReads.Result"/>, and passes 0 as <c>result</c> otherwise: a rule that reads the output
    /// must say so.
    /// </summary>
    static virtual PartialReads DerivativeReads(int input) => PartialReads.All;

    /// <summary>Whether the vector overloads of <c>Value</c> are implemented.</summary>
    static virtual bool IsValueVectorized => false;

    /// <summary>Whether the vector overloads of <c>Derivative</c> are implemented.</summary>
    static virtual bool IsDerivativeVectorized => false;

    /// <summary>y = f(x₀, …) in every lane; implemented when <see cref="IsValueVectorized"/>.</summary>
    static virtual Vector512<double> Value(Vector512<double> x0, Vector512<double> x1, Vector512<double> x2, Vector512<double> x3) =>
        throw new NotSupportedException();

    /// <summary>y = f(x₀, …) in every lane; implemented when <see cref="IsValueVectorized"/>.</summary>
    static virtual Vector256<double> Value(Vector256<double> x0, Vector256<double> x1, Vector256<double> x2, Vector256<double> x3) =>
        throw new NotSupportedException();

    /// <summary>∂y/∂x_<paramref name="input"/> in every lane; implemented when <see cref="IsDerivativeVectorized"/>.</summary>
    static virtual Vector512<double> Derivative(
        int input, Vector512<double> x0, Vector512<double> x1, Vector512<double> x2, Vector512<double> x3, Vector512<double> result) =>
        throw new NotSupportedException();

    /// <summary>∂y/∂x_<paramref name="input"/> in every lane; implemented when <see cref="IsDerivativeVectorized"/>.</summary>
    static virtual Vector256<double> Derivative(
        int input, Vector256<double> x0, Vector256<double> x1, Vector256<double> x2, Vector256<double> x3, Vector256<double> result) =>
        throw new NotSupportedException();

    /// <summary>Whether the vector bodies also come in forms that take a call cache (<see cref="IBinaryKernel.UsesCallCache"/>).</summary>
    static virtual bool UsesCallCache => false;

    /// <summary>y = f(x₀, …) in every lane, its expensive calls remembered in <paramref name="cache"/>; implemented when <see cref="UsesCallCache"/>.</summary>
    static virtual Vector512<double> Value(Vector512<double> x0, Vector512<double> x1, Vector512<double> x2, Vector512<double> x3, ref CallCache512 cache) =>
        throw new NotSupportedException();

    /// <summary>y = f(x₀, …) in every lane, its expensive calls remembered in <paramref name="cache"/>; implemented when <see cref="UsesCallCache"/>.</summary>
    static virtual Vector256<double> Value(Vector256<double> x0, Vector256<double> x1, Vector256<double> x2, Vector256<double> x3, ref CallCache256 cache) =>
        throw new NotSupportedException();

    /// <summary>∂y/∂x_<paramref name="input"/> in every lane, with <paramref name="cache"/>; implemented when <see cref="UsesCallCache"/> and <see cref="IsDerivativeVectorized"/>.</summary>
    static virtual Vector512<double> Derivative(
        int input, Vector512<double> x0, Vector512<double> x1, Vector512<double> x2, Vector512<double> x3, Vector512<double> result, ref CallCache512 cache) =>
        throw new NotSupportedException();

    /// <summary>∂y/∂x_<paramref name="input"/> in every lane, with <paramref name="cache"/>; implemented when <see cref="UsesCallCache"/> and <see cref="IsDerivativeVectorized"/>.</summary>
    static virtual Vector256<double> Derivative(
        int input, Vector256<double> x0, Vector256<double> x1, Vector256<double> x2, Vector256<double> x3, Vector256<double> result, ref CallCache256 cache) =>
        throw new NotSupportedException();

    /// <summary>
    /// When ∂y/∂xₖ is one quotient n/v whose divisor v is an expression of inputs alone (∂/∂μ of log N(y; μ, σ) =
    /// (y − μ)/(σ·σ)): the inputs v reads; <see cref="PartialReads.None"/> when the rule is not such a quotient. Summed
    /// into a broadcast input while v reads only broadcast inputs, Σ g·n/v is taken as (Σ g·n)/v: one division for the
    /// row instead of one per element (the row is summed again with the rule itself where that would not round alike).
    /// </summary>
    static virtual PartialReads DerivativeDivisorReads(int input) => PartialReads.None;

    /// <summary>The numerator n of ∂y/∂x_input = n/v in every lane; implemented where <see cref="DerivativeDivisorReads"/> is not None.</summary>
    static virtual Vector512<double> DerivativeNumerator(
        int input, Vector512<double> x0, Vector512<double> x1, Vector512<double> x2, Vector512<double> x3, Vector512<double> result) =>
        throw new NotSupportedException();

    /// <summary>The numerator n of ∂y/∂x_input = n/v in every lane; implemented where <see cref="DerivativeDivisorReads"/> is not None.</summary>
    static virtual Vector256<double> DerivativeNumerator(
        int input, Vector256<double> x0, Vector256<double> x1, Vector256<double> x2, Vector256<double> x3, Vector256<double> result) =>
        throw new NotSupportedException();

    /// <summary>
    /// The divisor v of ∂y/∂x_input = n/v in every lane; implemented where <see cref="DerivativeDivisorReads"/> is not None.
    /// The backward reads it once per row, at the broadcast inputs' values (x3 = 0 for three inputs), so it has this one width.
    /// </summary>
    static virtual Vector256<double> DerivativeDivisor(int input, Vector256<double> x0, Vector256<double> x1, Vector256<double> x2, Vector256<double> x3) =>
        throw new NotSupportedException();
}
