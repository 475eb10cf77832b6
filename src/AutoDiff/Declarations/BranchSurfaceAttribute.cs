using System;

namespace AutoDiff;

/// <summary>
/// Marks a line in the plane of two inputs on which a declared function, or one of its derivative rules, switches branch:
/// <see cref="Input"/> = <see cref="Slope"/>·<see cref="Other"/> + <see cref="Offset"/>, from a comparison whose two sides
/// are affine in the two inputs with constant coefficients (<c>x &lt; y</c> marks x = 1·y + 0, <c>x - y &gt; 2</c> marks
/// x = 1·y + 2, <c>2 * x &lt;= y + 1</c> marks x = 0.5·y + 0.5, <c>Math.Abs(x - y) &lt; 1</c> marks x = 1·y ± 1). Written by
/// the generator on the function's <see cref="Var"/> overload, solved for the input declared first;
/// <see cref="DeclaredOpSweep"/> checks the derivatives just on either side of each line.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class BranchSurfaceAttribute : Attribute
{
    /// <summary>
    /// Records that the function branches where <paramref name="input"/> = <paramref name="slope"/>·<paramref name="other"/>
    /// + <paramref name="offset"/>.
    /// </summary>
    /// <param name="input">The parameter name of the input the line is solved for, x in x = s·y + o.</param>
    /// <param name="other">The parameter name of the other input, y in x = s·y + o.</param>
    /// <param name="slope">s: the change of x along the line per unit of y; finite and nonzero.</param>
    /// <param name="offset">o: the value of x on the line where y = 0; finite.</param>
    public BranchSurfaceAttribute(string input, string other, double slope, double offset)
    {
        Input = input;
        Other = other;
        Slope = slope;
        Offset = offset;
    }

    /// <summary>The parameter name of x in the line x = s·y + o: the input it is solved for.</summary>
    public string Input { get; }

    /// <summary>The parameter name of y in the line x = s·y + o.</summary>
    public string Other { get; }

    /// <summary>s in x = s·y + o: ∂x/∂y along the line.</summary>
    public double Slope { get; }

    /// <summary>o in x = s·y + o: x on the line at y = 0.</summary>
    public double Offset { get; }
}
