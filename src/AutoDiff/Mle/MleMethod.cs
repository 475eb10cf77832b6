namespace AutoDiff;

/// <summary>The optimizer a fit uses.</summary>
public enum MleMethod
{
    /// <summary>Newton's method with a line search (the default): exact Hessians, quadratic convergence; IRLS for logistic regression.</summary>
    Newton,

    /// <summary>L-BFGS: gradients only; for many parameters, where an n×n Hessian per step is too costly.</summary>
    Lbfgs,

    /// <summary>The lecture notes' gradient ascent θ ← θ + η∇LL (with <see cref="MleOptions.LearningRate"/> η), safeguarded by backtracking.</summary>
    GradientAscent,
}
