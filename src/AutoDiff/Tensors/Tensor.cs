using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AutoDiff;

/// <summary>
/// A row-major float64 array of any rank that takes part in reverse-mode differentiation on the same tape as
/// <see cref="Var"/>s.
/// </summary>
/// <remarks>
/// <para>A recorded tensor of n elements owns n consecutive nodes of its thread's <see cref="Tape"/>, so its element i has
/// the adjoint of node <c>Node + i</c>: a rank-0 tensor is exactly a <see cref="Var"/>, and the two convert into each other
/// implicitly. A constant tensor (made from data, or computed from constants or under <see cref="Tape.NoGrad"/>) has no
/// nodes and owns its array.</para>
/// <para>The values of tensors recorded inside a <see cref="Tape.Scope"/> live in memory the tape rents and returns when
/// the scope ends, so a training loop runs in bounded memory; such a tensor may not be used after its scope ended.</para>
/// </remarks>
public sealed partial class Tensor
{
    private readonly int[] _shape;

    internal Tensor(double[] data, int[] shape, int size, Tape? tape, int node, int stamp)
    {
        Data = data;
        _shape = shape;
        Size = size;
        Tape = tape;
        Node = node;
        Stamp = stamp;
    }

    /// <summary>The values, row-major; may be longer than <see cref="Size"/> (pooled memory).</summary>
    internal double[] Data { get; }

    /// <summary>The number of elements.</summary>
    public int Size { get; }

    internal Tape? Tape { get; }

    /// <summary>The node of element 0; elements occupy nodes Node … Node + Size − 1. Meaningless for constants.</summary>
    internal int Node { get; }

    /// <summary>The scope stamp, as for <see cref="Var"/>; 0 for a constant.</summary>
    internal int Stamp { get; }

    /// <summary>
    /// How the tape clears this tensor's adjoints before a sweep (Tape.LazyAdjoints.cs): 0, with every other node;
    /// <see cref="AdjointsPinned"/>, likewise and for good (a Var or a reshaped view shares its nodes); otherwise lazily,
    /// by the first rule that writes them, and the number of the sweep that last did (+ 1 while they are one uniform value,
    /// <see cref="UniformAdjoint"/>; + 2 while they are a constant's values, <see cref="BorrowedAdjoints"/>).
    /// </summary>
    internal int AdjointMark;

    /// <summary>The <see cref="AdjointMark"/> of a tensor whose nodes something else also names.</summary>
    internal const int AdjointsPinned = -1;

    /// <summary>Marks this tensor's adjoints as named by something else too (Tape.PinAdjoints).</summary>
    internal void PinAdjoints()
    {
        if (Tape is { } tape)
        {
            tape.PinAdjoints(this);
        }
        else
        {
            AdjointMark = AdjointsPinned;
        }
    }

    /// <summary>The one adjoint of every element while <see cref="AdjointMark"/> says so; not written out.</summary>
    internal double UniformAdjoint;

    /// <summary>
    /// The adjoints, element by element, while <see cref="AdjointMark"/> says they are borrowed: the values of a constant
    /// tensor (c in Sum(c * x), whose adjoint of x is c), read where they are rather than copied.
    /// </summary>
    internal double[]? BorrowedAdjoints;

    /// <summary>The extent of each dimension (a copy).</summary>
    public int[] Shape => (int[])_shape.Clone();

    internal int[] ShapeUnsafe => _shape;

    /// <summary>The number of dimensions: 0 for a scalar, 1 for a vector, 2 for a matrix.</summary>
    public int Rank => _shape.Length;

    /// <summary><see langword="true"/> when this tensor has no nodes on the tape: nothing flows back into it.</summary>
    public bool IsConstant => Stamp == 0;

    /// <summary>Creates a constant tensor of the given shape holding <paramref name="data"/> (row-major; copied).</summary>
    /// <exception cref="ArgumentException">The data length is not the product of the shape, or an extent is negative.</exception>
    public static Tensor FromArray(double[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        int size = TensorShape.SizeOf(shape, nameof(FromArray));
        if (data.Length != size)
        {
            throw new ArgumentException(
                $"Tensor.FromArray: {data.Length} values cannot fill shape {TensorShape.Format(shape)}, which holds {size}.", nameof(data));
        }

        return Constant((double[])data.Clone(), (int[])shape.Clone());
    }

    /// <summary>Creates a constant matrix from a two-dimensional array.</summary>
    public static Tensor From(double[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int rows = matrix.GetLength(0), columns = matrix.GetLength(1);
        var data = new double[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                data[i * columns + j] = matrix[i, j];
            }
        }

        return Constant(data, [rows, columns]);
    }

    /// <summary>Creates a constant vector holding <paramref name="values"/> (copied).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static Tensor Vector(params double[] values)
    {
        // Checked before values.Length is read, which threw a NullReferenceException from inside the library.
        ArgumentNullException.ThrowIfNull(values);
        return FromArray(values, values.Length);
    }

    /// <summary>Creates a constant tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Constant(new double[TensorShape.SizeOf(shape, nameof(Zeros))], (int[])shape.Clone());
    }

    /// <summary>Creates a constant rank-0 tensor.</summary>
    /// <remarks>Constant tensors are never written, so calls with the same value (by bits) may return the same tensor.</remarks>
    public static Tensor Scalar(double value) => ScalarConstants.Get(value);

    /// <summary>
    /// Creates an independent variable (leaf) on this thread's tape with the values and shape of <paramref name="value"/>:
    /// the tensor form of <see cref="Var.Leaf"/>.
    /// </summary>
    public static Tensor Leaf(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        value.ThrowIfTraced("made a leaf of a traced tensor's values (Tensor.Leaf)");
        return AutoDiff.Tape.Current.TensorLeaf(value.ReadValues(), value._shape);
    }

    internal static Tensor Constant(double[] data, int[] shape) => new(data, shape, data.Length, null, -1, 0);

    /// <summary>The values as a new row-major array.</summary>
    /// <exception cref="InvalidOperationException">The tensor's scope has ended.</exception>
    public double[] ToArray()
    {
        ThrowIfTraced("read a traced tensor's values (ToArray, or Detach)");
        return ReadValues().ToArray();
    }

    /// <summary>The backing array of a constant tensor, without a copy (benchmarks and kernels' callers).</summary>
    internal double[] ToArrayUnsafe() => IsConstant && Data.Length == Size ? Data : ToArray();

    /// <summary>The value of a tensor with one element.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more or fewer than one element.</exception>
    public double Item()
    {
        if (Size != 1)
        {
            throw new InvalidOperationException($"Item() needs a tensor with one element; this one has shape {TensorShape.Format(_shape)}.");
        }

        ThrowIfTraced("read a traced tensor's value (Item)");
        return ReadValues()[0];
    }

    /// <summary>The same values as a constant: gradients stop here.</summary>
    public Tensor Detach() => IsConstant ? this : Constant(ToArray(), (int[])_shape.Clone());

    /// <summary>
    /// The gradient ∂y/∂this of the last <see cref="Backward"/> on this thread's tape, as a new constant tensor of this shape.
    /// </summary>
    public Tensor Grad
    {
        get
        {
            var gradient = GC.AllocateUninitializedArray<double>(Size);
            AutoDiff.Tape.Current.CopyGradient(this, gradient);
            return Constant(gradient, (int[])_shape.Clone());
        }
    }

    /// <summary>Runs the reverse sweep from this rank-0 (one-element) result; see <see cref="Var.Backward"/>.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more or fewer than one element (the message names
    /// Backward and the shape), or is a constant.</exception>
    public void Backward()
    {
        // Checked here rather than left to the conversion to a Var, whose message speaks of a conversion the caller never
        // wrote. PyTorch refuses the same call ("grad can be implicitly created only for scalar outputs").
        if (Size != 1)
        {
            throw new InvalidOperationException(
                $"Backward() needs a result with one element (a loss); this tensor has shape {TensorShape.Format(_shape)}. "
                + "Reduce it first (Ops.Sum, Ops.Mean), or use AD.Jacobian for the derivatives of every element.");
        }

        ((Var)this).Backward();
    }

    /// <summary>A rank-0 tensor sharing the node of <paramref name="x"/> (a constant for a constant).</summary>
    public static implicit operator Tensor(Var x)
    {
        if (x.IsConstant)
        {
            return new([x.Value], [], 1, null, -1, x.Stamp);
        }

        var tape = AutoDiff.Tape.Current;
        tape.ThrowIfTracing("converted a Var into a tensor (its value would be frozen)");

        // A Var of another thread's open scope keeps that thread's tape, so that using the tensor names the thread (a
        // Var itself carries only its stamp); one of no open scope at all keeps this tape and is reported as stale.
        var owner = tape.IsActiveStamp(x.Stamp) ? tape : TapeRegistry.FindActiveOwner(x.Stamp, except: tape) ?? tape;
        return new([x.Value], [], 1, owner, x.Index, x.Stamp);
    }

    /// <summary>A constant rank-0 tensor.</summary>
    public static implicit operator Tensor(double value) => Scalar(value);

    /// <summary>The <see cref="Var"/> of a one-element tensor, sharing its node.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more than one element.</exception>
    public static implicit operator Var(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Size != 1)
        {
            throw new InvalidOperationException(
                $"Only a tensor with one element converts to a Var; this one has shape {TensorShape.Format(x._shape)}. Reduce it first (Ops.Sum, Ops.Mean).");
        }

        x.ThrowIfTraced("converted a traced tensor into a Var");

        // Scalar edges may now write into this node, so its adjoint is cleared before every sweep like a Var's.
        x.PinAdjoints();
        return new Var(x.ReadValues()[0], x.IsConstant ? 0 : x.Node, x.Stamp);
    }

    /// <summary>The shape and values, e.g. <c>Tensor[2, 2] [[1, 2], [3, 4]]</c> (long tensors are elided).</summary>
    public override string ToString()
    {
        var values = ReadValuesOrNull();
        var text = new StringBuilder("Tensor").Append(TensorShape.Format(_shape)).Append(' ');
        if (values is null)
        {
            // Reading it explains which: a tensor that escaped a compiled function, or one of an ended scope.
            return text.Append(Tape is { IsCompiled: true } ? "(computed inside AD.Compile)" : "(scope ended)").ToString();
        }

        // Not the values of the first call of a function that AD.Compile traces: a branch on them would be frozen.
        if (IsTraced)
        {
            return text.Append("(traced)").ToString();
        }

        int shown = Math.Min(Size, 20);
        text.Append('[').AppendJoin(", ", values[..shown].ToArray().Select(v => v.ToString("G6", CultureInfo.InvariantCulture)));
        return text.Append(Size > shown ? ", …]" : "]").ToString();
    }

    // A value read by the user while AD.Compile traces could steer the function (a branch, a loop bound) or be frozen into
    // it, and a replay with new inputs would silently follow the first call's values.
    private void ThrowIfTraced(string what)
    {
        if (IsTraced)
        {
            Tape!.ThrowIfTracing(what);
        }
    }

    // A variable of a tape that AD.Compile is tracing on.
    private bool IsTraced => Tape is { IsTracing: true } && !IsConstant;

    /// <summary>The live values; throws when the scope that recorded this tensor has ended (its memory was returned).</summary>
    internal ReadOnlySpan<double> ReadValues() =>
        ReadValuesOrNull() is { } values
            ? values.AsSpan(0, Size)
            : throw new InvalidOperationException(Tape is { IsCompiled: true }
                ? $"A tensor of shape {TensorShape.Format(_shape)} computed inside a function compiled by AD.Compile was used outside it; its memory "
                  + "holds whatever the compiled function's last call computed. Return what you need from the function, or compute it again."
                : $"A tensor of shape {TensorShape.Format(_shape)} was used after the tape scope that recorded it ended; its memory has been reused. "
                  + "Copy out what you need (ToArray) inside the scope, or Detach() it there.");

    // A compiled function's tape stays open for its replays, but a tensor of its trace that escaped (through a closure)
    // is as dead as one of an ended scope: its memory is rewritten by every replay.
    private double[]? ReadValuesOrNull() => Tape is null || (Tape.IsActiveStamp(Stamp) && !Tape.IsCompiled) ? Data : null;
}
