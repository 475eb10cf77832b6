using System;
using System.Threading;
using System.Threading.Tasks;
using AutoDiff.Tests.Tensors;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

/// <summary>
/// Scopes disposed on a thread other than the one that opened them, as an await inside a <c>using</c> block does: the
/// disposal throws, and the owner thread's tape closes the scope itself instead of keeping its mode and nodes for good.
/// Each test runs on a thread of its own, so the await's continuation surely runs on another.
/// </summary>
public class AbandonedScopeTests
{
    private static void DisposeOnAnotherThread(TapeScope scope, out string message)
    {
        string? text = null;
        var other = new Thread(() => text = Assert.Throws<InvalidOperationException>(scope.Dispose).Message);
        other.Start();
        other.Join();
        message = text!;
    }

    [Fact]
    public void A_CheckFinite_disposed_on_another_thread_does_not_check_the_owner_threads_later_gradients()
    {
        FreshTape.Run(() =>
        {
            DisposeOnAnotherThread(AutoDiff.Tape.CheckFinite(), out string message);
            Assert.Contains($"A tape scope of thread {Environment.CurrentManagedThreadId} was disposed on thread", message);
            Assert.Contains("closes it the next time it opens or closes a tape scope", message);

            // d(log x)/dx = 1/x; the value is NaN, as IEEE 754 says, outside CheckFinite. Before, the scope stayed open on
            // this thread for good, and this (and every later gradient touching a NaN) threw NonFiniteValueException.
            var (value, gradient) = AD.ValueAndGrad(v => Log(v[0]), [-1.0]);
            Assert.True(double.IsNaN(value));
            Assert.Equal([-1.0], gradient);
            Assert.False(AutoDiff.Tape.Current.IsCheckingFinite);
        });
    }

    [Fact]
    public void A_NoGrad_held_across_an_await_is_closed_on_its_own_thread_at_the_next_AD_call()
    {
        FreshTape.Run(() =>
        {
            static async Task Step()
            {
                using (AutoDiff.Tape.NoGrad())
                {
                    await Task.Delay(1).ConfigureAwait(false);
                }
            }

            var error = Assert.Throws<InvalidOperationException>(() => Step().GetAwaiter().GetResult());
            Assert.Contains("dispose a scope on the thread that opened it", error.Message);

            Assert.Equal([6.0], AD.Grad(v => v[0] * v[0], [3.0]));

            // Before, recording stayed off on this thread: Var.Leaf gave a constant and Backward threw.
            Assert.True(AutoDiff.Tape.Current.IsRecording);
            var x = Var.Leaf(2.0);
            (x * x * x).Backward();
            Assert.Equal(12.0, x.Grad);
        });
    }

    [Fact]
    public void A_scope_held_across_an_await_gives_its_nodes_back_and_its_tensors_become_invalid()
    {
        FreshTape.Run(() =>
        {
            int nodes = AutoDiff.Tape.Current.NodeCount;
            Tensor? kept = null;
            async Task Step()
            {
                using (AutoDiff.Tape.Scope())
                {
                    kept = Tensor.Leaf(Tensor.Zeros(1000));
                    await Task.Delay(1).ConfigureAwait(false);
                }
            }

            Assert.Throws<InvalidOperationException>(() => Step().GetAwaiter().GetResult());
            Assert.Equal([4.0, 6.0], AD.Grad(p => Sum(p[0] * p[0]), Tensor.Vector(2.0, 3.0))[0].ToArray());

            // Before, the 1000 nodes (and the tensor's memory) stayed on this thread's tape for its lifetime.
            Assert.Equal(nodes, AutoDiff.Tape.Current.NodeCount);
            var stale = Assert.Throws<InvalidOperationException>(() => kept!.ToArray());
            Assert.Contains("used after the tape scope that recorded it ended", stale.Message);
        });
    }

    [Fact]
    public void A_scope_abandoned_below_an_open_one_closes_when_that_one_closes()
    {
        FreshTape.Run(() =>
        {
            var tape = AutoDiff.Tape.Current;
            int nodes = tape.NodeCount;
            var checking = AutoDiff.Tape.CheckFinite();
            using (AutoDiff.Tape.Scope())
            {
                var x = Var.Leaf(4.0);
                DisposeOnAnotherThread(checking, out _);

                // The scope opened above it is untouched: its Var records, and the sweep reads its gradient.
                var y = Sqrt(x);
                y.Backward();
                Assert.Equal(0.25, x.Grad);
            }

            Assert.False(tape.IsCheckingFinite);
            Assert.Equal(nodes, tape.NodeCount);
            Assert.Throws<InvalidOperationException>(checking.Dispose);
        });
    }
}
