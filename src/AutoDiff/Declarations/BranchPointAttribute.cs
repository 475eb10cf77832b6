using System;

namespace AutoDiff;

/// <summary>
/// Marks a value of an input at which a declared function, or one of its derivative rules, switches branch (a comparison
/// with a constant of the input, its magnitude or an affine form of either: <c>x &lt; 20</c> marks 20,
/// <c>Math.Abs(r) &lt;= 5</c> marks −5 and 5). Written by the generator on the function's <see cref="Var"/> overload;
/// <see cref="DeclaredOpSweep"/> checks the derivatives just below and just above each one. A comparison affine in two
/// inputs (<c>x &lt; y</c>) marks a line instead: <see cref="BranchSurfaceAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class BranchPointAttribute : Attribute
{
    /// <summary>Records that the function branches where <paramref name="input"/> = <paramref name="value"/>.</summary>
    /// <param name="input">The input's parameter name.</param>
    /// <param name="value">The input's value there.</param>
    public BranchPointAttribute(string input, double value)
    {
        Input = input;
        Value = value;
    }

    /// <summary>The input's parameter name.</summary>
    public string Input { get; }

    /// <summary>The input's value at which the function or a rule switches branch.</summary>
    public double Value { get; }
}
