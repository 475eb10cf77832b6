using System;
using static AutoDiff.Ops;

namespace AutoDiff;

/// <summary>
/// How a constrained parameter θ is reached from an unconstrained one u, θ = T(u), so that the optimizer searches all of
/// ℝ and never proposes an impossible θ.
/// </summary>
/// <remarks>
/// <para>
/// The fit maximizes LL(T(u)) over u; the likelihood still receives θ. At the maximum the covariance of θ̂ follows by the
/// delta method, Cov(θ̂) = J Cov(û) Jᵀ with J = diag(T′(ûᵢ)); because the gradient vanishes there, this equals the
/// inverse observed information in θ itself, (−∇²_θ LL)⁻¹, so the standard errors are those of the natural parameter.
/// </para>
/// <para>
/// The available transforms: <see cref="Identity"/> (θ = u), <see cref="Positive"/> (θ = eᵘ, for σ &gt; 0 or a rate) and
/// <see cref="UnitInterval"/> (θ = 1/(1 + e⁻ᵘ), for a probability).
/// </para>
/// </remarks>
public abstract class ParameterTransform
{
    private protected ParameterTransform()
    {
    }

    /// <summary>θ = u: no constraint.</summary>
    public static ParameterTransform Identity { get; } = new IdentityTransform();

    /// <summary>θ = eᵘ, u = log θ: for θ &gt; 0.</summary>
    public static ParameterTransform Positive { get; } = new PositiveTransform();

    /// <summary>θ = σ(u) = 1/(1 + e⁻ᵘ), u = log(θ/(1 − θ)): for 0 &lt; θ &lt; 1.</summary>
    public static ParameterTransform UnitInterval { get; } = new UnitIntervalTransform();

    /// <summary>The domain and the map, as the summary table shows them ("θ > 0, θ = exp(u)").</summary>
    public abstract string Description { get; }

    /// <summary>θ = T(u).</summary>
    public abstract double ToNatural(double u);

    /// <summary>θ = T(u) on the tape, so that AD differentiates through the transform.</summary>
    public abstract Var ToNatural(Var u);

    /// <summary>u = T⁻¹(θ).</summary>
    /// <exception cref="ArgumentOutOfRangeException">θ is outside the transform's domain.</exception>
    public double ToUnconstrained(double theta) =>
        Contains(theta)
            ? Inverse(theta)
            : throw new ArgumentOutOfRangeException(nameof(theta), theta, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"θ = {theta} is outside the domain {Description}."));

    /// <summary>Whether θ lies in the open domain of the transform.</summary>
    public abstract bool Contains(double theta);

    /// <summary>dθ/du = T′(u), the delta method's Jacobian entry.</summary>
    public abstract double Derivative(double u);

    /// <summary>d²θ/du² = T″(u): turns a Hessian in θ into one in u (H_u = J H_θ J + diag(T″ ∂LL/∂θ)).</summary>
    internal abstract double SecondDerivative(double u);

    /// <summary>
    /// T applied to the elements of <paramref name="u"/> where <paramref name="mask"/> is 1, the others passed through
    /// (θ = (1 − m) ⊙ u + m ⊙ T(u), <paramref name="complement"/> = 1 − m): one elementwise expression for a tensor whose
    /// elements have different transforms. Each element is one term plus an exact zero, in value and in every derivative;
    /// the form u + m ⊙ (T(u) − u) cancelled: θ = eᵘ came out with an absolute error of ε|u| (σ̂ = 7·10⁻¹¹ off by 4·10⁻⁶
    /// relative, σ = 10⁻¹⁷ as exactly 0) and its derivative 1 + (eᵘ − 1) likewise.
    /// </summary>
    internal virtual Tensor ToNatural(Tensor u, Tensor mask, Tensor complement) => u;

    /// <summary>T⁻¹(θ) for θ in the domain.</summary>
    private protected abstract double Inverse(double theta);

    /// <inheritdoc/>
    public override string ToString() => Description;

    private sealed class IdentityTransform : ParameterTransform
    {
        public override string Description => "θ real, θ = u";

        public override double ToNatural(double u) => u;

        public override Var ToNatural(Var u) => u;

        public override bool Contains(double theta) => double.IsFinite(theta);

        public override double Derivative(double u) => 1;

        internal override double SecondDerivative(double u) => 0;

        private protected override double Inverse(double theta) => theta;
    }

    private sealed class PositiveTransform : ParameterTransform
    {
        public override string Description => "θ > 0, θ = exp(u)";

        public override double ToNatural(double u) => Math.Exp(u);

        public override Var ToNatural(Var u) => Exp(u);

        public override bool Contains(double theta) => theta > 0 && double.IsFinite(theta);

        public override double Derivative(double u) => Math.Exp(u);

        internal override double SecondDerivative(double u) => Math.Exp(u);

        // exp(m ⊙ u) is exp(0) = 1 off the mask, never an overflow that 0·∞ would turn into NaN.
        internal override Tensor ToNatural(Tensor u, Tensor mask, Tensor complement) => complement * u + mask * Exp(mask * u);

        private protected override double Inverse(double theta) => Math.Log(theta);
    }

    private sealed class UnitIntervalTransform : ParameterTransform
    {
        public override string Description => "0 < θ < 1, θ = 1/(1 + exp(−u))";

        public override double ToNatural(double u) => Sigmoid(u);

        public override Var ToNatural(Var u) => Sigmoid(u);

        public override bool Contains(double theta) => theta > 0 && theta < 1;

        public override double Derivative(double u)
        {
            double s = Sigmoid(u);
            return s * (1 - s);
        }

        internal override double SecondDerivative(double u)
        {
            double s = Sigmoid(u);
            return s * (1 - s) * (1 - 2 * s);
        }

        internal override Tensor ToNatural(Tensor u, Tensor mask, Tensor complement) => complement * u + mask * Sigmoid(u);

        // log θ − log(1 − θ), with log1p for θ near 0 where 1 − θ rounds.
        private protected override double Inverse(double theta) => Math.Log(theta) - Log1p(-theta);
    }
}
