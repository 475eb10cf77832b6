using System;
using System.Globalization;

namespace AutoDiff;

/// <summary>
/// The check of gradient arrays that a caller keeps from call to call (<see cref="AD.ValueAndGrad(Func{Tensor[], Tensor}, Tensor[], double[][])"/>,
/// <see cref="CompiledGradient.ValueAndGrad(Tensor[], double[][])"/>): one array per argument, each of its argument's size.
/// </summary>
internal static class GradientArrays
{
    /// <summary>Throws unless <paramref name="gradients"/> holds one array of <c>arguments[i].Size</c> elements per argument.</summary>
    /// <param name="caller">The entry point, named in the messages.</param>
    /// <param name="gradients">The caller's arrays.</param>
    /// <param name="arguments">The arguments (or the leaves standing for them), whose sizes and shapes the arrays must match.</param>
    /// <exception cref="ArgumentNullException"><paramref name="gradients"/> is null.</exception>
    /// <exception cref="ArgumentException">The count differs, or an array is null or of another length (the message names both sizes).</exception>
    public static void Require(string caller, double[][] gradients, Tensor[] arguments)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (gradients.Length != arguments.Length)
        {
            throw new ArgumentException(
                $"{caller}: {gradients.Length} gradient arrays given for {arguments.Length} arguments; pass one per argument.", nameof(gradients));
        }

        for (int i = 0; i < arguments.Length; i++)
        {
            if (gradients[i] is not { } gradient || gradient.Length != arguments[i].Size)
            {
                throw new ArgumentException(
                    $"{caller}: gradients[{i}] has length {gradients[i]?.Length.ToString(CultureInfo.InvariantCulture) ?? "null"} "
                    + $"but argument {i} has shape {TensorShape.Format(arguments[i].ShapeUnsafe)} ({arguments[i].Size} elements); they must be equal.", nameof(gradients));
            }
        }
    }
}
