using System;
using System.Globalization;
using System.Linq;

namespace AutoDiff;

/// <summary>
/// Thrown inside <see cref="Tape.CheckFinite"/> by the first operation whose result or local derivative is NaN or ±∞, or
/// that made an adjoint NaN or ±∞ in the reverse sweep (<see cref="InputPosition"/> is then its input's position); in a
/// Hessian's second-order pass, by the first operation that made a tangent, a derivative of a local derivative, or an
/// adjoint tangent NaN or ±∞ (<see cref="Result"/> is that value).
/// </summary>
public sealed class NonFiniteValueException : ArithmeticException
{
    /// <summary>Creates the exception for operation <paramref name="operation"/>.</summary>
    public NonFiniteValueException(string operation, double result, double[] inputs, double[] partials)
        : this(operation, result, inputs, partials, Describe(operation, result, inputs, partials))
    {
    }

    private NonFiniteValueException(string operation, double adjoint, int inputPosition, double incomingAdjoint, double[] partials, string message)
        : base(message)
    {
        Operation = operation;
        Result = adjoint;
        Inputs = [];
        Partials = partials;
        InputPosition = inputPosition;
        IncomingAdjoint = incomingAdjoint;
    }

    /// <summary>
    /// The reverse sweep's exception for a scalar operation: the contribution incoming adjoint × local derivative, added to
    /// what its input's adjoint held, is <paramref name="adjoint"/>.
    /// </summary>
    /// <param name="operation">The operation's name; null for one recorded outside <see cref="Tape.CheckFinite"/>, named then by its node.</param>
    /// <param name="node">The operation's node.</param>
    /// <param name="inputPosition">The input's position among the operation's operands.</param>
    /// <param name="incomingAdjoint">The adjoint of the operation's result.</param>
    /// <param name="partial">The local derivative for that input.</param>
    /// <param name="held">What the input's adjoint held before.</param>
    /// <param name="adjoint">What it holds now.</param>
    internal static NonFiniteValueException InSweep(string? operation, int node, int inputPosition, double incomingAdjoint, double partial, double held, double adjoint)
    {
        string who = operation ?? $"The operation of node {node} (recorded outside Tape.CheckFinite, which keeps operations' names)";
        string added = held == 0.0 ? "" : $", added to the {R(held)} its adjoint already held";
        return new(operation ?? $"node {node}", adjoint, inputPosition, incomingAdjoint, [partial],
            $"{who} produced {R(adjoint)} in the reverse sweep as the adjoint of its input {inputPosition}: "
            + $"the incoming adjoint {R(incomingAdjoint)} times the local derivative {R(partial)}{added}.");
    }

    /// <summary>
    /// A Hessian's forward tangent pass, for a scalar operation: its result's tangent or the derivative of a local
    /// derivative along a direction is <paramref name="value"/>; <see cref="Inputs"/> and <see cref="Partials"/> are the
    /// operation's operands and local derivatives, as for any forward-pass exception.
    /// </summary>
    internal static NonFiniteValueException InTangents(string operation, double value, double[] inputs, double[] partials, string detail) =>
        new(operation, value, inputs, partials, $"{operation} produced {value.ToString(CultureInfo.InvariantCulture)} {detail}.");

    private NonFiniteValueException(string operation, double result, double[] inputs, double[] partials, string message)
        : base(message)
    {
        Operation = operation;
        Result = result;
        Inputs = inputs;
        Partials = partials;
    }

    /// <summary>
    /// The second-order pass of a Hessian's reverse sweep, for a scalar operation: along direction <paramref name="lane"/>,
    /// the contribution p · ȧ + ṗ · ā to its input's adjoint tangent (the input's row of H·v), added to what that held,
    /// is <paramref name="adjointTangent"/>.
    /// </summary>
    /// <param name="operation">The operation's name; null for one recorded outside <see cref="Tape.CheckFinite"/>, named then by its node.</param>
    /// <param name="node">The operation's node.</param>
    /// <param name="inputPosition">The input's position among the operation's operands.</param>
    /// <param name="lane">The direction: the Hessian's column (its unit vector's index), 0 for a Hessian-vector product.</param>
    /// <param name="partial">p, the local derivative for that input.</param>
    /// <param name="incomingAdjointTangent">ȧ, the adjoint tangent of the operation's result.</param>
    /// <param name="partialTangent">ṗ, the local derivative's own derivative along the direction.</param>
    /// <param name="incomingAdjoint">ā, the adjoint of the operation's result.</param>
    /// <param name="held">What the input's adjoint tangent held before.</param>
    /// <param name="adjointTangent">What it holds now.</param>
    internal static NonFiniteValueException InTangentSweep(
        string? operation, int node, int inputPosition, int lane, double partial, double incomingAdjointTangent, double partialTangent,
        double incomingAdjoint, double held, double adjointTangent)
    {
        string who = operation ?? $"The operation of node {node} (recorded outside Tape.CheckFinite, which keeps operations' names)";
        string added = held == 0.0 ? "" : $", added to the {R(held)} it already held";
        return new(operation ?? $"node {node}", adjointTangent, inputPosition, incomingAdjoint, [partial],
            $"{who} produced {R(adjointTangent)} in the second-order pass of the reverse sweep (a Hessian's, direction {lane}) as the "
            + $"adjoint tangent of its input {inputPosition}: the local derivative {R(partial)} times the incoming adjoint tangent "
            + $"{R(incomingAdjointTangent)}, plus the derivative of that local derivative along the direction {R(partialTangent)} "
            + $"times the incoming adjoint {R(incomingAdjoint)}{added}.");
    }

    /// <summary>
    /// The reverse sweep's exception for a tensor operation: its rule left element <paramref name="element"/> (−1: every
    /// element, one value for all) of input <paramref name="inputPosition"/>'s adjoints at <paramref name="adjoint"/>, from
    /// the finite adjoints <paramref name="outputAdjoints"/> of its result (one value when they are all the same).
    /// </summary>
    internal static NonFiniteValueException InSweep(
        string operation, int inputPosition, int element, int[] inputShape, double adjoint, int[] outputShape, ReadOnlySpan<double> outputAdjoints,
        int lane = -1)
    {
        // lane ≥ 0: a Hessian's second-order pass along that direction, where the "adjoints" are adjoint tangents.
        string kind = lane < 0 ? "adjoint" : "adjoint tangent";
        string pass = lane < 0 ? "the reverse sweep" : $"the second-order pass of the reverse sweep (a Hessian's, direction {lane})";
        string where = element < 0 ? "every element" : $"element {element}";
        string from = outputAdjoints.Length == 1
            ? $"the {kind} {R(outputAdjoints[0])} of {(TensorShape.SizeOf(outputShape, operation) == 1 ? "" : "every element of ")}its result (shape {TensorShape.Format(outputShape)})"
            : $"finite {kind}s of its result (shape {TensorShape.Format(outputShape)}, largest magnitude {R(Numerics.FiniteValues.MaxMagnitude(outputAdjoints))})";
        return new(operation, adjoint, inputPosition, outputAdjoints.Length == 1 ? outputAdjoints[0] : double.NaN, [],
            $"{operation} produced {R(adjoint)} in {pass} as the {kind} of {where} of its input {inputPosition} "
            + $"(shape {TensorShape.Format(inputShape)}), from {from}.");
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

    /// <summary>The value the operation computed; in the reverse sweep, the adjoint it produced.</summary>
    public double Result { get; }

    /// <summary>
    /// The values of the operation's operands in order, those passed as <see cref="double"/>s included (<c>x / 0.0</c>: x
    /// and 0); empty for a tensor operation that is not elementwise and in the reverse sweep.
    /// </summary>
    public double[] Inputs { get; }

    /// <summary>
    /// The local partial derivatives the operation computed, one per variable input (none under <see cref="Tape.NoGrad"/>);
    /// in the reverse sweep, a scalar operation's partial for <see cref="InputPosition"/>.
    /// </summary>
    public double[] Partials { get; }

    /// <summary>
    /// In the reverse sweep, the position among the operation's operands of the input whose adjoint became NaN or ±∞
    /// (for a scalar operation recorded outside <see cref="Tape.CheckFinite"/>, whose operands were not noted, its position
    /// among the variable inputs); −1 when the forward pass threw.
    /// </summary>
    public int InputPosition { get; } = -1;

    /// <summary>
    /// In the reverse sweep, the adjoint of the operation's result that its rule multiplied (a tensor's when it is one value
    /// for every element); NaN when the forward pass threw or a tensor's adjoints differ by element.
    /// </summary>
    public double IncomingAdjoint { get; } = double.NaN;

    private static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static string Describe(string op, double result, double[] inputs, double[] partials)
    {
        static string List(double[] xs) => string.Join(", ", xs.Select(R));
        string what = double.IsFinite(result)
            ? $"a non-finite local derivative ({List(partials)})"
            : $"{result.ToString(CultureInfo.InvariantCulture)}";
        return $"{op} produced {what} from input(s) ({List(inputs)}).";
    }
}
