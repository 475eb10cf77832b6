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
/// partials: element by element for a vector input, summed for a broadcast one. "Agree" is the sweep's tolerance,
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
                var (value, partials) = AD.ValueAndGrad(v => (Var)recorded.Invoke(null, v.Cast<object>().ToArray())!, point);
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
                .GroupBy(r => string.Join(",", r.Point.Select((x, j) => j == i ? "" : BitConverter.DoubleToInt64Bits(x).ToString())))
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
            int n = reference.Count, padded = (n + Lanes - 1) / Lanes * Lanes, arity = reference[0].Point.Length;
            var inputs = new Tensor[arity];
            for (int j = 0; j < arity; j++)
            {
                inputs[j] = broadcastFrom is { } varying && varying != j
                    ? Tensor.Scalar(reference[0].Point[j])
                    : Tensor.Vector(Enumerable.Range(0, padded).Select(k => reference[k < n ? k : 0].Point[j]).ToArray());
            }

            double[] plainValues, recordedValues = [];
            Tensor[] gradients;
            try
            {
                plainValues = Invoke(tensorOverload, inputs).ToArray();
                gradients = AD.Grad(x =>
                {
                    var y = Invoke(tensorOverload, x);
                    recordedValues = y.ToArray();
                    return Ops.Sum(y);
                }, inputs);
            }
            catch (Exception e) when (e is TargetInvocationException or NonFiniteValueException)
            {
                // A NonFiniteValueException escapes from Sum under CheckFinite, outside the overload's call.
                var cause = e.InnerException ?? e;
                failures.Add(new DeclaredOpSweepFailure(name, reference[0].Point, -1, double.NaN, double.NaN,
                    $"the tensor overload threw {cause.GetType().Name} ({layout}): {cause.Message}"));
                return;
            }

            for (int k = 0; k < n; k++)
            {
                var (point, value, partials) = reference[k];
                Expect(point, -1, plainValues[k], value, value, $"the tensor kernel's value differs from the Var overload's ({layout})");
                Expect(point, -1, recordedValues[k], value, value, $"the tensor kernel's value while recording differs from the Var overload's ({layout})");
                for (int j = 0; j < arity; j++)
                {
                    if (broadcastFrom is null || broadcastFrom == j)
                    {
                        Expect(point, j, gradients[j].ToArray()[k], partials[j], value, $"the tensor kernel's partial differs from the Var overload's ({layout})");
                    }
                }
            }

            // A broadcast input's gradient is the sum of its partials over the points (and the padding's copies of the first).
            for (int j = 0; j < arity && broadcastFrom is not null; j++)
            {
                if (j == broadcastFrom)
                {
                    continue;
                }

                var terms = Enumerable.Range(0, padded).Select(k => reference[k < n ? k : 0].Partials[j]).ToArray();
                if (terms.All(double.IsFinite) && reference.All(r => double.IsFinite(r.Value)))
                {
                    double sum = terms.Sum(), scale = terms.Sum(Math.Abs);
                    double got = gradients[j].Item();
                    if (!(Math.Abs(got - sum) <= atol * Math.Max(1.0, reference.Max(r => Math.Abs(r.Value))) * padded + rtol * Math.Max(scale, Math.Abs(got))))
                    {
                        failures.Add(new DeclaredOpSweepFailure(name, reference[0].Point, j, got, sum,
                            $"the tensor kernel's gradient of a broadcast input, summed over {padded} points, differs from the sum of the Var overload's partials ({layout})"));
                    }
                }
            }
        }

        private void Expect(double[] point, int input, double tensor, double var, double value, string reason)
        {
            if (double.IsNaN(var) && input >= 0)
            {
                return;
            }

            bool agrees = double.IsFinite(tensor) && double.IsFinite(var)
                ? Math.Abs(tensor - var) <= atol * Math.Max(1.0, double.IsFinite(value) ? Math.Abs(value) : 1.0) + rtol * Math.Max(Math.Abs(tensor), Math.Abs(var))
                : tensor.Equals(var);
            if (!agrees)
            {
                failures.Add(new DeclaredOpSweepFailure(name, point, input, tensor, var, reason));
            }
        }

        private static Tensor Invoke(MethodInfo tensorOverload, Tensor[] inputs) => (Tensor)tensorOverload.Invoke(null, inputs.Cast<object>().ToArray())!;
    }
}
