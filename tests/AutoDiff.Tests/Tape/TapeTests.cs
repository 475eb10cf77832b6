using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AutoDiff.Benchmarks.Workloads;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

public class TapeTests
{
    [Fact]
    public void Backward_gives_the_product_rule_and_reads_back_through_Grad()
    {
        using var scope = AutoDiff.Tape.Scope();
        var x = Var.Leaf(3.0);
        var y = Var.Leaf(-2.0);
        var f = x * x * y + Sin(x); // ∂f/∂x = 2xy + cos x, ∂f/∂y = x²

        f.Backward();

        Assert.Equal(2 * 3.0 * -2.0 + Math.Cos(3.0), x.Grad, 15);
        Assert.Equal(9.0, y.Grad, 15);
        Assert.Equal(1.0, f.Grad);
    }

    [Fact]
    public void A_variable_used_many_times_accumulates_every_path()
    {
        var g = AD.Grad(v =>
        {
            Var sum = 0.0;
            for (int i = 0; i < 1000; i++)
            {
                sum += v[0] * i;
            }

            return sum;
        }, [0.7]);

        Assert.Equal(999.0 * 1000.0 / 2.0, g[0]);
    }

    [Fact]
    public void Constants_record_nothing_and_mixed_arithmetic_with_doubles_works()
    {
        using var scope = AutoDiff.Tape.Scope();
        int before = AutoDiff.Tape.Current.NodeCount;
        Var c = 2.0;
        var d = c * 3.0 + Exp(c) - 1.0 / c;
        Assert.True(d.IsConstant);
        Assert.Equal(before, AutoDiff.Tape.Current.NodeCount);
        Assert.Equal(6.0 + Math.Exp(2.0) - 0.5, d.Value, 14);

        var x = Var.Leaf(2.0);
        var y = 2.0 * x - x / 4.0 + 1.0 - (-x);
        y.Backward();
        Assert.Equal(2.0 - 0.25 + 1.0, x.Grad, 15);
    }

    [Fact]
    public void Deep_graph_of_ten_million_nodes_sweeps_without_overflowing_the_stack()
    {
        const int n = 5_000_000; // two nodes per step
        int nodes = 0;
        var g = AD.Grad(v =>
        {
            var y = v[0];
            for (int i = 0; i < n; i++)
            {
                y = y + 1e-7 * y; // y = x (1 + 1e-7)^n after the loop
            }

            nodes = AutoDiff.Tape.Current.NodeCount;
            return y;
        }, [1.0]);

        Assert.True(nodes >= 10_000_000, $"{nodes} nodes");
        double expected = Math.Pow(1 + 1e-7, n);
        Assert.True(Math.Abs(g[0] - expected) / expected < 1e-8, $"{g[0]} vs {expected}");
    }

    [Fact]
    public void A_scope_truncates_the_tape_and_keeps_its_capacity_so_repeated_gradients_do_not_allocate()
    {
        var w = new W1Gaussian(1000);
        var gradient = new double[2];
        AD.ValueAndGrad(w.LogLikelihood, W1Gaussian.Point, gradient); // warm up: grows the tape once
        int nodesBefore = AutoDiff.Tape.Current.NodeCount;

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            AD.ValueAndGrad(w.LogLikelihood, W1Gaussian.Point, gradient);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(nodesBefore, AutoDiff.Tape.Current.NodeCount);
    }

    [Fact]
    public void Repeated_logistic_gradients_with_reductions_do_not_allocate_either()
    {
        var w = new W2Logistic(500, 7);
        var gradient = new double[7];
        AD.ValueAndGrad(w.LogLikelihood, w.Theta, gradient);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            AD.ValueAndGrad(w.LogLikelihood, w.Theta, gradient);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Nested_scopes_may_use_the_vars_of_enclosing_scopes()
    {
        using var outer = AutoDiff.Tape.Scope();
        var a = Var.Leaf(2.0);
        var b = a * a;
        using (AutoDiff.Tape.Scope())
        {
            var c = b * a; // a³
            c.Backward();
            Assert.Equal(12.0, a.Grad, 15);
        }

        // After the inner scope, the outer graph is intact and usable.
        var d = b + a;
        d.Backward();
        Assert.Equal(5.0, a.Grad, 15);
    }

    [Fact]
    public void AD_Grad_nests_inside_a_function_being_differentiated()
    {
        // The inner gradient is a constant for the outer function (JAX would differentiate through it; this engine
        // is first order): f(x) = x · g'(2) with g(t) = t³, so f'(x) = 12.
        var outer = AD.Grad(v => v[0] * AD.Grad(u => u[0] * u[0] * u[0], [2.0])[0], [5.0]);
        Assert.Equal(12.0, outer[0], 15);
    }

    [Fact]
    public void A_var_used_after_its_scope_ended_throws_and_says_so()
    {
        Var stale;
        using (AutoDiff.Tape.Scope())
        {
            stale = Var.Leaf(1.0) * 2.0;
        }

        using var scope = AutoDiff.Tape.Scope();
        var error = Assert.Throws<InvalidOperationException>(() => stale + 1.0);
        Assert.Contains("after the tape scope that recorded it ended", error.Message);
        Assert.Throws<InvalidOperationException>(() => stale.Grad);
        Assert.Throws<InvalidOperationException>(() => stale.Backward());
    }

    [Fact]
    public void A_var_captured_by_AD_Grad_and_used_later_throws()
    {
        Var[] captured = [];
        AD.Grad(v => { captured = v; return v[0] * v[0]; }, [3.0]);
        Assert.Throws<InvalidOperationException>(() => Exp(captured[0]));
    }

    [Fact]
    public void A_var_from_another_threads_tape_throws_and_names_that_thread()
    {
        using var ready = new ManualResetEventSlim();
        using var done = new ManualResetEventSlim();
        Var foreign = default;
        int foreignThread = 0;
        var owner = new Thread(() =>
        {
            using (AutoDiff.Tape.Scope())
            {
                foreign = Var.Leaf(1.5) * 2.0;
                foreignThread = Environment.CurrentManagedThreadId;
                ready.Set();
                done.Wait(); // keep the scope open while the main thread misuses the Var
            }
        });
        owner.Start();
        ready.Wait();
        try
        {
            using var scope = AutoDiff.Tape.Scope();
            var error = Assert.Throws<InvalidOperationException>(() => foreign * 3.0);
            Assert.Contains($"tape of thread {foreignThread}", error.Message);

            // The same Var as a rank-0 tensor: it used to be given this thread's tape, so the misuse was reported as a
            // tensor "used after the tape scope that recorded it ended", although that scope is open on its own thread.
            Tensor asTensor = foreign;
            error = Assert.Throws<InvalidOperationException>(() => Square(asTensor));
            Assert.Contains($"belongs to the tape of thread {foreignThread}", error.Message);
        }
        finally
        {
            done.Set();
            owner.Join();
        }
    }

    [Fact]
    public void Independent_threads_differentiate_concurrently_and_get_their_own_exact_gradients()
    {
        var results = new double[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            double a = i + 1;
            for (int repeat = 0; repeat < 200; repeat++)
            {
                results[i] = AD.Grad(v => v[0] * v[0] * a + Exp(v[1] / a), [a, 2.0 * a]);
            }
        });

        for (int i = 0; i < results.Length; i++)
        {
            double a = i + 1;
            Assert.Equal(2 * a * a, results[i][0], 12);
            Assert.Equal(Math.Exp(2.0) / a, results[i][1], 12);
        }
    }

    [Fact]
    public void Scopes_must_be_disposed_in_order_and_only_once()
    {
        var outer = AutoDiff.Tape.Scope();
        var inner = AutoDiff.Tape.Scope();
        var error = Assert.Throws<InvalidOperationException>(() => outer.Dispose());
        Assert.Contains("reverse order", error.Message);
        inner.Dispose();
        outer.Dispose();
        Assert.Throws<InvalidOperationException>(() => outer.Dispose());
    }

    [Fact]
    public void NoGrad_records_nothing_and_returns_constants()
    {
        using var scope = AutoDiff.Tape.Scope();
        var x = Var.Leaf(2.0);
        int nodes = AutoDiff.Tape.Current.NodeCount;
        Var step;
        using (AutoDiff.Tape.NoGrad())
        {
            step = x - 0.1 * Exp(x);
        }

        Assert.True(step.IsConstant);
        Assert.Equal(2.0 - 0.1 * Math.Exp(2.0), step.Value, 14);
        Assert.Equal(nodes, AutoDiff.Tape.Current.NodeCount);

        // Recording is back on after the NoGrad scope.
        var y = x * x;
        Assert.False(y.IsConstant);
    }

    [Fact]
    public void AD_Grad_records_even_inside_NoGrad()
    {
        using (AutoDiff.Tape.NoGrad())
        {
            Assert.Equal(6.0, AD.Grad(v => v[0] * v[0], [3.0])[0]);
            Assert.False(AutoDiff.Tape.Current.IsRecording);
        }
    }

    [Fact]
    public void Detach_stops_the_gradient()
    {
        var g = AD.Grad(v => v[0] * v[0].Detach(), [3.0]);
        Assert.Equal(3.0, g[0]);
    }

    [Fact]
    public void Grad_before_Backward_or_on_a_constant_throws_instead_of_returning_a_stale_number()
    {
        using var scope = AutoDiff.Tape.Scope();
        var x = Var.Leaf(1.0);
        var error = Assert.Throws<InvalidOperationException>(() => x.Grad);
        Assert.Contains("before any Backward()", error.Message);
        Var c = 4.0;
        Assert.Contains("constant", Assert.Throws<InvalidOperationException>(() => c.Grad).Message);
        Assert.Contains("constant", Assert.Throws<InvalidOperationException>(() => c.Backward()).Message);
    }

    [Fact]
    public void A_function_that_ignores_its_inputs_has_a_zero_gradient()
    {
        var (value, gradient) = AD.ValueAndGrad(_ => 42.0, [1.0, 2.0]);
        Assert.Equal(42.0, value);
        Assert.Equal([0.0, 0.0], gradient);
    }

    [Fact]
    public void The_gradient_buffer_must_match_the_point()
    {
        var error = Assert.Throws<ArgumentException>(() => AD.ValueAndGrad(v => v[0], [1.0, 2.0], new double[3]));
        Assert.Contains("length 3", error.Message);
        Assert.Contains("length 2", error.Message);
    }

    [Fact]
    public void Exceptions_inside_f_leave_the_tape_as_it_was()
    {
        int nodes = AutoDiff.Tape.Current.NodeCount;
        Assert.Throws<DivideByZeroException>(() => AD.Grad(v => { _ = v[0] * 2.0; throw new DivideByZeroException(); }, [1.0]));
        Assert.Equal(nodes, AutoDiff.Tape.Current.NodeCount);
        Assert.Equal(4.0, AD.Grad(v => v[0] * v[0], [2.0])[0]);
    }

    [Fact]
    public void Comparisons_compare_values()
    {
        using var scope = AutoDiff.Tape.Scope();
        var x = Var.Leaf(1.0);
        Assert.True(x < 2.0);
        Assert.True(x >= 1.0);
        Assert.False(x > 1.0);
        Assert.Equal([1.0, 2.0, 3.0], new Var[] { 3.0, x, 2.0 }.OrderBy(v => v.Value).Select(v => v.Value));
    }
}
