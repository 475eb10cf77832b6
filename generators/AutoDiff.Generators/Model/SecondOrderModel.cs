namespace AutoDiff.Generators.Model;

/// <summary>
/// The second-order part of one partial rule: the rule's derivative with respect to each value it reads, as method
/// bodies in the rule's parameter order (empty for a rule that reads nothing), or why they could not be derived.
/// </summary>
/// <param name="Bodies">∂rule/∂parameter for each parameter, each the body of a method taking the rule's parameters.</param>
/// <param name="Error">What in the rule is not differentiable; <see langword="null"/> when <paramref name="Bodies"/> is complete.</param>
internal sealed record SecondOrderModel(EquatableArray<string> Bodies, string? Error)
{
    public static readonly SecondOrderModel Constant = new(EquatableArray<string>.Empty, null);
}
