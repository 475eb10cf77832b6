using System.Globalization;

namespace AutoDiff;

/// <summary>
/// A scalar that takes part in reverse-mode differentiation: a value and, unless it is a constant, the index of the
/// node that recorded it on this thread's <see cref="Tape"/>.
/// </summary>
/// <remarks>
/// <para>A <see cref="Var"/> is a 16-byte handle; the graph lives in the tape's flat arrays, so arithmetic on
/// <see cref="Var"/>s allocates nothing. A <see cref="double"/> converts implicitly to a constant <see cref="Var"/>
/// (no node, zero gradient). Independent variables come from <see cref="Leaf(double)"/> or from
/// <see cref="AD.Grad(System.Func{Var[], Var}, double[])"/>.</para>
/// <para>The arithmetic operators and the functions of <see cref="Ops"/> are generated from their declarations in
/// <c>Ops/Elementwise/</c>.</para>
/// </remarks>
public readonly partial struct Var
{
    private readonly double _value;
    internal readonly int Index;

    /// <summary>Identifies the tape scope that recorded this node; 0 for a constant.</summary>
    internal readonly int Stamp;

    internal Var(double value, int index, int stamp)
    {
        _value = value;
        Index = index;
        Stamp = stamp;
    }

    /// <summary>The value computed in the forward pass.</summary>
    public double Value => _value;

    /// <summary><see langword="true"/> when this is a constant: it has no node on the tape and nothing flows back into it.</summary>
    public bool IsConstant => Stamp == 0;

    /// <summary>
    /// The adjoint ∂y/∂this of the result <c>y</c> of the last <see cref="Backward"/> on this thread's tape.
    /// </summary>
    /// <exception cref="System.InvalidOperationException">
    /// This is a constant, its tape scope has ended, it belongs to another thread's tape, or no
    /// <see cref="Backward"/> has been run since it was recorded.
    /// </exception>
    public double Grad => Tape.Current.GradientOf(this);

    /// <summary>Creates an independent variable (a leaf node) with value <paramref name="value"/> on this thread's tape.</summary>
    public static Var Leaf(double value) => Tape.Current.Leaf(value);

    /// <summary>Creates a constant: a value with no node, through which no gradient flows.</summary>
    public static Var Constant(double value) => new(value, 0, 0);

    /// <summary>Converts a <see cref="double"/> to a constant <see cref="Var"/>.</summary>
    public static implicit operator Var(double value) => new(value, 0, 0);

    /// <summary>Returns this value as a constant: gradients stop here (PyTorch's <c>detach</c>, JAX's <c>stop_gradient</c>).</summary>
    public Var Detach() => new(_value, 0, 0);

    /// <summary>
    /// Runs the reverse sweep from this result: afterwards <see cref="Grad"/> of every <see cref="Var"/> on this thread's
    /// tape holds ∂this/∂that <see cref="Var"/>. Each call overwrites the gradients of the previous one.
    /// </summary>
    public void Backward() => Tape.Current.Backward(this);

    /// <summary>Compares values (no gradient flows through a comparison).</summary>
    public static bool operator <(Var a, Var b) => a._value < b._value;

    /// <summary>Compares values (no gradient flows through a comparison).</summary>
    public static bool operator >(Var a, Var b) => a._value > b._value;

    /// <summary>Compares values (no gradient flows through a comparison).</summary>
    public static bool operator <=(Var a, Var b) => a._value <= b._value;

    /// <summary>Compares values (no gradient flows through a comparison).</summary>
    public static bool operator >=(Var a, Var b) => a._value >= b._value;

    /// <summary>The value, and whether this is a constant or which node it is.</summary>
    public override string ToString() =>
        IsConstant
            ? _value.ToString("R", CultureInfo.InvariantCulture) + " (constant)"
            : _value.ToString("R", CultureInfo.InvariantCulture) + " (node " + Index.ToString(CultureInfo.InvariantCulture) + ")";
}
