using System.Linq;
using System.Threading;
using AutoDiff.Generators.Model;
using Microsoft.CodeAnalysis;

namespace AutoDiff.Generators;

/// <summary>
/// Derives the second-order rules that Hessians need: each partial rule differentiated once more, by
/// <see cref="SymbolicDifferentiator"/>, with respect to every value it reads (inputs and <c>result</c>).
/// </summary>
/// <remarks>
/// A declared rule is differentiated from its own body. A rule the generator derived itself exists only as text, so it
/// is differentiated from its synthetic method (<see cref="DerivedPartialMethods"/>) like a declared one.
/// </remarks>
internal static class SecondOrderDeriver
{
    /// <summary>The second-order model of a declared <c>[Derivative]</c> method.</summary>
    public static SecondOrderModel ForRule(IMethodSymbol method, SemanticModel? semanticModel, CancellationToken cancellationToken)
    {
        if (method.Parameters.Length == 0)
        {
            return SecondOrderModel.Constant;
        }

        return From(SymbolicDifferentiator.Derive(method, semanticModel, cancellationToken), method.Name);
    }

    /// <summary>The second-order models of the partials derived from a function's body, one per body.</summary>
    /// <param name="partials">The derived partials, bound (<see cref="DerivedPartialMethods.Bind"/>).</param>
    /// <param name="cancellationToken">Cancels the derivation.</param>
    public static EquatableArray<SecondOrderModel> ForDerivedPartials(DerivedPartialMethods? partials, CancellationToken cancellationToken)
    {
        if (partials is null)
        {
            return EquatableArray<SecondOrderModel>.Empty;
        }

        return partials.Methods
            .Select(method => method is null
                ? new SecondOrderModel(EquatableArray<string>.Empty, "the derived partial could not be bound")
                : From(SymbolicDifferentiator.Derive(method, partials.Model, cancellationToken), "the derived partial"))
            .ToEquatableArray();
    }

    private static SecondOrderModel From(SymbolicDifferentiator.Derivation? derivation, string what) =>
        derivation switch
        {
            null => new SecondOrderModel(EquatableArray<string>.Empty, $"the body of {what} cannot be read"),
            { Error: { } error } => new SecondOrderModel(EquatableArray<string>.Empty, error.What),
            _ => new SecondOrderModel(derivation.Bodies.ToEquatableArray(), null),
        };
}
