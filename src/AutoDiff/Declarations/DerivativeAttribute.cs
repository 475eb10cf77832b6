using System;

namespace AutoDiff;

/// <summary>
/// Declares the local partial derivative ∂f/∂input of a <see cref="DifferentiableAttribute"/> function <c>f</c>.
/// </summary>
/// <remarks>
/// The method is <c>static</c>, returns <see cref="double"/>, and its parameters name what the rule reads:
/// any of <c>f</c>'s inputs (by their parameter names) and <c>result</c> (the value <c>f</c> returned). The generator passes
/// exactly those. The scalar tape evaluates the rule in the forward pass and keeps only the partial; what a rule reads is
/// what a kernel that runs the rule later (in the backward pass) must save, so a rule that reads only <c>result</c>
/// (such as <c>exp</c>'s) never needs its input.
/// <code>
/// [Differentiable] public static double Div(double a, double b) =&gt; a / b;
/// [Derivative(nameof(Div), "a")] static double DivDa(double b) =&gt; 1.0 / b;                // ∂(a/b)/∂a = 1/b
/// [Derivative(nameof(Div), "b")] static double DivDb(double b, double result) =&gt; -result / b; // ∂(a/b)/∂b = −a/b²
/// </code>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DerivativeAttribute : Attribute
{
    /// <summary>Declares the derivative of a one-input function <paramref name="function"/>.</summary>
    /// <param name="function">The name of the <see cref="DifferentiableAttribute"/> method in the same class (use <c>nameof</c>).</param>
    public DerivativeAttribute(string function) => Function = function;

    /// <summary>Declares the partial derivative of <paramref name="function"/> with respect to its input <paramref name="withRespectTo"/>.</summary>
    /// <param name="function">The name of the <see cref="DifferentiableAttribute"/> method in the same class (use <c>nameof</c>).</param>
    /// <param name="withRespectTo">The name of the input parameter this partial is taken with respect to.</param>
    public DerivativeAttribute(string function, string withRespectTo)
    {
        Function = function;
        WithRespectTo = withRespectTo;
    }

    /// <summary>The name of the differentiable function this rule belongs to.</summary>
    public string Function { get; }

    /// <summary>The input the partial is taken with respect to; <see langword="null"/> for a one-input function.</summary>
    public string? WithRespectTo { get; }
}
