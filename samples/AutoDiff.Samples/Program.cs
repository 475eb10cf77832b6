using System;
using System.Globalization;
using System.IO;
using AutoDiff.Samples.Shared;

// The lecture notes' models on the shipped data sets: AD gradients against the notes' closed forms, the three models
// fitted by maximum likelihood (summaries checked against statsmodels), the notes' gradient ascent on the logistic
// model, the one-hidden-layer network on iris, and plots of the notes' Figure 1 and of the network's training loss.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string data = Path.Combine(AppContext.BaseDirectory, "data");
string plots = Path.Combine(AppContext.BaseDirectory, "plots");
var diabetes = Csv.Read(Path.Combine(data, "diabetes.csv"));
var cancer = Csv.Read(Path.Combine(data, "breast_cancer.csv"));

GradientChecks.Show(diabetes, cancer);
MaximumLikelihoodFits.Run(data, diabetes, cancer);
LogisticGradientAscent.Run(cancer);
var irisLoss = IrisNetwork.Train(data);

FileInfo[] written =
[
    Figures.GaussianLogLikelihood(diabetes.Column("progression"), "diabetes progression", Path.Combine(plots, "gaussian-log-likelihood.svg")),
    Figures.TrainingLoss(irisLoss, "The notes' network on iris: training loss", "mean cross-entropy J/N", Path.Combine(plots, "iris-training-loss.svg")),
];
Console.WriteLine();
Console.WriteLine("Plots (SVG, each checked to be written and not empty):");
foreach (var file in written)
{
    Console.WriteLine($"  {file.FullName}  ({file.Length / 1024.0:F0} KiB)");
}
