using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace AutoDiff;

/// <summary>
/// The part of <see cref="DeclaredOpSweep"/> that checks a declared function's generated tensor kernel against its
/// <see cref="Var"/> overload, at the points the sweep checked the <see cref="Var"/> overload at.
/// </summary>
/// <remarks>
/// The tensor kernel is a second implementation of the same declaration: the generator translates the body and the rules
/// into <c>Vector512</c>/<c>Vector256</c> code, with its own exponential and logarithm, its own loops for inputs broadcast
/// from a scalar, and a fused loop that computes the value and the partials together while recording. A translation that
/// differs from the scalar code would give tensor gradients that no check of the <see cref="Var"/> overload sees. So the
/// sweep evaluates the kernel on tensors holding its points, in two layouts: every input a vector of the points' values
/// (elementwise), and for each input a vector of the points that vary only that input with the others as rank-0 tensors
/// (broadcast). The values must agree with the <see cref="Var"/> overload's, both outside a recording (the value loop)
/// and inside one (the fused loop), and the gradient of the sum of the outputs must agree with the <see cref="Var"/>
/// partials: element by element for a vector input; for a rank-0 one, at each point alone (the point in all 8 lanes,
/// where the gradient is 8 times its partial) and summed over the points whose values and partials are finite. "Agree" is the sweep's tolerance,
/// |tensor − Var| ≤ atol·max(1, |f|) + rtol·max(|tensor|, |Var|), where both are finite; otherwise they must be equal (a
/// NaN where the <see cref="Var"/> overload has a number, or an infinity of the other sign, fails). A NaN partial of the
/// <see cref="Var"/> overload is not compared.
/// </remarks>
internal static class TensorKernelCheck
{
    // Every point in the vector body: the layouts are padded to a whole number of the widest vector's lanes.
    private const int Lanes = 8;

    public static void Run(string name, MethodInfo recorded, MethodInfo tensorOverload, IReadOnlyList<double[]> points, double rtol, double atol,
        List<DeclaredOpSweepFailure> failures)
    {
        var reference = new List<(double[] Point, double Value, double[] Partials)>();
        foreach (var point in points)
        {
            try
            {
                var (value, partials) = AD.ValueAndGrad(DeclaredOpSweep.RecordedFunction(recorded), point);
                reference.Add((point, value, partials));
            }
            catch (TargetInvocationException)
            {
                // The Var check has reported it.
            }
        }

        if (reference.Count == 0)
        {
            return;
        }

        int arity = reference[0].Point.Length;
        var checker = new Checker(name, rtol, atol, failures);
        checker.Compare(tensorOverload, reference, broadcastFrom: null, "elementwise inputs");
        for (int i = 0; i < arity && arity > 1; i++)
        {
            // The points that vary input i alone: the largest set that agree in every other input.
            var group = reference
                .GroupBy(r => DeclaredOpSweep.PointKey(r.Point, except: i))
                .MaxBy(g => g.Count())!
                .ToList();
            if (group.Count > 1)
            {
                checker.Compare(tensorOverload, group, broadcastFrom: i, $"input {i} a vector, the others rank-0 tensors");
            }
        }
    }

    private sealed class Checker(string name, double rtol, double atol, List<DeclaredOpSweepFailure> failures)
    {
        // Evaluates the kernel on the points (padded with copies of the first) and compares: input `broadcastFrom` varies
        // along a vector and the others are rank-0 tensors, or, with null, every input is a vector.
        public void Compare(MethodInfo tensorOverload, List<(double[] Point, double Value, double[] Partials)> reference, int? broadcastFrom, string layout)
        {
            if (Evaluate(tensorOverload, reference, broadcastFrom, layout) is not (var plainValues, var recordedValues, var gradients))
            {
                return;
            }

            int n = reference.Count, arity = reference[0].Point.Length;
            var partialsOf = Array.ConvertAll(gradients, g => g.ToArray());
            for (int k = 0; k < n; k++)
            {
                var (point, value, partials) = reference[k];
                Expect(point, -1, plainValues[k], value, value, $"the tensor kernel's value differs from the Var overload's ({layout})");
                Expect(point, -1, recordedValues[k], value, value, $"the tensor kernel's value while recording differs from the Var overload's ({layout})");
                for (int j = 0; j < arity; j++)
                {
                    if (broadcastFrom is null || broadcastFrom == j)
                    {
                        Expect(point, j, partialsOf[j][k], partials[j], value, $"the tensor kernel's partial differs from the Var overload's ({layout})");
                    }
                }
            }

            if (broadcastFrom is { } varying && arity > 1)
            {
                CompareBroadcastGradients(tensorOverload, reference, varying, layout);
            }
        }

        // A rank-0 input's gradient is the sum of its partials over the lanes. Summed over all the points it would say
        // nothing wherever one of them is not finite (every function's value at x = ±∞ nearly), and would hide a wrong
        // partial beside a large one (x·y's ∂/∂y at x = 0.45 beside x = 10³): so each point is also evaluated alone, in
        // every lane, where the gradient is 8 times its partial, and the sum over distinct lanes is compared on the points
        // whose values and partials are finite and small enough that no order of summing them overflows.
        private void CompareBroadcastGradients(MethodInfo tensorOverload, List<(double[] Point, double Value, double[] Partials)> reference, int varying, string layout)
        {
            int arity = reference[0].Point.Length;
            foreach (var (point, value, partials) in reference)
            {
                var copies = Enumerable.Repeat((point, value, partials), Lanes).ToList();
                if (Evaluate(tensorOverload, copies, varying, layout) is not (_, _, var gradients))
                {
                    return;
                }

                for (int j = 0; j < arity; j++)
                {
                    if (j == varying || double.IsNaN(partials[j]))
                    {
                        continue;
                    }

                    // Lanes·∂ is exact (a power of two) unless it overflows, where the kernel's sum overflows as well.
                    double got = gradients[j].Item(), expected = Lanes * partials[j];
                    bool agrees = double.IsFinite(got) && double.IsFinite(expected)
                        ? DeclaredOpSweep.WithinTolerance(got, expected, double.IsFinite(value) ? value : 1.0, rtol, atol, terms: Lanes)
                        : got.Equals(expected);
                    if (!agrees)
                    {
                        failures.Add(new DeclaredOpSweepFailure(name, point, j, got / Lanes, partials[j],
                            $"the tensor kernel's partial of a rank-0 input (its gradient with this point in all {Lanes} lanes, divided by {Lanes}) differs from the Var overload's ({layout})"));
                    }
                }
            }

            double largest = double.MaxValue / (4.0 * (reference.Count + Lanes));
            var finite = reference.Where(r => double.IsFinite(r.Value) && r.Partials.All(p => Math.Abs(p) <= largest)).ToList();
            if (finite.Count < 2 || Evaluate(tensorOverload, finite, varying, layout) is not (_, _, var summed))
            {
                return;
            }

            int padded = (finite.Count + Lanes - 1) / Lanes * Lanes;
            for (int j = 0; j < arity; j++)
            {
                if (j == varying)
                {
                    continue;
                }

                var terms = Enumerable.Range(0, padded).Select(k => finite[k < finite.Count ? k : 0].Partials[j]).ToArray();
                double sum = terms.Sum(), scale = terms.Sum(Math.Abs);
                double got = summed[j].Item();
                if (!(Math.Abs(got - sum) <= atol * Math.Max(1.0, finite.Max(r => Math.Abs(r.Value))) * padded + rtol * Math.Max(scale, Math.Abs(got))))
                {
                    failures.Add(new DeclaredOpSweepFailure(name, finite[0].Point, j, got, sum,
                        $"the tensor kernel's gradient of a rank-0 input, summed over {padded} lanes ({finite.Count} points with finite values and partials, and copies of the first), differs from the sum of the Var overload's partials ({layout})"));
                }
            }
        }

        // The kernel's values outside and inside a recording and the gradient of the sum of its outputs, on the points
        // padded with copies of the first to whole vectors; null (reported) when it threw.
        private (double[] Plain, double[] Recorded, Tensor[] Gradients)? Evaluate(MethodInfo tensorOverload,
            List<(double[] Point, double Value, double[] Partials)> reference, int? broadcastFrom, string layout)
        {
            int n = reference.Count, padded = (n + Lanes - 1) / Lanes * Lanes, arity = reference[0].Point.Length;
            var inputs = new Tensor[arity];
            for (int j = 0; j < arity; j++)
            {
                inputs[j] = broadcastFrom is { } varying && varying != j
                    ? Tensor.Scalar(reference[0].Point[j])
                    : Tensor.Vector(Enumerable.Range(0, padded).Select(k => reference[k < n ? k : 0].Point[j]).ToArray());
            }

            double[] recordedValues = [];
            try
            {
                double[] plainValues = Invoke(tensorOverload, inputs).ToArray();
                var gradients = AD.Grad(x =>
                {
                    var y = Invoke(tensorOverload, x);
                    recordedValues = y.ToArray();
                    return Ops.Sum(y);
                }, inputs);
                return (plainValues, recordedValues, gradients);
            }
            catch (Exception e) when (e is TargetInvocationException or NonFiniteValueException)
            {
                // A NonFiniteValueException escapes from Sum under CheckFinite, outside the overload's call.
                var cause = e.InnerException ?? e;
                failures.Add(new DeclaredOpSweepFailure(name, reference[0].Point, -1, double.NaN, double.NaN,
                    $"the tensor overload threw {cause.GetType().Name} ({layout}): {cause.Message}"));
                return null;
            }
        }

        private void Expect(double[] point, int input, double tensor, double var, double value, string reason)
        {
            if (double.IsNaN(var) && input >= 0)
            {
                return;
            }

            bool agrees = double.IsFinite(tensor) && double.IsFinite(var)
                ? DeclaredOpSweep.WithinTolerance(tensor, var, double.IsFinite(value) ? value : 1.0, rtol, atol)
                : tensor.Equals(var);
            if (!agrees)
            {
                failures.Add(new DeclaredOpSweepFailure(name, point, input, tensor, var, reason));
            }
        }

        private static Tensor Invoke(MethodInfo tensorOverload, Tensor[] inputs) => (Tensor)tensorOverload.Invoke(null, inputs.Cast<object>().ToArray())!;
    }
}
