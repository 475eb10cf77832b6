using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoDiff;

/// <summary>
/// The last arguments and result of each expensive call site (<c>Math.Exp</c>, <c>Math.Log</c>, another declared
/// function) in the vector body of a two- to four-input kernel, one slot per site: a call whose arguments are the same
/// bits as in the previous block returns the remembered result. Called by generated code.
/// </summary>
/// <remarks>
/// <para>A parameter broadcast over a row (one σ for a whole tensor of observations) reaches the kernel as the same vector
/// in every block, so <c>Math.Log(σ)</c> in a log-density would be a vector logarithm per block although it never changes;
/// the JIT does not hoist it out of the loop (the kernel cannot know which inputs are broadcast). With the cache it is
/// evaluated once per row. Where the arguments change from block to block, a site costs one compare more than the call.</para>
/// <para>Arguments are compared bit for bit, so −0 and +0 are different arguments and a NaN argument is recomputed
/// unless its bits repeat: the result is always the one the call returns for exactly these arguments. The driver loops
/// create one cache per row and pass it to the kernel's cached bodies (<see cref="IBinaryKernel.UsesCallCache"/>).</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct CallCache256
{
    /// <summary>The number of call sites a kernel body can cache; the generator calls later sites directly.</summary>
    public const int Slots = 4;

    private CallSlots<Vector256<double>> _slots;

    /// <summary>ln x, remembered in <paramref name="slot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Log(int slot, Vector256<double> x) =>
        _slots.Holds(slot, x, default) ? _slots.Result(slot) : _slots.Store(slot, x, default, VectorMath.Log(x));

    /// <summary>eˣ, remembered in <paramref name="slot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Exp(int slot, Vector256<double> x) =>
        _slots.Holds(slot, x, default) ? _slots.Result(slot) : _slots.Store(slot, x, default, VectorMath.Exp(x));

    /// <summary>A one-input kernel's f(x), remembered in <paramref name="slot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Value<TKernel>(int slot, Vector256<double> x)
        where TKernel : struct, IUnaryKernel =>
        _slots.Holds(slot, x, default) ? _slots.Result(slot) : _slots.Store(slot, x, default, KernelVectors.Value<TKernel>(x));

    /// <summary>A two-input kernel's f(a, b), remembered in <paramref name="slot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Value<TKernel>(int slot, Vector256<double> a, Vector256<double> b)
        where TKernel : struct, IBinaryKernel =>
        _slots.Holds(slot, a, b) ? _slots.Result(slot) : _slots.Store(slot, a, b, KernelVectors.Value<TKernel>(a, b));
}

/// <summary>The 512-bit form of <see cref="CallCache256"/>: the same slots and rules, for the Vector512 loops.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct CallCache512
{
    private CallSlots<Vector512<double>> _slots;

    /// <summary>ln x, remembered in <paramref name="slot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> Log(int slot, Vector512<double> x) =>
        _slots.Holds(slot, x, default) ? _slots.Result(slot) : _slots.Store(slot, x, default, VectorMath.Log(x));

    /// <summary>eˣ, remembered in <paramref name="slot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> Exp(int slot, Vector512<double> x) =>
        _slots.Holds(slot, x, default) ? _slots.Result(slot) : _slots.Store(slot, x, default, VectorMath.Exp(x));

    /// <summary>A one-input kernel's f(x), remembered in <paramref name="slot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> Value<TKernel>(int slot, Vector512<double> x)
        where TKernel : struct, IUnaryKernel =>
        _slots.Holds(slot, x, default) ? _slots.Result(slot) : _slots.Store(slot, x, default, KernelVectors.Value<TKernel>(x));

    /// <summary>A two-input kernel's f(a, b), remembered in <paramref name="slot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> Value<TKernel>(int slot, Vector512<double> a, Vector512<double> b)
        where TKernel : struct, IBinaryKernel =>
        _slots.Holds(slot, a, b) ? _slots.Result(slot) : _slots.Store(slot, a, b, KernelVectors.Value<TKernel>(a, b));
}

/// <summary>The storage of a call cache: per slot the arguments (a second one is 0 for one-argument calls) and the result.</summary>
/// <typeparam name="TVector"><c>Vector256&lt;double&gt;</c> or <c>Vector512&lt;double&gt;</c>.</typeparam>
internal struct CallSlots<TVector>
    where TVector : struct
{
#pragma warning disable CS0649 // written through At's reference
    private Entries _entries;
#pragma warning restore CS0649
    private int _filled;

    /// <summary>Whether <paramref name="slot"/> holds a result for arguments with exactly these bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool Holds(int slot, TVector a, TVector b) =>
        (_filled & (1 << slot)) != 0 && SameBits(At(slot).A, a) && SameBits(At(slot).B, b);

    /// <summary>The result held in <paramref name="slot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TVector Result(int slot) => At(slot).Result;

    /// <summary>Remembers <paramref name="result"/> for (<paramref name="a"/>, <paramref name="b"/>) in <paramref name="slot"/>, and returns it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Store(int slot, TVector a, TVector b, TVector result)
    {
        At(slot) = new Entry { A = a, B = b, Result = result };
        _filled |= 1 << slot;
        return result;
    }

    // The slot's entry without the inline array's indexer: that indexer is a call to a compiler-generated span helper and
    // a bounds check, which the JIT left as calls in backward loops that had spent their inlining budget (eight per block
    // of a derived y·LogSigmoid(z) + (1 − y)·LogSigmoid(−z)). The check here replaces the indexer's: the JIT folds it
    // away for the constant slots of generated code, and it keeps a hand-written call with another number from writing
    // past the entries.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly ref Entry At(int slot)
    {
        if ((uint)slot >= CallCache256.Slots)
        {
            ThrowSlotOutOfRange(slot);
        }

        return ref Unsafe.Add(ref Unsafe.As<Entries, Entry>(ref Unsafe.AsRef(in _entries)), slot);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowSlotOutOfRange(int slot) =>
        throw new System.ArgumentOutOfRangeException(nameof(slot), slot, $"A call cache has slots 0 to {CallCache256.Slots - 1}.");

    // The JIT folds the size test per instantiation, leaving one vector compare.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SameBits(TVector x, TVector y) =>
        Unsafe.SizeOf<TVector>() == Vector256<byte>.Count
            ? Vector256.EqualsAll(Unsafe.As<TVector, Vector256<ulong>>(ref x), Unsafe.As<TVector, Vector256<ulong>>(ref y))
            : Vector512.EqualsAll(Unsafe.As<TVector, Vector512<ulong>>(ref x), Unsafe.As<TVector, Vector512<ulong>>(ref y));

    private struct Entry
    {
        public TVector A, B, Result;
    }

    [InlineArray(CallCache256.Slots)]
    private struct Entries
    {
        private Entry _first;
    }
}
