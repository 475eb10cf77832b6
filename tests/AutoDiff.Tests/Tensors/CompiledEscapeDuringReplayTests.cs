using System;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// A tensor that escaped a compiled function is refused on every thread, also while another thread replays the function
/// (found by the differential fuzzer of eager, repeated eager, compiled and finite-difference gradients).
/// </summary>
public class CompiledEscapeDuringReplayTests
{
    [Fact]
    public async Task A_tensor_that_escaped_a_compiled_function_is_refused_while_another_thread_replays_it()
    {
        Tensor? leaked = null;
        var compiled = AD.Compile(p =>
        {
            leaked = p[0] * 2.0;
            return Sum(ReplayPause.Identity(leaked));
        }, Tensor.Vector(1.0, 2.0, 3.0));

        // A replay on another thread, held inside its forward pass (the declared identity runs there) while this thread
        // looks at the escaped tensor, which that replay has just rewritten (2x at x = 100, 200, 300).
        ReplayPause.Arm();
        var replay = Task.Run(() => compiled.Grad(Tensor.Vector(100.0, 200.0, 300.0)));
        try
        {
            Assert.True(ReplayPause.Entered.Wait(TimeSpan.FromSeconds(30)), "the replay did not reach the declared function");

            // Before: the replay's [200, 400, 600], read and computed with, with no error.
            var error = Assert.Throws<InvalidOperationException>(() => leaked!.ToArray());
            Assert.Contains("compiled by AD.Compile", error.Message, StringComparison.Ordinal);
            Assert.Throws<InvalidOperationException>(() =>
            {
                using (AutoDiff.Tape.NoGrad())
                {
                    return leaked! * 1.0;
                }
            });
            Assert.Equal("Tensor[3] (computed inside AD.Compile)", leaked!.ToString());
        }
        finally
        {
            ReplayPause.Release();
        }

        // The replay itself read its own tensors: ∂/∂x Σ 2x = 2.
        var gradient = (await replay)[0].ToArray();
        Assert.Equal([2.0, 2.0, 2.0], gradient);
        Assert.Throws<InvalidOperationException>(() => leaked!.ToArray());
    }
}

/// <summary>An identity whose scalar body can hold the thread that runs it, once armed: a replay's forward pass, paused.</summary>
public static partial class ReplayPause
{
    private static int s_armed;
    private static readonly ManualResetEventSlim s_released = new(false);

    /// <summary>Set when an armed call is held.</summary>
    public static ManualResetEventSlim Entered { get; } = new(false);

    /// <summary>y = x; the next call (on any thread) waits for <see cref="Release"/>.</summary>
    [Differentiable]
    public static double Identity(double x) => Hold(x);

    [Derivative(nameof(Identity))]
    private static double IdentityDerivative(double x) => 1.0;

    public static void Arm()
    {
        Entered.Reset();
        s_released.Reset();
        Volatile.Write(ref s_armed, 1);
    }

    public static void Release()
    {
        Volatile.Write(ref s_armed, 0);
        s_released.Set();
    }

    private static double Hold(double x)
    {
        if (Interlocked.Exchange(ref s_armed, 0) == 1)
        {
            Entered.Set();
            s_released.Wait(TimeSpan.FromSeconds(30));
        }

        return x;
    }
}
