using System;

namespace AutoDiff;

/// <summary>
/// Declares an elementwise differentiable function: a <c>static</c> method of a <c>static partial</c> class
/// taking one to four <see cref="double"/> inputs and returning a <see cref="double"/>.
/// </summary>
/// <remarks>
/// <para>The AutoDiff source generator reads the declaration together with its <see cref="DerivativeAttribute"/>
/// partials and emits, into the same class, the overloads that record the function on the tape:
/// <c>F(Var, …)</c> (and, for two inputs, <c>F(Var, double)</c> and <c>F(double, Var)</c>).</para>
/// <para>Example, forward and derivative side by side:</para>
/// <code>
/// [Differentiable] public static double Exp(double x) =&gt; Math.Exp(x);
/// [Derivative(nameof(Exp))] static double ExpDerivative(double result) =&gt; result;   // dy/dx = y
/// </code>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
    /// <summary>
    /// The C# operator that the function also defines on <see cref="Var"/> (<c>"+"</c>, <c>"-"</c>, <c>"*"</c>, <c>"/"</c>
    /// for two inputs, <c>"-"</c> for one). Only the AutoDiff library itself may set it, since only it can extend <see cref="Var"/>.
    /// </summary>
    public string? Operator { get; set; }
}
