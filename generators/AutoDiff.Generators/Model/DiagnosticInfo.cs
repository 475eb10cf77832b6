using System.Linq;
using Microsoft.CodeAnalysis;

namespace AutoDiff.Generators.Model;

/// <summary>A diagnostic to report, as an equatable value (see <see cref="LocationInfo"/> for why not a <see cref="Diagnostic"/>).</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArgs) =>
        new(descriptor, location, messageArgs.ToEquatableArray());

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(), MessageArgs.Cast<object>().ToArray());
}
