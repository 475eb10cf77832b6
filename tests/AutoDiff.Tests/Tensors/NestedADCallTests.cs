using System;
using AutoDiff;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// An AD call handed a variable of a recording in progress (helper-62): its result is a constant to that recording, so
/// jacfwd(grad(f)) written as AD.Jacobian(x => AD.Grad(f, x)[0], x) gave a zero matrix where the Hessian diag(6x) is
/// meant, and a compiled gradient inside AD.Grad gave 3x² instead of 9x². It is now refused, pointing to AD.Hessian;
/// a detached input says that a constant is meant and keeps working.
/// </summary>
public class NestedADCallTests
{
    private static Tensor Cube(Tensor y) => Sum(Square(y) * y);

    [Fact]
    public void A_gradient_of_an_outer_variable_inside_a_Jacobian_is_refused()
    {
        var error = Assert.Throws<NotSupportedException>(() => AD.Jacobian(x => AD.Grad(y => Cube(y[0]), x)[0], Tensor.Vector(3.0, 4.0)));
        Assert.Contains("AD.Grad: input 0 (shape [2]) is a variable of a recording in progress", error.Message);
        Assert.Contains("use AD.Hessian", error.Message);

        // What was meant: the Hessian of Σx³, diag(6x).
        Assert.Equal([18.0, 0.0, 0.0, 24.0], AD.Hessian(Cube, Tensor.Vector(3.0, 4.0)).ToArray());
    }

    [Fact]
    public void A_compiled_gradient_and_a_Hessian_of_an_outer_variable_are_refused()
    {
        var compiled = AD.Compile(p => Cube(p[0]), Tensor.Vector(1.0, 1.0));
        var error = Assert.Throws<NotSupportedException>(() => AD.Grad(x => Sum(compiled.Grad(x[0])[0] * x[0]), Tensor.Vector(3.0, 4.0)));
        Assert.Contains("CompiledGradient.Grad: input 0", error.Message);
        error = Assert.Throws<NotSupportedException>(() => AD.Grad(x => Sum(AD.Hessian(Cube, x[0])), Tensor.Vector(3.0, 4.0)));
        Assert.Contains("AD.Hessian: input 0", error.Message);
        error = Assert.Throws<NotSupportedException>(() => AD.Grad(x => Sum(AD.Jacobian(y => y * y, x[0])), Tensor.Vector(3.0, 4.0)));
        Assert.Contains("AD.Jacobian: input 0", error.Message);

        // The buffer overload returns numbers, not tensors, and stays allowed; so does a compiled gradient of constants.
        Assert.Equal([27.0, 48.0], compiled.Grad(Tensor.Vector(3.0, 4.0))[0].ToArray());
    }

    // The refusals (and AD.ValueAndGrad's other messages) named AD.Grad and CompiledGradient.Grad when the call made was
    // AD.ValueAndGrad or CompiledGradient.ValueAndGrad: tensors.md says the exception names the call.
    [Fact]
    public void The_refusal_and_the_other_messages_name_the_call_that_was_made()
    {
        var compiled = AD.Compile(p => Cube(p[0]), Tensor.Vector(1.0, 1.0));
        var error = Assert.Throws<NotSupportedException>(() => AD.Grad(x => Sum(compiled.ValueAndGrad(x[0]).Gradients[0] * x[0]), Tensor.Vector(3.0, 4.0)));
        Assert.Contains("CompiledGradient.ValueAndGrad: input 0", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<NotSupportedException>(() => AD.Grad(x => Sum(AD.ValueAndGrad(y => Cube(y[0]), x[0]).Gradients[0] * x[0]), Tensor.Vector(3.0, 4.0)));
        Assert.Contains("AD.ValueAndGrad: input 0", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<NotSupportedException>(() => AD.Grad(x => Sum(AD.Grad(y => Cube(y[0]), x[0])[0] * x[0]), Tensor.Vector(3.0, 4.0)));
        Assert.Contains("AD.Grad: input 0", error.Message, StringComparison.Ordinal);

        var nullResult = Assert.Throws<InvalidOperationException>(() => AD.ValueAndGrad(_ => null!, Tensor.Zeros(2)));
        Assert.Contains("AD.ValueAndGrad: f returned null", nullResult.Message, StringComparison.Ordinal);
        var notScalar = Assert.Throws<ArgumentException>(() => AD.ValueAndGrad(p => p[0] * 2.0, Tensor.Zeros(2)));
        Assert.StartsWith("AD.ValueAndGrad needs a function with one output value", notScalar.Message, StringComparison.Ordinal);
        notScalar = Assert.Throws<ArgumentException>(() => AD.Grad(p => p[0] * 2.0, Tensor.Zeros(2)));
        Assert.StartsWith("AD.Grad needs a function with one output value", notScalar.Message, StringComparison.Ordinal);
        var leftOpen = Assert.Throws<InvalidOperationException>(() => AD.Grad(p => { AutoDiff.Tape.NoGrad(); return Sum(p[0]); }, Tensor.Zeros(2)));
        Assert.StartsWith("AD.Grad: the function left 1 tape scope(s) open", leftOpen.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_detached_input_is_a_constant_by_the_caller_s_choice()
    {
        // d/dx Σ(g(x₀)·x) with g = ∇Σy³ = 3y² taken at a constant copy of x: 3x² = (27, 48).
        var gradient = AD.Grad(x => Sum(AD.Grad(y => Cube(y[0]), x[0].Detach())[0] * x[0]), Tensor.Vector(3.0, 4.0))[0];
        Assert.Equal([27.0, 48.0], gradient.ToArray());

        // Nested calls on constants (the usual case) are untouched: f(x) = x·g'(2) with g(t) = Σt³ gives 12.
        var outer = AD.Grad(x => x[0] * AD.Grad(y => Cube(y[0]), Tensor.Scalar(2.0))[0], Tensor.Scalar(5.0))[0];
        Assert.Equal(12.0, outer.Item());
    }
}
