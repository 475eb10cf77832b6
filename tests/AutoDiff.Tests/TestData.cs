using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using AutoDiff.Samples.Shared;

namespace AutoDiff.Tests;

/// <summary>The shipped data sets and statsmodels' reference fits (samples/data, copied next to the test assembly).</summary>
internal static class TestData
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "data");

    public static Csv Diabetes => Csv.Read(Path.Combine(Folder, "diabetes.csv"));

    public static Csv BreastCancer => Csv.Read(Path.Combine(Folder, "breast_cancer.csv"));

    public static JsonElement Reference =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "reference.json"))).RootElement;

    public static double[] Doubles(this JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    /// <summary>Breast-cancer design as in reference.json: intercept, then the five named columns standardized (ddof = 0).</summary>
    public static (double[][] X, double[] Y) BreastCancerLogit()
    {
        var csv = BreastCancer;
        string[] columns = ["mean_radius", "mean_texture", "mean_smoothness", "mean_concavity", "mean_symmetry"];
        return (csv.Design(columns, intercept: true, standardize: true), csv.Column("malignant_is_0"));
    }

    /// <summary>Diabetes design as in reference.json: intercept, then the ten raw features.</summary>
    public static (double[][] X, double[] Y) DiabetesOls()
    {
        var csv = Diabetes;
        return (csv.Design(csv.Columns[..^1], intercept: true, standardize: false), csv.Column("progression"));
    }

    /// <summary>max |a − e| / max(|e|, floor) over the entries.</summary>
    public static double MaxRelativeError(double[] actual, double[] expected, double floor = 1e-300)
    {
        if (actual.Length != expected.Length)
        {
            throw new ArgumentException($"length {actual.Length} vs {expected.Length}");
        }

        return actual.Zip(expected, (a, e) => Math.Abs(a - e) / Math.Max(Math.Abs(e), floor)).DefaultIfEmpty(0).Max();
    }
}
