namespace AutoDiff.Numerics;

/// <summary>The precision of a double, for tolerances that scale with rounding.</summary>
internal static class DoublePrecision
{
    /// <summary>ε = 2⁻⁵², the spacing of doubles at 1: a value's rounding error is at most ε/2 of its magnitude.</summary>
    public const double Epsilon = 2.220446049250313e-16;
}
