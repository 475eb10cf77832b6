using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using AutoDiff.Kernels;

namespace AutoDiff
{
    /// <summary>
    /// A SIMD width (<see cref="Simd512"/>, <see cref="Simd256"/>) with the elementwise kernels' vector entry points at that
    /// width: the drivers' loops (<see cref="ElementwiseLoops"/>) are written once over <typeparamref name="TVector"/> and
    /// compiled once per width, each call below inlined to the kernel's own Vector512 or Vector256 body, as if written twice.
    /// </summary>
    /// <typeparam name="TVector">The vector type.</typeparam>
    /// <typeparam name="TCache">The width's per-row call cache (<see cref="CallCache512"/>, <see cref="CallCache256"/>).</typeparam>
    internal interface IKernelWidth<TVector, TCache> : ISimdWidth<TVector>
        where TVector : struct
        where TCache : struct
    {
        /// <summary>f(x) lane by lane.</summary>
        static abstract TVector Value<TKernel>(TVector x)
            where TKernel : struct, IUnaryKernel;

        /// <summary>f′(x) given y = f(x), lane by lane.</summary>
        static abstract TVector Derivative<TKernel>(TVector x, TVector y)
            where TKernel : struct, IUnaryKernel;

        /// <summary>f(x) and f(−x) lane by lane, given |x| (<see cref="IUnaryKernel.HasReflection"/>).</summary>
        static abstract void ValueAndReflection<TKernel>(TVector x, TVector magnitude, out TVector value, out TVector reflection)
            where TKernel : struct, IUnaryKernel;

        /// <summary>f′(x) and f′(−x) lane by lane, given |x|, y = f(x) and f(−x).</summary>
        static abstract void DerivativeAndReflection<TKernel>(
            TVector x, TVector magnitude, TVector value, TVector reflection, out TVector derivative, out TVector reflectedDerivative)
            where TKernel : struct, IUnaryKernel;

        /// <summary>f(a, b) lane by lane, through the row's call cache when the kernel uses one.</summary>
        static abstract TVector Value<TKernel>(TVector a, TVector b, ref TCache cache)
            where TKernel : struct, IBinaryKernel;

        /// <summary>∂f/∂a given y = f(a, b), without the call cache (a row-invariant partial, taken once per row).</summary>
        static abstract TVector DerivativeA<TKernel>(TVector a, TVector b, TVector y)
            where TKernel : struct, IBinaryKernel;

        /// <summary>∂f/∂b given y = f(a, b), without the call cache (a row-invariant partial, taken once per row).</summary>
        static abstract TVector DerivativeB<TKernel>(TVector a, TVector b, TVector y)
            where TKernel : struct, IBinaryKernel;

        /// <summary>∂f/∂a given y = f(a, b), through the row's call cache when the kernel uses one.</summary>
        static abstract TVector DerivativeA<TKernel>(TVector a, TVector b, TVector y, ref TCache cache)
            where TKernel : struct, IBinaryKernel;

        /// <summary>∂f/∂b given y = f(a, b), through the row's call cache when the kernel uses one.</summary>
        static abstract TVector DerivativeB<TKernel>(TVector a, TVector b, TVector y, ref TCache cache)
            where TKernel : struct, IBinaryKernel;

        /// <summary>n where ∂f/∂a is one quotient n/v by inputs (<see cref="IBinaryKernel.DerivativeADivisorReads"/>), lane by lane.</summary>
        static abstract TVector DerivativeANumerator<TKernel>(TVector a, TVector b, TVector y)
            where TKernel : struct, IBinaryKernel;

        /// <summary>n where ∂f/∂b is one quotient n/v by inputs (<see cref="IBinaryKernel.DerivativeBDivisorReads"/>), lane by lane.</summary>
        static abstract TVector DerivativeBNumerator<TKernel>(TVector a, TVector b, TVector y)
            where TKernel : struct, IBinaryKernel;

        /// <summary>f(x₀, x₁, x₂, x₃) lane by lane, through the row's call cache when the kernel uses one.</summary>
        static abstract TVector Value<TKernel>(TVector x0, TVector x1, TVector x2, TVector x3, ref TCache cache)
            where TKernel : struct, INaryKernel;

        /// <summary>∂f/∂x_input given y, without the call cache (a row-invariant partial, taken once per row).</summary>
        static abstract TVector Derivative<TKernel>(int input, TVector x0, TVector x1, TVector x2, TVector x3, TVector y)
            where TKernel : struct, INaryKernel;

        /// <summary>∂f/∂x_input given y, through the row's call cache when the kernel uses one.</summary>
        static abstract TVector Derivative<TKernel>(int input, TVector x0, TVector x1, TVector x2, TVector x3, TVector y, ref TCache cache)
            where TKernel : struct, INaryKernel;

        /// <summary>n where ∂f/∂x_input is one quotient n/v by an expression of inputs (<see cref="INaryKernel.DerivativeDivisorReads"/>), lane by lane.</summary>
        static abstract TVector DerivativeNumerator<TKernel>(int input, TVector x0, TVector x1, TVector x2, TVector x3, TVector y)
            where TKernel : struct, INaryKernel;
    }
}

namespace AutoDiff.Kernels
{
    internal readonly partial struct Simd512 : IKernelWidth<Vector512<double>, CallCache512>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Value<TKernel>(Vector512<double> x)
            where TKernel : struct, IUnaryKernel => TKernel.Value(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Derivative<TKernel>(Vector512<double> x, Vector512<double> y)
            where TKernel : struct, IUnaryKernel => TKernel.Derivative(x, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void ValueAndReflection<TKernel>(Vector512<double> x, Vector512<double> magnitude, out Vector512<double> value, out Vector512<double> reflection)
            where TKernel : struct, IUnaryKernel => TKernel.ValueAndReflection(x, magnitude, out value, out reflection);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void DerivativeAndReflection<TKernel>(
            Vector512<double> x, Vector512<double> magnitude, Vector512<double> value, Vector512<double> reflection, out Vector512<double> derivative, out Vector512<double> reflectedDerivative)
            where TKernel : struct, IUnaryKernel =>
            TKernel.DerivativeAndReflection(x, magnitude, value, reflection, out derivative, out reflectedDerivative);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Value<TKernel>(Vector512<double> a, Vector512<double> b, ref CallCache512 cache)
            where TKernel : struct, IBinaryKernel => TKernel.UsesCallCache ? TKernel.Value(a, b, ref cache) : TKernel.Value(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> DerivativeA<TKernel>(Vector512<double> a, Vector512<double> b, Vector512<double> y)
            where TKernel : struct, IBinaryKernel => TKernel.DerivativeA(a, b, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> DerivativeB<TKernel>(Vector512<double> a, Vector512<double> b, Vector512<double> y)
            where TKernel : struct, IBinaryKernel => TKernel.DerivativeB(a, b, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> DerivativeA<TKernel>(Vector512<double> a, Vector512<double> b, Vector512<double> y, ref CallCache512 cache)
            where TKernel : struct, IBinaryKernel => TKernel.UsesCallCache ? TKernel.DerivativeA(a, b, y, ref cache) : TKernel.DerivativeA(a, b, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> DerivativeB<TKernel>(Vector512<double> a, Vector512<double> b, Vector512<double> y, ref CallCache512 cache)
            where TKernel : struct, IBinaryKernel => TKernel.UsesCallCache ? TKernel.DerivativeB(a, b, y, ref cache) : TKernel.DerivativeB(a, b, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> DerivativeANumerator<TKernel>(Vector512<double> a, Vector512<double> b, Vector512<double> y)
            where TKernel : struct, IBinaryKernel => TKernel.DerivativeANumerator(a, b, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> DerivativeBNumerator<TKernel>(Vector512<double> a, Vector512<double> b, Vector512<double> y)
            where TKernel : struct, IBinaryKernel => TKernel.DerivativeBNumerator(a, b, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Value<TKernel>(Vector512<double> x0, Vector512<double> x1, Vector512<double> x2, Vector512<double> x3, ref CallCache512 cache)
            where TKernel : struct, INaryKernel => TKernel.UsesCallCache ? TKernel.Value(x0, x1, x2, x3, ref cache) : TKernel.Value(x0, x1, x2, x3);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Derivative<TKernel>(int input, Vector512<double> x0, Vector512<double> x1, Vector512<double> x2, Vector512<double> x3, Vector512<double> y)
            where TKernel : struct, INaryKernel => TKernel.Derivative(input, x0, x1, x2, x3, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Derivative<TKernel>(
            int input, Vector512<double> x0, Vector512<double> x1, Vector512<double> x2, Vector512<double> x3, Vector512<double> y, ref CallCache512 cache)
            where TKernel : struct, INaryKernel =>
            TKernel.UsesCallCache ? TKernel.Derivative(input, x0, x1, x2, x3, y, ref cache) : TKernel.Derivative(input, x0, x1, x2, x3, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> DerivativeNumerator<TKernel>(int input, Vector512<double> x0, Vector512<double> x1, Vector512<double> x2, Vector512<double> x3, Vector512<double> y)
            where TKernel : struct, INaryKernel => TKernel.DerivativeNumerator(input, x0, x1, x2, x3, y);
    }

    internal readonly partial struct Simd256 : IKernelWidth<Vector256<double>, CallCache256>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Value<TKernel>(Vector256<double> x)
            where TKernel : struct, IUnaryKernel => TKernel.Value(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Derivative<TKernel>(Vector256<double> x, Vector256<double> y)
            where TKernel : struct, IUnaryKernel => TKernel.Derivative(x, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void ValueAndReflection<TKernel>(Vector256<double> x, Vector256<double> magnitude, out Vector256<double> value, out Vector256<double> reflection)
            where TKernel : struct, IUnaryKernel => TKernel.ValueAndReflection(x, magnitude, out value, out reflection);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void DerivativeAndReflection<TKernel>(
            Vector256<double> x, Vector256<double> magnitude, Vector256<double> value, Vector256<double> reflection, out Vector256<double> derivative, out Vector256<double> reflectedDerivative)
            where TKernel : struct, IUnaryKernel =>
            TKernel.DerivativeAndReflection(x, magnitude, value, reflection, out derivative, out reflectedDerivative);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Value<TKernel>(Vector256<double> a, Vector256<double> b, ref CallCache256 cache)
            where TKernel : struct, IBinaryKernel => TKernel.UsesCallCache ? TKernel.Value(a, b, ref cache) : TKernel.Value(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> DerivativeA<TKernel>(Vector256<double> a, Vector256<double> b, Vector256<double> y)
            where TKernel : struct, IBinaryKernel => TKernel.DerivativeA(a, b, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> DerivativeB<TKernel>(Vector256<double> a, Vector256<double> b, Vector256<double> y)
            where TKernel : struct, IBinaryKernel => TKernel.DerivativeB(a, b, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> DerivativeA<TKernel>(Vector256<double> a, Vector256<double> b, Vector256<double> y, ref CallCache256 cache)
            where TKernel : struct, IBinaryKernel => TKernel.UsesCallCache ? TKernel.DerivativeA(a, b, y, ref cache) : TKernel.DerivativeA(a, b, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> DerivativeB<TKernel>(Vector256<double> a, Vector256<double> b, Vector256<double> y, ref CallCache256 cache)
            where TKernel : struct, IBinaryKernel => TKernel.UsesCallCache ? TKernel.DerivativeB(a, b, y, ref cache) : TKernel.DerivativeB(a, b, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> DerivativeANumerator<TKernel>(Vector256<double> a, Vector256<double> b, Vector256<double> y)
            where TKernel : struct, IBinaryKernel => TKernel.DerivativeANumerator(a, b, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> DerivativeBNumerator<TKernel>(Vector256<double> a, Vector256<double> b, Vector256<double> y)
            where TKernel : struct, IBinaryKernel => TKernel.DerivativeBNumerator(a, b, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Value<TKernel>(Vector256<double> x0, Vector256<double> x1, Vector256<double> x2, Vector256<double> x3, ref CallCache256 cache)
            where TKernel : struct, INaryKernel => TKernel.UsesCallCache ? TKernel.Value(x0, x1, x2, x3, ref cache) : TKernel.Value(x0, x1, x2, x3);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Derivative<TKernel>(int input, Vector256<double> x0, Vector256<double> x1, Vector256<double> x2, Vector256<double> x3, Vector256<double> y)
            where TKernel : struct, INaryKernel => TKernel.Derivative(input, x0, x1, x2, x3, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Derivative<TKernel>(
            int input, Vector256<double> x0, Vector256<double> x1, Vector256<double> x2, Vector256<double> x3, Vector256<double> y, ref CallCache256 cache)
            where TKernel : struct, INaryKernel =>
            TKernel.UsesCallCache ? TKernel.Derivative(input, x0, x1, x2, x3, y, ref cache) : TKernel.Derivative(input, x0, x1, x2, x3, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> DerivativeNumerator<TKernel>(int input, Vector256<double> x0, Vector256<double> x1, Vector256<double> x2, Vector256<double> x3, Vector256<double> y)
            where TKernel : struct, INaryKernel => TKernel.DerivativeNumerator(input, x0, x1, x2, x3, y);
    }
}
