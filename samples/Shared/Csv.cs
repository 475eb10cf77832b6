using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace AutoDiff.Samples.Shared;

/// <summary>A numeric CSV file with a header row, as the shipped data sets are (features first, target last).</summary>
internal sealed class Csv
{
    private Csv(string[] columns, double[][] rows)
    {
        Columns = columns;
        Rows = rows;
    }

    /// <summary>The header names.</summary>
    public string[] Columns { get; }

    /// <summary>The rows, parsed as invariant-culture doubles.</summary>
    public double[][] Rows { get; }

    /// <summary>Reads <paramref name="path"/>; every cell must be a number.</summary>
    public static Csv Read(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        if (lines.Length == 0)
        {
            throw new InvalidDataException($"{path}: empty file, expected a header row.");
        }

        var columns = lines[0].Split(',');
        var rows = new double[lines.Length - 1][];
        for (int i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            if (cells.Length != columns.Length)
            {
                throw new InvalidDataException($"{path}, line {i + 1}: {cells.Length} cells, but the header has {columns.Length}.");
            }

            rows[i - 1] = cells.Select(c => double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        }

        return new Csv(columns, rows);
    }

    /// <summary>The values of column <paramref name="name"/>.</summary>
    public double[] Column(string name)
    {
        int j = Array.IndexOf(Columns, name);
        if (j < 0)
        {
            throw new ArgumentException($"No column '{name}'; the columns are {string.Join(", ", Columns)}.", nameof(name));
        }

        return Rows.Select(r => r[j]).ToArray();
    }

    /// <summary>
    /// A design matrix: a leading column of ones (the intercept) when <paramref name="intercept"/>, then the named columns,
    /// each standardised to mean 0 and population standard deviation 1 when <paramref name="standardize"/>.
    /// </summary>
    public double[][] Design(string[] names, bool intercept, bool standardize)
    {
        var columns = names.Select(Column).ToArray();
        if (standardize)
        {
            columns = columns.Select(Standardize).ToArray();
        }

        int offset = intercept ? 1 : 0;
        return Enumerable.Range(0, Rows.Length).Select(i =>
        {
            var row = new double[columns.Length + offset];
            if (intercept)
            {
                row[0] = 1.0;
            }

            for (int j = 0; j < columns.Length; j++)
            {
                row[j + offset] = columns[j][i];
            }

            return row;
        }).ToArray();
    }

    private static double[] Standardize(double[] x)
    {
        double mean = x.Average();
        double sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Length);
        return x.Select(v => (v - mean) / sd).ToArray();
    }
}
