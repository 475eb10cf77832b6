using System;
using System.Linq;
using AutoDiff;
using PackageConsumer;
using static AutoDiff.Ops;

// A project that references the AutoDiff package by version, declares LogNormal itself, and differentiates it.
double[] y = [1.2, 0.7, 2.3, 1.9, 1.1];
var (value, gradient) = AD.ValueAndGrad(p => Sum(y.Select(yi => Densities.LogNormal(yi, p[0], p[1]))), [1.0, 0.8]);

// The same gradient in closed form: Σ(y − μ)/σ², −n/σ + Σ(y − μ)²/σ³.
double mu = 1.0, sigma = 0.8;
double dMu = y.Sum(v => v - mu) / (sigma * sigma);
double dSigma = -y.Length / sigma + y.Sum(v => (v - mu) * (v - mu)) / (sigma * sigma * sigma);
Console.WriteLine($"LL = {value:F10}");
Console.WriteLine($"∇LL by AD          = ({gradient[0]:F10}, {gradient[1]:F10})");
Console.WriteLine($"∇LL by closed form = ({dMu:F10}, {dSigma:F10})");

// The library's own ops come with the package too, and the generated overloads record on the same tape.
var report = GradCheck.Compare(p => Densities.LogNormal(p[0], p[1], Exp(p[2])), [0.3, -0.2, 0.1]);
Console.WriteLine($"GradCheck of the user's function: {report}");

bool ok = Math.Abs(gradient[0] - dMu) < 1e-12 * Math.Abs(dMu) && Math.Abs(gradient[1] - dSigma) < 1e-12 * Math.Abs(dSigma)
    && report.Passes(1e-7, 1e-9);
Console.WriteLine(ok ? "package consumer: OK" : "package consumer: MISMATCH");
return ok ? 0 : 1;
