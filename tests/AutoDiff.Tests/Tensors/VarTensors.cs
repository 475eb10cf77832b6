namespace AutoDiff.Tests.Tensors;

/// <summary>Builds tensors whose elements are given <see cref="Var"/>s, so tensor code can be checked with <see cref="GradCheck"/>.</summary>
internal static class VarTensors
{
    /// <summary>
    /// The tensor Σᵢ vᵢ·eᵢ of the given shape, assembled from one-hot constants: it uses only broadcasting a Var into a
    /// constant tensor and adding, never the operation under test.
    /// </summary>
    public static Tensor FromVars(Var[] v, params int[] shape)
    {
        Tensor t = Tensor.Zeros(shape);
        for (int i = 0; i < v.Length; i++)
        {
            var oneHot = new double[v.Length];
            oneHot[i] = 1.0;
            t = t + Tensor.FromArray(oneHot, shape) * v[i];
        }

        return t;
    }
}
