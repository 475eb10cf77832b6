using System;
using System.Globalization;
using System.Linq;

namespace AutoDiff;

/// <summary>
/// Thrown inside <see cref="Tape.CheckFinite"/> by the first operation whose result or local derivative is NaN or ±∞.
/// </summary>
public sealed class NonFiniteValueException : ArithmeticException
{
    /// <summary>Creates the exception for operation <paramref name="operation"/>.</summary>
    public NonFiniteValueException(string operation, double result, double[] inputs, double[] partials)
        : base(Describe(operation, result, inputs, partials))
    {
        Operation = operation;
        Result = result;
        Inputs = inputs;
        Partials = partials;
    }

    /// <summary>
    /// Creates the exception for tensor operation <paramref name="operation"/>, which is not elementwise: its inputs and
    /// partials are whole tensors, so <paramref name="detail"/> says which element of the result is not finite and what
    /// the inputs held; <see cref="Inputs"/> and <see cref="Partials"/> are empty.
    /// </summary>
    public NonFiniteValueException(string operation, double result, string detail)
        : base($"{operation} produced {result.ToString(CultureInfo.InvariantCulture)} {detail}.")
    {
        Operation = operation;
        Result = result;
        Inputs = [];
        Partials = [];
    }

    /// <summary>The name of the operation (for example <c>Log</c>).</summary>
    public string Operation { get; }

    /// <summary>The value the operation computed.</summary>
    public double Result { get; }

    /// <summary>
    /// The values of the operation's operands in order, those passed as <see cref="double"/>s included (<c>x / 0.0</c>: x
    /// and 0); empty for a tensor operation that is not elementwise.
    /// </summary>
    public double[] Inputs { get; }

    /// <summary>The local partial derivatives the operation computed, one per variable input (none under <see cref="Tape.NoGrad"/>).</summary>
    public double[] Partials { get; }

    private static string Describe(string op, double result, double[] inputs, double[] partials)
    {
        static string List(double[] xs) => string.Join(", ", xs.Select(x => x.ToString("R", CultureInfo.InvariantCulture)));
        string what = double.IsFinite(result)
            ? $"a non-finite local derivative ({List(partials)})"
            : $"{result.ToString(CultureInfo.InvariantCulture)}";
        return $"{op} produced {what} from input(s) ({List(inputs)}).";
    }
}
