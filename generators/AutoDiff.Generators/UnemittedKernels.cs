using System.Collections.Immutable;
using System.Linq;
using AutoDiff.Generators.Model;

namespace AutoDiff.Generators;

/// <summary>
/// The kernel structs that are not emitted because their function has an error, and the vector bodies that must not call
/// them. A vector body calls another declared one- or two-input function of its class through that function's kernel
/// (<c>KernelVectors.Value&lt;__GKernel&gt;</c>, <see cref="VectorTranslator"/>), which exists only when that function is
/// emitted; whether it is, only its own binding knows. So the kernels of the functions that cannot emit are collected
/// across the compilation, and a body calling one is dropped before emitting: that direction keeps its scalar loop,
/// which calls the function itself, as the declared body does.
/// </summary>
/// <remarks>
/// Without this, <c>F(x) =&gt; G(x) * 2.0 + x</c> with a declared rule beside a <c>G</c> that had an error (AD1015, say)
/// generated a kernel for <c>F</c> naming <c>__GKernel</c>, and the build failed on generated code (CS0246) besides
/// <c>G</c>'s own error. The set is small and changes only when a function starts or stops emitting, so an edit that
/// keeps every function's validity re-emits nothing else.
/// </remarks>
internal static class UnemittedKernels
{
    /// <summary>The key of <paramref name="spec"/>'s kernel: its containing type and kernel name.</summary>
    public static string Key(FunctionSpec spec) => spec.Function.ContainingType + " " + HelperNames.Kernel(spec.Function.Name);

    /// <summary>The keys of every function that cannot emit, sorted so that the set compares by value.</summary>
    public static EquatableArray<string> Collect(ImmutableArray<string> keys) =>
        keys.Distinct().OrderBy(k => k, System.StringComparer.Ordinal).ToEquatableArray();

    /// <summary>
    /// <paramref name="spec"/> without the vector bodies (value, partials, quotient numerators and divisors, reflections) that call a
    /// kernel of <paramref name="unemitted"/> in its own class; <paramref name="spec"/> itself when none does.
    /// </summary>
    public static FunctionSpec Without(FunctionSpec spec, EquatableArray<string> unemitted)
    {
        string prefix = spec.Function.ContainingType + " ";
        string[] calls = unemitted
            .Where(k => k.StartsWith(prefix, System.StringComparison.Ordinal))
            .Select(k => "<" + k.Substring(prefix.Length) + ">")
            .ToArray();
        bool Calls(string? body) => body is not null && calls.Any(c => body.Contains(c));
        bool PartialCalls(PartialRule p) =>
            Calls(p.VectorBody) || Calls(p.ReflectionBody) || Calls(p.Quotient?.NumeratorBody) || Calls(p.Quotient?.DivisorBody);
        if (calls.Length == 0
            || !(Calls(spec.Function.VectorBody) || Calls(spec.Function.ReflectionBody) || spec.Partials.Any(PartialCalls)))
        {
            return spec;
        }

        // A reflection is written only beside the vector value, so it goes with it.
        bool value = Calls(spec.Function.VectorBody) || Calls(spec.Function.ReflectionBody);
        FunctionModel function = value ? spec.Function with { VectorBody = null, ReflectionBody = null } : spec.Function;
        var partials = spec.Partials.Select(p => PartialCalls(p)
            ? p with { VectorBody = null, ReflectionBody = null, Quotient = null }
            : p);
        return spec with { Function = function, Partials = partials.ToEquatableArray() };
    }
}
