using System;
using Xunit;

namespace AutoDiff.Tests.MaximumLikelihood;

public class ParameterTransformTests
{
    public static TheoryData<string, double> Cases => new()
    {
        { "identity", -3.5 },
        { "positive", 0.02 },
        { "positive", 77.0 },
        { "unit", 1e-9 },
        { "unit", 0.3 },
    };

    private static ParameterTransform Of(string name) => name switch
    {
        "identity" => ParameterTransform.Identity,
        "positive" => ParameterTransform.Positive,
        _ => ParameterTransform.UnitInterval,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Round_trip_and_derivatives_agree_with_AD(string name, double theta)
    {
        var transform = Of(name);
        double u = transform.ToUnconstrained(theta);

        Assert.Equal(theta, transform.ToNatural(u), 1e-15 * Math.Max(1, Math.Abs(theta)) + 1e-24);
        var (value, gradient) = AD.ValueAndGrad(v => transform.ToNatural(v[0]), [u]);
        Assert.Equal(transform.ToNatural(u), value);
        Assert.Equal(gradient[0], transform.Derivative(u), 1e-14 * Math.Abs(gradient[0]) + 1e-300);
        double second = AD.Hessian(v => transform.ToNatural(v[0]), [u])[0, 0];
        Assert.Equal(second, transform.SecondDerivative(u), 1e-13 * Math.Max(Math.Abs(second), 1e-12));
    }

    [Fact]
    public void Values_outside_the_domain_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ParameterTransform.Positive.ToUnconstrained(0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ParameterTransform.UnitInterval.ToUnconstrained(1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ParameterTransform.Identity.ToUnconstrained(double.NaN));
        Assert.Equal("0 < θ < 1, θ = 1/(1 + exp(−u))", ParameterTransform.UnitInterval.ToString());
    }

    [Fact]
    public void A_probability_fitted_through_the_logit_has_the_binomial_standard_error()
    {
        // 30 successes in 100 trials: p̂ = 0.3, se = √(p̂(1 − p̂)/n) by the delta method through the logit.
        var fit = Mle.Fit(p => 30 * AutoDiff.Ops.Log(p[0]) + 70 * AutoDiff.Ops.Log(1 - p[0]), [0.5],
            new MleOptions { ParameterNames = ["p"], Transforms = [ParameterTransform.UnitInterval], ObservationCount = 100 });

        Assert.Equal(0.3, fit.Estimates[0], 1e-12);
        Assert.Equal(Math.Sqrt(0.3 * 0.7 / 100), fit.StandardErrors[0], 1e-12);
    }
}
