using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoDiff;

public sealed partial class Tape
{
    // Values of recorded tensors come from the pool and go back when their scope closes.
    private Buffer[] _rented = new Buffer[16];
    private int _rentedCount;

    // Small arrays (16 … 4096 doubles, powers of two) go back to this tape's own free lists rather than to
    // ArrayPool.Shared: the shared pool keeps one array per size per thread and sends the rest through locked per-core
    // stacks, so the nine same-sized buffers of a small expression would pay a lock each way on every call. The free
    // lists are bounded (SmallPoolDepth arrays per size, at most 2 MB per tape); what does not fit goes to the shared pool.
    private const int SmallPoolMinLog2 = 4;
    private const int SmallPoolMaxLog2 = 12;
    private const int SmallPoolDepth = 32;
    private readonly Buffer[][] _smallPool = new Buffer[SmallPoolMaxLog2 - SmallPoolMinLog2 + 1][];
    private readonly int[] _smallPoolCount = new int[SmallPoolMaxLog2 - SmallPoolMinLog2 + 1];

    private TensorRecord[] _records = new TensorRecord[16];
    private int _recordCount;

    internal Span<double> Adjoints => _adjoints.AsSpan(0, _count);

    /// <summary>A leaf tensor: fresh nodes, values copied into pooled memory.</summary>
    internal Tensor TensorLeaf(ReadOnlySpan<double> values, int[] shape)
    {
        // Shapes are never written after construction, so tensors share them.
        if (!IsRecording)
        {
            return Tensor.Constant(values.ToArray(), shape);
        }

        var leaf = Leaf(shape, values.Length, values: null);
        values.CopyTo(leaf.Data);
        return leaf;
    }

    /// <summary>
    /// A leaf tensor over a constant's own values, not a copy: the inputs of one call of <c>AD.ValueAndGrad</c>, which no
    /// operation writes (each writes only its own output) and which the leaf stops reading when the call's scope ends.
    /// A recorded tensor is copied as <see cref="TensorLeaf"/> does, since its memory belongs to its own scope.
    /// </summary>
    internal Tensor TensorLeafOver(Tensor x)
    {
        // Copying in was a pass over every parameter per gradient: W3's 1.6 MB first-layer weights, 8 MB for 10⁶ logits.
        return IsRecording && x.IsConstant ? Leaf(x.ShapeUnsafe, x.Size, x.Data) : TensorLeaf(x.ReadValues(), x.ShapeUnsafe);
    }

    // Fresh nodes over values (pooled when null); an operation's output gets its tangent from its JVP, a leaf has none
    // until a Hessian sets its direction.
    private Tensor Leaf(int[] shape, int size, double[]? values)
    {
        var leaf = NewTensor(shape, size, values);
        AllowLazyAdjointsOfLeaf(leaf);
        if (TracksTangents)
        {
            ClearTangents(leaf.Node, leaf.Size);
        }

        return leaf;
    }

    /// <summary>A recorded tensor of the given shape: <paramref name="size"/> fresh nodes and pooled, uninitialised values.</summary>
    internal Tensor NewTensor(int[] shape, int size) => NewTensor(shape, size, null);

    /// <summary>
    /// An operation's output: a recorded tensor (<see cref="NewTensor(int[], int)"/>) when it records, else a constant
    /// owning fresh memory. Uninitialised in both cases, as every operation writes each element of its output: a
    /// constant result (1 − y of data y, say) is computed on every call of a function, and zeroing it first was a
    /// pass over memory of its own.
    /// </summary>
    internal Tensor NewOutput(bool record, int[] shape, int size) =>
        record ? NewTensor(shape, size) : Tensor.Constant(GC.AllocateUninitializedArray<double>(size), shape);

    /// <summary>
    /// A recorded tensor of the given shape: <paramref name="size"/> fresh nodes and <paramref name="values"/> (pooled memory
    /// of this tape's current scope, from <see cref="RentBuffer"/>, or a constant's that a leaf reads), or pooled,
    /// uninitialised values when null. Only pooled values go back to the pool when the scope closes.
    /// </summary>
    internal Tensor NewTensor(int[] shape, int size, double[]? values)
    {
        // The check inline, the growth out of line: every tensor operation passes here.
        if (_count + size > _nodeCapacity)
        {
            EnsureNodes(size);
        }

        int node = _count;
        _count += size;

        return new Tensor(values ?? Rent(size), shape, size, this, node, _stamp);
    }

    internal void Record(in TensorRecord record)
    {
        if (_recordCount == _records.Length)
        {
            Array.Resize(ref _records, _records.Length * 2);
        }

        _records[_recordCount++] = record;
        AllowLazyAdjoints(record.Output);
        if (TracksTangents)
        {
            // Forward over reverse: the output's tangent is computed now, from the inputs' (the operation's JVP).
            record.SecondOrder!.Jvp(this, in record);
        }
    }

    /// <summary>Whether <paramref name="x"/> is a variable of this tape that may be recorded on now; throws if it is stale or foreign.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Records(Tensor x)
    {
        int stamp = x.Stamp;
        if (stamp == 0 || (_mode & Mode.Recording) == 0)
        {
            return false;
        }

        // The common case: recorded in the innermost scope of this tape.
        if (stamp == _stamp && x.Tape == this)
        {
            return true;
        }

        return RecordsOuter(x);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool RecordsOuter(Tensor x)
    {
        if (x.Tape != this)
        {
            ThrowIfTracing($"used a variable tensor of shape {TensorShape.Format(x.ShapeUnsafe)} recorded outside it (pass it as an argument)");
        }

        if (x.Tape is { IsCompiled: true })
        {
            x.ReadValues(); // throws, naming the compiled function
        }

        if (x.Tape != this || !IsActiveStamp(x.Stamp))
        {
            throw new InvalidOperationException(x.Tape != this && x.Tape is not null && x.Tape.IsActiveStamp(x.Stamp)
                ? $"A tensor of shape {TensorShape.Format(x.ShapeUnsafe)} that belongs to the tape of thread {x.Tape.OwnerThreadId} was used on thread {OwnerThreadId}. Each thread records on its own tape."
                : $"A tensor of shape {TensorShape.Format(x.ShapeUnsafe)} was used after the tape scope that recorded it ended.");
        }

        return true;
    }

    internal void CopyGradient(Tensor x, Span<double> destination)
    {
        if (x.IsConstant)
        {
            throw new InvalidOperationException(
                $"Grad was read on a constant tensor of shape {TensorShape.Format(x.ShapeUnsafe)}: it has no nodes on the tape, so no gradient flows into it. "
                + "Make variables with Tensor.Leaf(...) or AD.Grad(...).");
        }

        // Whether or not this tape records now (under NoGrad Records answers false before looking): a stale or foreign
        // tensor's nodes are another computation's.
        if (!(x.Stamp == _stamp && x.Tape == this))
        {
            RecordsOuter(x);
        }

        if (x.Node + x.Size > _sweptNodes)
        {
            throw new InvalidOperationException($"Grad was read on a tensor of shape {TensorShape.Format(x.ShapeUnsafe)} {NotSweptReason(x.Node)}");
        }

        if (IsUniform(x))
        {
            destination[..x.Size].Fill(x.UniformAdjoint);
            return;
        }

        OutputAdjoints(x).CopyTo(destination);
    }

    /// <summary>Scratch memory a backward rule keeps (softmax probabilities): pooled, returned when the scope closes.</summary>
    internal double[] RentBuffer(int size) => Rent(size);

    private double[] Rent(int size)
    {
        if (size == 0)
        {
            return [];
        }

        double[]? array = null;
        if (size <= 1 << SmallPoolMaxLog2)
        {
            int bucket = SmallBucket(size);
            int count = _smallPoolCount[bucket];
            if (count > 0)
            {
                _smallPoolCount[bucket] = --count;
                ref var slot = ref _smallPool[bucket][count];
                array = slot.Array;
                slot = default;
            }
        }

        array ??= ArrayPool<double>.Shared.Rent(size);
        if (_rentedCount == _rented.Length)
        {
            Array.Resize(ref _rented, _rented.Length * 2);
        }

        _rented[_rentedCount++].Array = array;
        return array;
    }

    // The free list of arrays of length 2^(bucket + SmallPoolMinLog2), the smallest that holds size (≥ 1).
    private static int SmallBucket(int size) =>
        Math.Max(BitOperations.Log2((uint)size - 1) + 1 - SmallPoolMinLog2, 0);

    private void ReturnArray(double[] array)
    {
        int length = array.Length;
        if (length >= 1 << SmallPoolMinLog2 && length <= 1 << SmallPoolMaxLog2 && BitOperations.IsPow2(length))
        {
            int bucket = BitOperations.Log2((uint)length) - SmallPoolMinLog2;
            int count = _smallPoolCount[bucket];
            if (count < SmallPoolDepth)
            {
                var stack = _smallPool[bucket] ??= new Buffer[SmallPoolDepth];
                stack[count].Array = array;
                _smallPoolCount[bucket] = count + 1;
                return;
            }
        }

        ArrayPool<double>.Shared.Return(array);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnsureNodes(int nodes)
    {
        if (_count + nodes > _nodeCapacity)
        {
            int capacity = _adjoints.Length;
            while (_count + nodes > capacity)
            {
                capacity = capacity <= Array.MaxLength / 2
                    ? capacity * 2
                    : throw new InvalidOperationException(
                        $"The tape holds {_count} nodes, the most one array can: differentiate the function in smaller parts, or open a Tape.Scope per part.");
            }

            Array.Resize(ref _adjoints, capacity);
            _nodeCapacity = capacity;
            GrowTangentStorage();
        }
    }

    // Called when a scope closes: give back the memory and forget the records made inside it.
    private void ReleaseTensors(int nodeMark, int rentedMark, int recordMark)
    {
        ForgetLazyLeaves(nodeMark);
        for (int i = rentedMark; i < _rentedCount; i++)
        {
            ReturnArray(_rented[i].Array);
            _rented[i] = default;
        }

        _rentedCount = rentedMark;
        Array.Clear(_records, recordMark, _recordCount - recordMark);
        _recordCount = recordMark;
        _lazyRecordLimit = Math.Min(_lazyRecordLimit, recordMark);
    }

    // An array in a struct, so that storing one into an array of them needs no covariance check.
    private struct Buffer
    {
        public double[] Array;
    }
}
