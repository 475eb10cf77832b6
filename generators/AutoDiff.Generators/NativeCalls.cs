using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generators;

/// <summary>
/// Whether a declared function or rule calls code outside the JIT's reach: <c>Math.Log</c>, <c>Math.Exp</c> and the other
/// <see cref="System.Math"/> functions the runtime takes from the C library, or any other method, which may.
/// </summary>
/// <remarks>
/// The C library's <c>log</c> and <c>exp</c> begin with legacy SSE instructions. The JIT zeroes a struct of 32 bytes or
/// more with 256-bit stores and, in .NET 10, does not always put a <c>vzeroupper</c> between those stores and a later
/// call into the C library; on an Intel Xeon every such call then pays an AVX–SSE transition. An all-<c>Var</c> overload
/// of three or more inputs builds such structs (its spans of inputs and partials), so when the function reaches the C
/// library the emitter keeps that overload out of the caller's loop: the call is then made from a method whose prolog
/// clears the registers' upper halves. W1 as a loop of <c>LogNormal(Var, Var, Var)</c>: 20 ms inlined, 4.3 ms not
/// (docs/declaring-ops.md, "Calls into the C library").
/// </remarks>
internal static class NativeCalls
{
    // The Math functions the JIT compiles to instructions of its own (or managed code): calling them is no transition.
    private static readonly HashSet<string> Intrinsic =
    [
        "Abs", "Max", "Min", "MaxMagnitude", "MinMagnitude", "Sqrt", "FusedMultiplyAdd", "Floor", "Ceiling", "Round",
        "Truncate", "CopySign", "Sign", "Clamp", "BitIncrement", "BitDecrement", "ScaleB",
    ];

    /// <summary>
    /// Whether <paramref name="method"/>'s body (<see cref="MethodBodies.WithBody"/>) calls the C library: a
    /// <see cref="System.Math"/> function the JIT does not compile itself, or a method whose body, read the same way, does,
    /// or a method without a body to read (another assembly's, which may). False when the body itself cannot be read.
    /// </summary>
    public static bool Makes(IMethodSymbol method, SemanticModel? semanticModel, CancellationToken cancellationToken) =>
        Makes(method, semanticModel, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), cancellationToken) ?? false;

    // null: the body cannot be read. A method already being read counts as making no call of its own: recursion adds
    // nothing that its other calls do not.
    private static bool? Makes(IMethodSymbol method, SemanticModel? semanticModel, HashSet<IMethodSymbol> reading, CancellationToken cancellationToken)
    {
        if (!reading.Add(method))
        {
            return false;
        }

        if (MethodBodies.Of(MethodBodies.WithBody(method), semanticModel, cancellationToken) is not { } body)
        {
            return null;
        }

        foreach (var call in body.Descendants().OfType<IInvocationOperation>())
        {
            var target = call.TargetMethod.OriginalDefinition;
            if (IsCompiledByTheJit(target))
            {
                continue;
            }

            if (IsSystemType(target.ContainingType, "Math") || Makes(target, semanticModel, reading, cancellationToken) != false)
            {
                return true;
            }
        }

        return false;
    }

    // The Math functions the JIT compiles to instructions (or managed code), and double's own tests (IsNaN, IsFinite, …).
    private static bool IsCompiledByTheJit(IMethodSymbol target) =>
        (IsSystemType(target.ContainingType, "Math") && Intrinsic.Contains(target.Name)) || IsSystemType(target.ContainingType, "Double");

    private static bool IsSystemType(INamedTypeSymbol? type, string name) =>
        type is not null && type.Name == name
        && type.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true };
}
