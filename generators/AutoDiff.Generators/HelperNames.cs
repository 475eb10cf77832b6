using System.Linq;
using AutoDiff.Generators.Model;

namespace AutoDiff.Generators;

/// <summary>
/// The names of the members the generator adds to a declaring class beside the overloads: each function's kernel and
/// second-order rule structs, its derived partials, and the second derivatives of every rule.
/// </summary>
/// <remarks>
/// <para>Every function of a class adds its members to that one class, so two different functions, inputs, rules or
/// parameters must never give one name (CS0111, CS0102, CS0121). The names join user identifiers with fixed separators,
/// and an identifier may contain a separator: <c>F</c> with input <c>d_x</c> and <c>F_d</c> with input <c>x</c> were
/// both <c>__F_d_d_x</c>.</para>
/// <para>So every identifier is written with its underscores doubled (<see cref="Encode"/>). Every run of underscores
/// that an identifier contributes then has even length, and the separators (<c>_d_</c>, <c>_dd_</c>, the <c>_</c>
/// before an overload shape) are the only odd runs: a name reads back into its parts in one way only, and the
/// families differ in their odd runs (kernels and all-<c>Var</c> rule structs have none and end differently, a shaped
/// rule struct has one, a derived partial two, a rule's second derivative two or, for a derived rule, four). Names
/// without underscores are unchanged.</para>
/// </remarks>
internal static class HelperNames
{
    /// <summary>The kernel struct of the function named <paramref name="function"/>, nested in its class.</summary>
    public static string Kernel(string function) => "__" + Encode(function) + "Kernel";

    /// <summary>The second-order rule struct of the overload whose inputs are <c>Var</c> where <paramref name="isVar"/> says.</summary>
    public static string SecondOrderRule(string function, bool[] isVar) =>
        "__" + Encode(function) + "SecondOrder" + (isVar.All(v => v) ? string.Empty : "_" + new string(isVar.Select(v => v ? 'V' : 'C').ToArray()));

    /// <summary>The method holding ∂<paramref name="function"/>/∂<paramref name="input"/> derived from the function's body.</summary>
    public static string DerivedPartial(string function, string input) => "__" + Encode(function) + "_d_" + Encode(input);

    /// <summary>The method holding ∂<paramref name="rule"/>/∂<paramref name="argument"/>, for Hessians.</summary>
    /// <remarks>A derived rule's name is already one of these names, and is taken as it is; a declared rule's is the user's.</remarks>
    public static string SecondOrder(PartialRule rule, string argument) =>
        "__" + (rule.DerivedBody is null ? Encode(rule.MethodName) : rule.MethodName) + "_dd_" + Encode(argument);

    private static string Encode(string identifier) => identifier.Replace("_", "__");
}
