using System;
using System.Linq;
using System.Reflection;
using AutoDiff.Likelihoods;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tape;

/// <summary>Cases an independent review found; each failed before its fix.</summary>
public class ReviewRegressionTests
{
    [Fact]
    public void An_unused_intermediate_with_an_infinite_derivative_does_not_poison_the_gradient()
    {
        Assert.Equal(2.0, AD.Grad(v => { _ = Sqrt(v[0]); return 2.0 * v[0]; }, [0.0])[0]);
        Assert.Equal(-4.0, AD.Grad(v => { _ = Sqrt(v[0]); return Square(v[0]); }, [-2.0])[0]);

        // Both branches computed, one chosen by value: f(x) = (x − 1)² for x < 1, so f′(0.5) = −1.
        Assert.Equal(-1.0, AD.Grad(v => { var s = Sqrt(v[0] - 1.0); var q = Square(v[0] - 1.0); return v[0] >= 1.0 ? s : q; }, [0.5])[0]);

        using var scope = AutoDiff.Tape.Scope();
        var x = Var.Leaf(0.0);
        _ = Log(x);
        var y = 3.0 * x;
        y.Backward();
        Assert.Equal(3.0, x.Grad);
    }

    [Fact]
    public void The_same_holds_for_an_unused_tensor_intermediate()
    {
        var g = AD.Grad(t => { _ = Sqrt(t[0]); return Sum(t[0] * 2.0); }, Tensor.Vector(0.0, 1.0))[0];
        Assert.Equal([2.0, 2.0], g.ToArray());
    }

    [Fact]
    public void Stamps_stay_unambiguous_when_the_counter_wraps()
    {
        var counter = typeof(Var).Assembly.GetType("AutoDiff.TapeRegistry")!.GetField("s_lastStamp", BindingFlags.NonPublic | BindingFlags.Static)!;
        int saved = (int)counter.GetValue(null)!;
        try
        {
            Var stale;
            using (AutoDiff.Tape.Scope())
            {
                counter.SetValue(null, int.MaxValue - 2);
                using (AutoDiff.Tape.Scope())
                {
                    stale = Var.Leaf(100.0);
                }

                // The counter wraps here; none of the new scopes may take a stamp that is still open on this tape.
                for (int i = 0; i < 10; i++)
                {
                    using var inner = AutoDiff.Tape.Scope();
                    var x = Var.Leaf(1.0);
                    Assert.Equal(2.0, AD.Grad(v => v[0] * v[0], [1.0])[0]);
                    Assert.Throws<InvalidOperationException>(() => x * stale);
                }
            }
        }
        finally
        {
            counter.SetValue(null, Math.Max(saved, (int)counter.GetValue(null)!));
        }
    }

    [Fact]
    public void NoGrad_and_CheckFinite_scopes_are_closed_in_order_once_and_restore_recording()
    {
        var noGrad = AutoDiff.Tape.NoGrad();
        var scope = AutoDiff.Tape.Scope();
        Assert.Contains("reverse order", Assert.Throws<InvalidOperationException>(() => noGrad.Dispose()).Message);
        scope.Dispose();
        noGrad.Dispose();
        Assert.Contains("already disposed", Assert.Throws<InvalidOperationException>(() => noGrad.Dispose()).Message);
        Assert.True(AutoDiff.Tape.Current.IsRecording);

        using (AutoDiff.Tape.Scope())
        {
            Assert.False(Var.Leaf(1.0).IsConstant);
        }
    }

    [Fact]
    public void An_exception_in_f_surfaces_even_when_f_left_a_scope_open()
    {
        int nodes = AutoDiff.Tape.Current.NodeCount;
        Assert.Throws<DivideByZeroException>(() => AD.Grad(v => { _ = AutoDiff.Tape.Scope(); throw new DivideByZeroException(); }, [1.0]));
        Assert.Equal(nodes, AutoDiff.Tape.Current.NodeCount);
        Assert.True(AutoDiff.Tape.Current.IsRecording);
        Assert.Equal(4.0, AD.Grad(v => v[0] * v[0], [2.0])[0]);
    }

    [Fact]
    public void GradCheck_works_next_to_a_domain_boundary()
    {
        GradCheck.Assert(v => Log(v[0]), [1e-4]);
        var y = new[] { 1.0, 1.0005, 0.9995 };
        GradCheck.Assert(p => GaussianLikelihood.LogLikelihood(p[0], p[1], y), [1.0, 5e-4], relativeTolerance: 1e-5);
    }

    [Fact]
    public void GradCheck_names_the_coordinate_that_fails_not_one_within_tolerance()
    {
        // Coordinate 0 is zero up to rounding noise (relative error 1, but within atol); coordinate 1 is wrong by 1e-3.
        static Var Noisy(Var x) => AutoDiff.Tape.Unary("Noisy", 0.0, x, 2e-12);
        static Var Off(Var x) => AutoDiff.Tape.Unary("Off", 4.0 * x.Value, x, 4.001);

        var error = Assert.Throws<GradCheckException>(() => GradCheck.Assert(v => Noisy(v[0]) + Off(v[1]), [1.0, 1.0]));
        Assert.Equal(1, error.FailingIndex);
        Assert.Contains("coordinate 1 misses the tolerance: AD 4.001", error.Message);
    }

    [Fact]
    public void Reductions_under_checking_name_their_inputs()
    {
        using var check = AutoDiff.Tape.CheckFinite();
        var error = Assert.Throws<NonFiniteValueException>(() => AD.Grad(v => Sum(v[0], v[1]), [1.0, double.PositiveInfinity]));
        Assert.Equal("Sum", error.Operation);
        Assert.Equal([1.0, double.PositiveInfinity], error.Inputs);
    }

    [Fact]
    public void Nearly_collinear_columns_in_floating_point_are_rejected()
    {
        var random = new Random(3);
        var x = Enumerable.Range(0, 50).Select(_ => { double a = random.NextDouble(); return new[] { 1.0, a, 0.1 * a }; }).ToArray();
        var y = x.Select(r => r[1] + random.NextDouble()).ToArray();
        var error = Assert.Throws<ArgumentException>(() => LinearRegressionLikelihood.Mle(x, y));
        Assert.Contains("column 2 of x", error.Message);
    }

    [Fact]
    public void Mle_rejects_missing_and_empty_data_by_name()
    {
        Assert.Throws<ArgumentNullException>(() => LinearRegressionLikelihood.Mle(null!, []));
        Assert.Contains("no observations", Assert.Throws<ArgumentException>(() => LinearRegressionLikelihood.Mle([], [])).Message);
        Assert.Contains("row 0 of x", Assert.Throws<ArgumentException>(() => LinearRegressionLikelihood.Mle([null!], [1.0])).Message);
    }

    [Fact]
    public void A_function_that_writes_into_its_argument_array_gets_the_gradient_of_its_inputs()
    {
        // f(x) = Σ (2x)²: ∂f/∂x = 8x. Before, the gradient was read from the array after f, with respect to 2x (4x).
        Assert.Equal([24.0, 32.0], AD.Grad(v => { v[0] = v[0] * 2.0; v[1] = v[1] * 2.0; return Square(v[0]) + Square(v[1]); }, [3.0, 4.0]));
        var (value, gradients) = AD.ValueAndGrad(p => { p[0] = p[0] * 2.0; return Sum(Square(p[0])); }, Tensor.Vector(3.0, 4.0));
        Assert.Equal(100.0, value);
        Assert.Equal([24.0, 32.0], gradients[0].ToArray());
    }
}
