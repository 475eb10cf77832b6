using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AutoDiff.Generators;

/// <summary>
/// Writes the expensive calls that <see cref="VectorTranslator"/> marked with <see cref="VectorTranslator.CachedCall"/>:
/// directly (<c>VectorMath.Log(x)</c>, <c>KernelVectors.Value&lt;K&gt;(x)</c>), or through the kernel's call cache
/// (<c>cache.Log(slot, x)</c>), one slot per call site, so that a call on a broadcast input runs once per row.
/// </summary>
internal static class CallSites
{
    /// <summary>The number of slots in the runtime's <c>CallCache256</c> and <c>CallCache512</c>; later sites are called directly.</summary>
    public const int Slots = 4;

    private static readonly string Marker = VectorTranslator.CachedCall;

    /// <summary>Whether any of <paramref name="bodies"/> makes a call worth caching.</summary>
    public static bool AnyCached(IEnumerable<string> bodies) => bodies.Any(b => b.Contains(Marker));

    /// <summary>A name for the cache parameter that none of <paramref name="bodies"/> uses.</summary>
    public static string CacheName(IEnumerable<string> bodies)
    {
        string name = "__callCache";
        while (bodies.Any(b => b.Contains(name)))
        {
            name = "_" + name;
        }

        return name;
    }

    /// <summary><paramref name="body"/> with every marked call written as the direct call.</summary>
    public static string Direct(string body)
    {
        int none = 0;
        return Write(body, cache: null, ref none);
    }

    /// <summary>
    /// <paramref name="body"/> with its marked calls taken through <paramref name="cache"/>, numbering slots from
    /// <paramref name="nextSlot"/> (which it advances); calls beyond the last slot are written directly.
    /// </summary>
    public static string Cached(string body, string cache, ref int nextSlot) => Write(body, cache, ref nextSlot);

    private static string Write(string body, string? cache, ref int nextSlot)
    {
        var text = new StringBuilder(body.Length);
        int position = 0;
        while (body.IndexOf(Marker, position, System.StringComparison.Ordinal) is int marker and >= 0)
        {
            text.Append(body, position, marker - position);
            int name = marker + Marker.Length;
            int open = body.IndexOf('(', name);
            string function = body.Substring(name, open - name);
            if (cache is not null && nextSlot < Slots)
            {
                text.Append(cache).Append('.').Append(function).Append('(')
                    .Append(nextSlot.ToString(CultureInfo.InvariantCulture)).Append(", ");
                nextSlot++;
            }
            else
            {
                text.Append(function.StartsWith("Value<", System.StringComparison.Ordinal) ? "global::AutoDiff.KernelVectors." : "global::AutoDiff.VectorMath.")
                    .Append(function).Append('(');
            }

            position = open + 1;
        }

        text.Append(body, position, body.Length - position);
        return text.ToString();
    }
}
