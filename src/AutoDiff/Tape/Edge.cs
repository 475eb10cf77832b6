using System.Runtime.InteropServices;

namespace AutoDiff;

/// <summary>
/// One entry of the tape: node <see cref="Owner"/> depends on node <see cref="Input"/> with local partial derivative
/// <see cref="Partial"/> = ∂owner/∂input. Sixteen bytes, so the reverse sweep streams whole cache lines.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Edge
{
    public double Partial;
    public int Owner;
    public int Input;
}
