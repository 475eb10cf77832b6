using System.Linq;
using Microsoft.CodeAnalysis;

namespace AutoDiff.Generators;

/// <summary>
/// The tensor kernels that other assemblies' declarations may call: a declared function that is public in public types
/// (the library's <c>Ops.Softplus</c>, a user's library of densities) gets a public kernel struct, and a declaration in
/// a project that references it calls that kernel from its own vector body, as it calls the kernels of its own class.
/// Without it, a body that calls <c>Ops.LogSigmoid</c> would have no vector form, and its fused kernel would run
/// element by element.
/// </summary>
internal static class PublicKernels
{
    private static readonly string[] KernelInterfaces = ["AutoDiff.IUnaryKernel", "AutoDiff.IBinaryKernel"];

    /// <summary>Whether <paramref name="method"/> and every type around it are public.</summary>
    public static bool IsVisibleOutside(IMethodSymbol method)
    {
        for (ISymbol? symbol = method; symbol is not null and not INamespaceSymbol; symbol = symbol.ContainingSymbol)
        {
            if (symbol.DeclaredAccessibility != Accessibility.Public)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The kernel struct of <paramref name="target"/>, a one- or two-input declared function of another assembly than
    /// <paramref name="caller"/>'s, written as a fully qualified type name; <see langword="null"/> when there is none (a
    /// function of the caller's own assembly, whose kernels are generated beside the caller's and are not symbols yet, or
    /// one whose kernel is not public, or one whose class <c>global::</c> does not name in <paramref name="compilation"/>:
    /// its assembly is referenced only through an extern alias, or another class there has the same full name).
    /// </summary>
    public static string? Of(IMethodSymbol target, IMethodSymbol caller, Compilation? compilation)
    {
        if (SymbolEqualityComparer.Default.Equals(target.ContainingAssembly, caller.ContainingAssembly)
            || target.Parameters.Length is not (1 or 2)
            || !IsNamedThroughGlobal(target.ContainingType, compilation))
        {
            return null;
        }

        string expected = KernelInterfaces[target.Parameters.Length - 1];
        var kernels = target.ContainingType.GetTypeMembers(HelperNames.Kernel(target.Name));
        return kernels.Length == 1 && kernels[0] is var kernel
            && kernel.DeclaredAccessibility == Accessibility.Public
            && kernel.AllInterfaces.Any(i => i.ToDisplayString() == expected)
                ? kernel.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)
                : null;
    }

    // Generated code names other assemblies' kernels through global::, so the kernel's class must be the one class that
    // global:: names by its full name. It is not when the assembly is referenced only through extern aliases that do not
    // include "global" (<Aliases>densities</Aliases>): the compilation's global namespace has no such class. Nor when
    // another class has the same full name there, in the project's own files or in another assembly under global (what
    // an alias is for): global:: then names that class (CS0426) or both (CS0433). Such calls stay scalar rather than
    // become code that does not compile. (A nested class is never found among its namespace's types, so it fails too.)
    private static bool IsNamedThroughGlobal(INamedTypeSymbol type, Compilation? compilation)
    {
        if (compilation is null)
        {
            return true;
        }

        var namespaces = new System.Collections.Generic.Stack<string>();
        for (INamespaceSymbol ns = type.ContainingNamespace; !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
        {
            namespaces.Push(ns.Name);
        }

        INamespaceSymbol current = compilation.GlobalNamespace;
        foreach (string name in namespaces)
        {
            var members = current.GetMembers(name).ToArray();
            if (members.Length != 1 || members[0] is not INamespaceSymbol next)
            {
                return false;
            }

            current = next;
        }

        var named = current.GetTypeMembers(type.Name, type.Arity);
        return named.Length == 1 && SymbolEqualityComparer.Default.Equals(named[0], type);
    }
}
