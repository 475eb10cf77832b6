using System.ComponentModel;

namespace AutoDiff;

/// <summary>
/// The operands an overload took as <see cref="double"/>s: implemented, beside <see cref="ISecondOrderRule"/>, by the rule
/// struct of every generated overload with a <see cref="double"/> input (<c>x / 0.0</c>), which records only its
/// <see cref="Var"/> inputs. Called by generated code.
/// </summary>
/// <remarks>
/// The tape reads it only under <see cref="Tape.CheckFinite"/>: to list every operand, the constants at their
/// positions, in the message of an operation that produced NaN or ±∞ (<c>Divide produced Infinity from input(s) (1, 0)</c>,
/// not <c>(1)</c>), and to number a variable input by its position among all of them when the reverse sweep names it.
/// The rule struct already holds the constants for the second-order rule, so recording passes nothing more.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IConstantOperands
{
    /// <summary>The operation's number of operands, variable and constant.</summary>
    int OperandCount { get; }

    /// <summary>Whether operand <paramref name="position"/> (0-based, in declaration order) was passed as a constant.</summary>
    /// <param name="position">The operand's position among all of the operation's operands.</param>
    /// <param name="value">The constant, when it is one; otherwise 0.</param>
    /// <returns>True for a constant operand; false for one recorded as a variable input.</returns>
    bool TryGetConstant(int position, out double value);
}
