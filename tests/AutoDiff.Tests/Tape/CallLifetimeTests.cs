using System;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

/// <summary>
/// What a function handed to an AD entry point may leave behind: the Var array it was given, and scopes it opened. Each
/// case computed a wrong number or left the thread's tape unusable before its fix.
/// </summary>
public class CallLifetimeTests
{
    [Fact]
    public void An_input_array_kept_from_one_gradient_call_is_not_refilled_by_the_next()
    {
        Var[]? kept = null;
        Assert.Equal(4.0, AD.Grad(v => { kept = v; return v[0] * v[0]; }, [2.0])[0]);
        Assert.Equal(10.0, AD.Grad(v => v[0] * v[0], [5.0])[0]);

        // Still the first call's leaf (value 2), whose scope has ended: using it throws instead of reading the second
        // call's leaf, or, inside a third call, aliasing that call's own input (which gave 14 instead of an error).
        Assert.Equal(2.0, kept![0].Value);
        var error = Assert.Throws<InvalidOperationException>(() => AD.Grad(v => v[0] * kept[0], [7.0]));
        Assert.Contains("after the tape scope that recorded it ended", error.Message);
    }

    [Fact]
    public void The_allocation_free_overload_reuses_its_array_and_a_copy_kept_from_it_throws_when_used()
    {
        var gradient = new double[1];
        Var[]? handed = null, copy = null;
        AD.ValueAndGrad(v => { handed = v; copy = (Var[])v.Clone(); return v[0] * v[0]; }, [2.0], gradient);
        Var[]? second = null;
        AD.ValueAndGrad(v => { second = v; return v[0] * v[0]; }, [5.0], gradient);

        Assert.Same(handed, second);
        Assert.Equal(2.0, copy![0].Value);
        Assert.Throws<InvalidOperationException>(() => AD.Grad(v => v[0] * copy[0], [7.0]));
    }

    [Fact]
    public void A_scope_the_function_leaves_open_is_closed_and_named_and_the_tape_works_afterwards()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AD.Grad(v => { AutoDiff.Tape.NoGrad(); return v[0] * v[0]; }, [3.0]));
        Assert.Contains("AD.ValueAndGrad: the function left 1 tape scope(s) open", error.Message);

        // Before, the leaked NoGrad stayed on for the rest of the thread: Var.Leaf gave constants and Backward threw.
        Assert.True(AutoDiff.Tape.Current.IsRecording);
        Assert.Equal(6.0, AD.Grad(v => v[0] * v[0], [3.0])[0]);
        using (AutoDiff.Tape.Scope())
        {
            var x = Var.Leaf(2.0);
            (x * x).Backward();
            Assert.Equal(4.0, x.Grad);
        }

        var tensorError = Assert.Throws<InvalidOperationException>(() =>
            AD.ValueAndGrad(p => { AutoDiff.Tape.Scope(); AutoDiff.Tape.CheckFinite(); return Sum(p[0] * p[0]); }, Tensor.Vector(1.0, 2.0)));
        Assert.Contains("left 2 tape scope(s) open", tensorError.Message);
        Assert.Throws<InvalidOperationException>(() => AD.Jacobian(x => { AutoDiff.Tape.NoGrad(); return x * 2.0; }, Tensor.Vector(1.0)));
        Assert.Throws<InvalidOperationException>(() => AD.Hessian(x => { AutoDiff.Tape.NoGrad(); return Sum(x * x); }, Tensor.Vector(1.0)));
        Assert.Throws<InvalidOperationException>(() => AD.Hessian(v => { AutoDiff.Tape.NoGrad(); return v[0] * v[0]; }, [1.0]));
        Assert.True(AutoDiff.Tape.Current.IsRecording);
        Assert.False(AutoDiff.Tape.Current.IsCheckingFinite);
        Assert.Equal([2.0, 4.0], AD.Grad(p => Sum(p[0] * p[0]), Tensor.Vector(1.0, 2.0))[0].ToArray());
    }

    [Fact]
    public void A_call_that_throws_for_a_scope_left_open_leaves_the_callers_gradient_buffer_as_it_was()
    {
        // Before, the gradient was written (here [3, 2], or zeros under a leaked NoGrad) and then the call threw.
        var gradient = new[] { 7.0, 7.0 };
        Assert.Throws<InvalidOperationException>(() => AD.ValueAndGrad(v => { AutoDiff.Tape.Scope(); return v[0] * v[1]; }, [2.0, 3.0], gradient));
        Assert.Equal([7.0, 7.0], gradient);

        Assert.Throws<InvalidOperationException>(() => AD.ValueAndGrad(v => { AutoDiff.Tape.NoGrad(); return v[0] * v[1]; }, [2.0, 3.0], gradient));
        Assert.Equal([7.0, 7.0], gradient);

        // The tape is usable afterwards, and the buffer is written when the call succeeds.
        Assert.Equal(6.0, AD.ValueAndGrad(v => v[0] * v[1], [2.0, 3.0], gradient));
        Assert.Equal([3.0, 2.0], gradient);
    }

    [Fact]
    public void A_traced_function_that_uses_a_var_of_the_threads_own_tape_is_refused_as_such()
    {
        using var scope = AutoDiff.Tape.Scope();
        var v = Var.Leaf(2.0);

        // Before: "a Var that belongs to the tape of thread 1 was used on thread 1", with advice that did not apply.
        var error = Assert.Throws<NotSupportedException>(() => AD.Compile(p => Sum(p[0]) * (v * 3.0).Value, Tensor.Vector(1.0, 2.0)));
        Assert.Contains("recorded outside it", error.Message);
        Assert.True(AutoDiff.Tape.Current.IsRecording);
    }
}
