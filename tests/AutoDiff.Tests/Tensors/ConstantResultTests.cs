using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;
using static AutoDiff.Ops;

namespace AutoDiff.Tests.Tensors;

/// <summary>
/// An elementwise operation on constants only (1 − y inside the function being differentiated) is computed once per
/// tape and handed back on later calls (Tape.ConstantResults.cs). Checked: the reuse happens, what it hands back is what
/// the operation computes, inputs that differ in any bit or in shape are told apart, the NaN check still runs, and the
/// tape keeps a bounded number of results alive.
/// </summary>
public class ConstantResultTests
{
    private const int N = 101;

    private static double[] Data(int n, int seed) => RandomData.Symmetric(n, seed);

    [Fact]
    public void One_minus_y_is_computed_once_over_repeated_gradients()
    {
        // f = Σ (1 − y)·x: ∇f = 1 − y on every call.
        double[] y = Data(N, 1), x = Data(N, 2);
        var labels = Tensor.Vector(y);
        FreshTape.Run(() =>
        {
            for (int call = 0; call < 4; call++)
            {
                var gradient = AD.Grad(p => Sum((1.0 - labels) * p[0]), Tensor.Vector(x))[0].ToArray();
                Assert.Equal(y.Select(v => 1.0 - v), gradient);
            }

            Assert.Equal(3, AutoDiff.Tape.Current.ConstantResultsReused);
        });
    }

    [Fact]
    public void Results_are_told_apart_by_every_bit_of_a_scalar_and_by_the_operation()
    {
        double[] y = Data(N, 3);
        var labels = Tensor.Vector(y);
        FreshTape.Run(() =>
        {
            for (int round = 0; round < 2; round++)
            {
                Assert.Equal(y.Select(v => 1.0 - v), (1.0 - labels).ToArray());
                Assert.Equal(y.Select(v => 2.0 - v), (2.0 - labels).ToArray());
                Assert.Equal(y.Select(v => v - 1.0), (labels - 1.0).ToArray());
                Assert.True(SameBits.ButNaNSign([.. y.Select(v => v * 0.0)], (labels * 0.0).ToArray()));
                Assert.True(SameBits.ButNaNSign([.. y.Select(v => v * -0.0)], (labels * -0.0).ToArray()));
                AssertClose(y.Select(Math.Exp), Exp(labels).ToArray());
                AssertClose(y.Select(v => Math.Exp(-v)), Exp(-labels).ToArray());
            }

            Assert.Equal(8, AutoDiff.Tape.Current.ConstantResultsReused);
        });
    }

    // The library's exponential is within an ulp or two of Math.Exp, not equal to it.
    private static void AssertClose(System.Collections.Generic.IEnumerable<double> expected, double[] actual)
    {
        Assert.Equal(expected.Count(), actual.Length);
        foreach (var (e, a) in expected.Zip(actual))
        {
            Assert.Equal(e, a, 1e-15);
        }
    }

    [Fact]
    public void A_one_element_input_of_another_shape_gives_its_own_broadcast_shape()
    {
        double[] y = Data(N, 4);
        var labels = Tensor.Vector(y);
        FreshTape.Run(() =>
        {
            Assert.Equal([N], (Tensor.Scalar(1.0) - labels).Shape);
            Assert.Equal([1, N], (Tensor.FromArray([1.0], 1, 1) - labels).Shape);
            Assert.Equal([N], (Tensor.FromArray([1.0], 1) - labels).Shape);
            Assert.Equal([N], (Tensor.Scalar(1.0) - labels).Shape);
        });
    }

    [Fact]
    public void The_NaN_check_runs_on_every_computation_of_a_constant()
    {
        var data = Tensor.Vector([.. Data(N, 5).Select(Math.Abs), -1.0]);
        FreshTape.Run(() =>
        {
            Assert.True(double.IsNaN(Log(data).ToArray()[^1]));
            using (AutoDiff.Tape.CheckFinite())
            {
                Assert.Throws<NonFiniteValueException>(() => Log(data));
                Assert.Throws<NonFiniteValueException>(() => Log(data));
            }
        });
    }

    [Fact]
    public void A_gradient_of_a_function_of_data_and_parameters_is_unchanged_by_reuse()
    {
        // The logistic log-likelihood written with 1 − y against its closed form, call after call.
        const int n = 200, d = 3;
        double[] design = Data(n * d, 6), theta = Data(d, 7);
        double[] labels = [.. Data(n, 8).Select(v => v > 0 ? 1.0 : 0.0)];
        var x = Tensor.FromArray(design, n, d);
        var y = Tensor.Vector(labels);
        var (value, expected) = LogisticClosedForm.At(design, labels, theta);
        FreshTape.Run(() =>
        {
            for (int call = 0; call < 3; call++)
            {
                var (actual, gradients) = AD.ValueAndGrad(
                    p => { var z = x.MatMul(p[0]); return Sum(y * LogSigmoid(z) + (1.0 - y) * LogSigmoid(-z)); }, Tensor.Vector(theta));
                Assert.Equal(value, actual, 1e-10);
                var gradient = gradients[0].ToArray();
                for (int j = 0; j < d; j++)
                {
                    Assert.Equal(expected[j], gradient[j], 1e-10);
                }
            }

            Assert.Equal(2, AutoDiff.Tape.Current.ConstantResultsReused);
        });
    }

    [Fact]
    public void The_tape_keeps_a_bounded_number_of_results_alive()
    {
        FreshTape.Run(() =>
        {
            var first = KeepOneAndForget(Data(N, 9));
            for (int i = 0; i < AutoDiff.Tape.ConstantResultSlots; i++)
            {
                KeepOneAndForget(Data(N, 10 + i));
            }

            var tooLarge = KeepOneAndForget(new double[AutoDiff.Tape.MaxConstantResultSize + 1]);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            Assert.False(first.Input.TryGetTarget(out _), "the oldest input outlived its replacement");
            Assert.False(first.Result.TryGetTarget(out _), "the oldest result outlived its replacement");
            Assert.False(tooLarge.Result.TryGetTarget(out _), "a result above the size limit was kept");
            Assert.Equal(0, AutoDiff.Tape.Current.ConstantResultsReused);
        });
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference<Tensor> Input, WeakReference<Tensor> Result) KeepOneAndForget(double[] values)
    {
        var input = Tensor.Vector(values);
        var result = Exp(input);
        Assert.Equal(Math.Exp(values[0]), result.ToArray()[0], 1e-15);
        return (new WeakReference<Tensor>(input), new WeakReference<Tensor>(result));
    }
}
