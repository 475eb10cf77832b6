using System;

namespace AutoDiff;

/// <summary>
/// Rank-0 constants kept for reuse, so that a <see cref="double"/> in a tensor expression (<c>1.0 − y</c>,
/// <c>0.5 * x</c>) does not make a new tensor on every call.
/// </summary>
/// <remarks>
/// A double meets a tensor through the implicit conversion, which made two objects (104 bytes, about 24 ns) each time:
/// most of what <c>1.0 − y</c> costs inside a function whose constant result the tape keeps (Tape.ConstantResults.cs),
/// and 3–5% of an eager W2 gradient at n = 100. Constant tensors are never written after they are made, so two of the
/// same value are interchangeable. The table is shared by all threads without a lock: an entry is one reference, stored
/// whole, and a reader compares the value of the tensor it read with the one asked for before handing it out; a miss
/// makes a tensor and takes the slot. Values match by bits, so −0 and +0, and NaNs of different payloads, stay distinct.
/// </remarks>
internal static class ScalarConstants
{
    // A power of two: enough for the handful of literals a function uses, small enough to stay in cache.
    private const int SlotBits = 6;
    private static readonly Tensor?[] Slots = new Tensor?[1 << SlotBits];

    /// <summary>A constant rank-0 tensor holding <paramref name="value"/>: a kept one when there is one.</summary>
    internal static Tensor Get(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        int slot = SlotOfBits(bits);
        var kept = Slots[slot];
        if (kept is not null && BitConverter.DoubleToInt64Bits(kept.Data[0]) == bits)
        {
            return kept;
        }

        var made = Tensor.Constant([value], []);
        Slots[slot] = made;
        return made;
    }

    /// <summary>The slot that holds <paramref name="value"/>'s tensor.</summary>
    /// <remarks>
    /// Fibonacci hashing: the multiplication mixes every bit into the top ones, which pick the slot (literals such as 0.5,
    /// 1 and 2 differ only in their high bits).
    /// </remarks>
    internal static int SlotOf(double value) => SlotOfBits(BitConverter.DoubleToInt64Bits(value));

    private static int SlotOfBits(long bits) => (int)((ulong)bits * 0x9E3779B97F4A7C15UL >> (64 - SlotBits));

    /// <summary>The number of slots.</summary>
    internal static int SlotCount => Slots.Length;
}
