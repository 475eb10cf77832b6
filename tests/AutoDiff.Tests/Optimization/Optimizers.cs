using System;
using AutoDiff.Optimization;
using Xunit;

namespace AutoDiff.Tests.Optimization;

/// <summary>The three optimizers behind one call, so behaviour every method must share is one theory.</summary>
internal static class Optimizers
{
    public static TheoryData<string> Methods => ["Newton", "L-BFGS", "gradient ascent"];

    public static OptimizationResult Maximize(string method, (ObjectiveFunction F, HessianFunction H) problem, double[] start,
        OptimizerOptions? options = null, double learningRate = 1e-3) => method switch
        {
            "Newton" => Newton.Maximize(problem.F, problem.H, start, options),
            "L-BFGS" => Lbfgs.Maximize(problem.F, start, options),
            "gradient ascent" => GradientAscent.Maximize(problem.F, start, learningRate, options),
            _ => throw new ArgumentException(method, nameof(method)),
        };
}
