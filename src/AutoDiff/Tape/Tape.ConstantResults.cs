using System;

namespace AutoDiff;

public sealed partial class Tape
{
    // An elementwise operation whose inputs are all constants (1 − y of data y, inside the function being differentiated)
    // computes the same values on every call: constant tensors never change. Its result is kept here and handed back when
    // the same operation meets the same inputs again, instead of an allocation and a pass over memory per gradient. A
    // compiled trace (AD.Compile) computes such a result once, at tracing, as JAX's jit folds constants; this is the same
    // for eager recording. Inputs match by reference, or by value when they hold one element: a rank-0 tensor made with
    // Tensor.FromArray, or a double whose shared tensor (ScalarConstants) another value took the slot of, is a new object
    // on every call.
    //
    // The entries keep their inputs and results alive until they are replaced, oldest first: at most ConstantResultSlots
    // of them, each with a result of at most MaxConstantResultSize elements (4 MB), 32 MB of results in all, beside the
    // inputs they keep alive. The operation must be pure, as declared functions are meant to be: a kernel reading state
    // that changes between calls would get its old result back for the same constant inputs. Results
    // below MinConstantResultSize elements cost less to compute than to look up.
    internal const int ConstantResultSlots = 8;
    internal const int MaxConstantResultSize = 1 << 19;
    private const int MinConstantResultSize = 16;
    private readonly ConstantResult[] _constantResults = new ConstantResult[ConstantResultSlots];
    private int _nextConstantResult;

    /// <summary>How many constant results this tape handed back instead of computing them again (for tests).</summary>
    internal int ConstantResultsReused { get; private set; }

    private readonly record struct ConstantResult(Type Operation, Tensor A, Tensor? B, Tensor Result);

    /// <summary>
    /// Whether constant results of this size are kept: not under <see cref="CheckFinite"/>, whose check belongs to every
    /// computation.
    /// </summary>
    internal bool KeepsConstantResults(int size) =>
        size >= MinConstantResultSize && size <= MaxConstantResultSize && !IsCheckingFinite;

    /// <summary>The result <paramref name="operation"/> gave on constants equal to <paramref name="a"/> and <paramref name="b"/>, if kept.</summary>
    internal Tensor? KeptConstantResult(Type operation, Tensor a, Tensor? b)
    {
        foreach (ref readonly var entry in _constantResults.AsSpan())
        {
            if (ReferenceEquals(entry.Operation, operation) && SameConstant(entry.A, a)
                && (entry.B is null ? b is null : b is not null && SameConstant(entry.B, b)))
            {
                ConstantResultsReused++;
                return entry.Result;
            }
        }

        return null;
    }

    /// <summary>Keeps <paramref name="result"/>, computed by <paramref name="operation"/> from constants, in place of the oldest entry.</summary>
    internal void KeepConstantResult(Type operation, Tensor a, Tensor? b, Tensor result)
    {
        _constantResults[_nextConstantResult] = new ConstantResult(operation, a, b, result);
        _nextConstantResult = (_nextConstantResult + 1) % ConstantResultSlots;
    }

    private static bool SameConstant(Tensor kept, Tensor x) =>
        ReferenceEquals(kept, x)
        || kept.Size == 1 && x.Size == 1
            && BitConverter.DoubleToInt64Bits(kept.Data[0]) == BitConverter.DoubleToInt64Bits(x.Data[0])
            && kept.ShapeUnsafe.AsSpan().SequenceEqual(x.ShapeUnsafe);
}
