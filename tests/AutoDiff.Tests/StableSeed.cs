namespace AutoDiff.Tests;

/// <summary>Random seeds derived from a test case's name, the same in every process.</summary>
/// <remarks>
/// <c>string.GetHashCode</c> is randomized per process, so a failure seeded by it could not be replayed (one such
/// failure of a SIMD test was never reproduced). FNV-1a over the UTF-16 code units is fixed.
/// </remarks>
internal static class StableSeed
{
    /// <summary>A seed for <see cref="System.Random"/> that depends only on <paramref name="name"/>.</summary>
    public static int Of(string name)
    {
        uint hash = 2166136261;
        foreach (char c in name)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)hash;
    }
}
