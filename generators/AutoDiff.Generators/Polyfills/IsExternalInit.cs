// netstandard2.0 lacks the marker type that the compiler needs for records' init accessors.
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
