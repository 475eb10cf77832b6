namespace AutoDiff.Optimization;

/// <summary>The state reported to <see cref="OptimizerOptions.Progress"/> after each iteration (and once at the start).</summary>
/// <param name="Iteration">Steps taken so far (0 at the start point).</param>
/// <param name="Value">f at the current point (the log-likelihood, for a fit).</param>
/// <param name="GradientNorm">‖∇f‖₂ at the current point.</param>
public readonly record struct OptimizationProgress(int Iteration, double Value, double GradientNorm)
{
    /// <summary>"iteration 3: f = -358.65, ‖∇f‖₂ = 1.2E-05", in the invariant culture (as every message of the library).</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"iteration {Iteration}: f = {Value:R}, ‖∇f‖₂ = {GradientNorm:G3}");
}
