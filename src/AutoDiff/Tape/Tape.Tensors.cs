using System;
using System.Buffers;

namespace AutoDiff;

public sealed partial class Tape
{
    // Values of recorded tensors come from the shared pool and go back when their scope closes.
    private double[][] _rented = new double[16][];
    private int _rentedCount;

    private TensorRecord[] _records = new TensorRecord[16];
    private int _recordCount;

    internal Span<double> Adjoints => _adjoints.AsSpan(0, _count);

    /// <summary>A leaf tensor: fresh nodes, values copied into pooled memory.</summary>
    internal Tensor TensorLeaf(ReadOnlySpan<double> values, int[] shape)
    {
        if (!IsRecording)
        {
            return Tensor.Constant(values.ToArray(), (int[])shape.Clone());
        }

        var leaf = NewTensor((int[])shape.Clone(), values.Length);
        values.CopyTo(leaf.Data);
        return leaf;
    }

    /// <summary>A recorded tensor of the given shape: <paramref name="size"/> fresh nodes and pooled, uninitialised values.</summary>
    internal Tensor NewTensor(int[] shape, int size)
    {
        EnsureNodes(size);
        int node = _count;
        _count += size;
        return new Tensor(Rent(size), shape, size, this, node, _stamp);
    }

    internal void Record(in TensorRecord record)
    {
        if (_recordCount == _records.Length)
        {
            Array.Resize(ref _records, _records.Length * 2);
        }

        _records[_recordCount++] = record;
    }

    /// <summary>Whether <paramref name="x"/> is a variable of this tape that may be recorded on now; throws if it is stale or foreign.</summary>
    internal bool Records(Tensor x)
    {
        if (x.IsConstant || !IsRecording)
        {
            return false;
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

        Records(x);

        if (x.Node + x.Size > _sweptNodes)
        {
            throw new InvalidOperationException(
                $"Grad was read on a tensor of shape {TensorShape.Format(x.ShapeUnsafe)} before any Backward() reached it: call Backward() on a result computed from it first.");
        }

        _adjoints.AsSpan(x.Node, x.Size).CopyTo(destination);
    }

    /// <summary>Scratch memory a backward rule keeps (softmax probabilities): pooled, returned when the scope closes.</summary>
    internal double[] RentBuffer(int size) => Rent(size);

    private double[] Rent(int size)
    {
        if (size == 0)
        {
            return [];
        }

        var array = ArrayPool<double>.Shared.Rent(size);
        if (_rentedCount == _rented.Length)
        {
            Array.Resize(ref _rented, _rented.Length * 2);
        }

        _rented[_rentedCount++] = array;
        return array;
    }

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
        }
    }

    // Called when a scope closes: give back the memory and forget the records made inside it.
    private void ReleaseTensors(int rentedMark, int recordMark)
    {
        for (int i = rentedMark; i < _rentedCount; i++)
        {
            ArrayPool<double>.Shared.Return(_rented[i]);
            _rented[i] = null!;
        }

        _rentedCount = rentedMark;
        Array.Clear(_records, recordMark, _recordCount - recordMark);
        _recordCount = recordMark;
    }
}
