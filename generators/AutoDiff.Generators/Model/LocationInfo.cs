using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiff.Generators.Model;

/// <summary>
/// Where a diagnostic points, kept as plain values: a <see cref="Location"/> holds its syntax tree, which would pin the
/// whole compilation in the driver's cache and make every model unequal to the next run's.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, TextSpan, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location is null || !location.IsInSource
            ? null
            : new LocationInfo(location.SourceTree?.FilePath ?? string.Empty, location.SourceSpan, location.GetLineSpan().Span);

    public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());

    public static LocationInfo? From(SyntaxToken token) => From(token.GetLocation());
}
