using System;
using System.Globalization;
using AutoDiff.Numerics;

namespace AutoDiff;

public sealed partial class Tape
{
    /// <summary>
    /// Inside <see cref="CheckFinite"/>, the check of a tensor operation that is not elementwise (a product, a
    /// reduction, the softmax family, a loss, a selection or a join): throws if an element of its result is NaN or ±∞,
    /// naming the operation, the element and the first non-finite element of each input, if any. Its local derivatives
    /// are not elements of its own, so only results are checked (elementwise ops check their partials too).
    /// </summary>
    /// <exception cref="NonFiniteValueException">An element of <paramref name="result"/> is NaN or ±∞.</exception>
    internal static void CheckFiniteResult(string op, ReadOnlySpan<double> result, int[] shape, ReadOnlySpan<Tensor> inputs)
    {
        int bad = FiniteValues.IndexOfNonFinite(result);
        if (bad < 0)
        {
            return;
        }

        var inputsHeld = new System.Text.StringBuilder();
        for (int k = 0; k < inputs.Length; k++)
        {
            var values = inputs[k].Data.AsSpan(0, inputs[k].Size);
            int i = FiniteValues.IndexOfNonFinite(values);
            if (i >= 0)
            {
                inputsHeld.Append(CultureInfo.InvariantCulture,
                    $"{(inputsHeld.Length == 0 ? "" : "; ")}input {k} (shape {TensorShape.Format(inputs[k].ShapeUnsafe)}) holds {values[i]} at element {i}");
            }
        }

        string detail = $"at element {bad} of its result (shape {TensorShape.Format(shape)}); "
            + (inputsHeld.Length == 0 ? "its inputs are all finite" : inputsHeld.ToString());
        throw new NonFiniteValueException(op, result[bad], detail);
    }
}
