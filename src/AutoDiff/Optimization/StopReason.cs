namespace AutoDiff.Optimization;

/// <summary>Why an optimizer stopped. The first two are convergence; the others are not.</summary>
public enum StopReason
{
    /// <summary>
    /// The relative gradient maxᵢ |gᵢ|·max(|xᵢ|, 1) / max(|f|, 1) fell to <see cref="OptimizerOptions.GradientTolerance"/>
    /// (Dennis and Schnabel's scale-free test: the change of f, relative to f, for a relative change of one xᵢ), and the
    /// gain the method's next step predicts (½∇fᵀd, the Newton decrement λ²/2 for Newton) is at most that tolerance in
    /// units of f, which neither an offset in f nor the parameters' units can fool; or, where no step increases f, the
    /// gain is not known yet, or it is below f's rounding with the relative gradient at most
    /// √<see cref="OptimizerOptions.GradientTolerance"/>.
    /// </summary>
    GradientTolerance,

    /// <summary>
    /// One step changed f by at most <see cref="OptimizerOptions.RelativeTolerance"/>·max(|f|, 1) and every xᵢ by at
    /// most <see cref="OptimizerOptions.RelativeTolerance"/>·max(|xᵢ|, 1), with the relative gradient at most
    /// √<see cref="OptimizerOptions.GradientTolerance"/> and the predicted gain at most
    /// <see cref="OptimizerOptions.GradientTolerance"/>.
    /// </summary>
    RelativeChange,

    /// <summary>Not converged: <see cref="OptimizerOptions.MaxIterations"/> steps were taken.</summary>
    IterationLimit,

    /// <summary>
    /// Not converged: no step along the search direction increased f (every trial was lower, NaN or infinite). Usually
    /// f is not smooth there, or the gradient tolerance asks for more than the rounding of f allows.
    /// </summary>
    LineSearchFailed,
}
