namespace AutoDiff.Optimization;

/// <summary>The state reported to <see cref="OptimizerOptions.Progress"/> after each iteration (and once at the start).</summary>
/// <param name="Iteration">Steps taken so far (0 at the start point).</param>
/// <param name="Value">f at the current point (the log-likelihood, for a fit).</param>
/// <param name="GradientNorm">‖∇f‖₂ at the current point.</param>
public readonly record struct OptimizationProgress(int Iteration, double Value, double GradientNorm);
