using System;
using System.IO;
using System.Linq;
using AutoDiff.Likelihoods;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;

/// <summary>
/// The sample's plots, drawn with OxyPlot and written as SVG by its pure managed exporter, so they need no native
/// library, no display and no installed font.
/// </summary>
internal static class Figures
{
    private const double Width = 800, Height = 520;

    /// <summary>
    /// The notes' Figure 1 on real data: the Gaussian log-likelihood LL(μ, σ̂) as μ sweeps the range of
    /// <paramref name="y"/>, its peak at μ̂ = ȳ marked, above a histogram of the data with every datum as a dot.
    /// </summary>
    public static FileInfo GaussianLogLikelihood(double[] y, string name, string path)
    {
        var (muHat, sigmaHat) = GaussianLikelihood.Mle(y);
        double low = y.Min(), high = y.Max();
        var model = NewModel(
            $"Gaussian log-likelihood of μ, with σ at its MLE σ̂ = {sigmaHat:F2}",
            $"{name}, N = {y.Length}; below: the data, one dot each, and their histogram");
        model.Axes.Add(Axis(new LinearAxis { Minimum = low, Maximum = high }, AxisPosition.Bottom, $"μ, and {name}"));
        model.Axes.Add(Axis(new LinearAxis { Key = "ll", StartPosition = 0.38, EndPosition = 1, MaximumPadding = 0.08 }, AxisPosition.Left, "LL(μ, σ̂)"));
        model.Axes.Add(Axis(new LinearAxis { Key = "count", StartPosition = 0, EndPosition = 0.3, Minimum = -2 }, AxisPosition.Left, "count"));

        var curve = new LineSeries { YAxisKey = "ll", Color = OxyColors.Red, StrokeThickness = 2 };
        const int points = 400;
        for (int i = 0; i <= points; i++)
        {
            double mu = low + (high - low) * i / points;
            curve.Points.Add(new DataPoint(mu, GaussianLikelihood.LogLikelihood(mu, sigmaHat, y)));
        }

        model.Series.Add(curve);
        model.Annotations.Add(new LineAnnotation
        {
            Type = LineAnnotationType.Vertical,
            X = muHat,
            YAxisKey = "ll",
            Color = OxyColors.Black,
            LineStyle = LineStyle.Dash,
            Text = $"μ̂ = {muHat:F2}",
            TextOrientation = AnnotationTextOrientation.Horizontal,
            TextHorizontalAlignment = HorizontalAlignment.Left,
            TextPadding = 6,
        });

        const int bins = 30;
        double width = (high - low) / bins;
        var histogram = new HistogramSeries { YAxisKey = "count", FillColor = OxyColors.LightGray, StrokeColor = OxyColors.Gray, StrokeThickness = 0.5 };
        foreach (var bin in y.GroupBy(v => Math.Min((int)((v - low) / width), bins - 1)).OrderBy(g => g.Key))
        {
            double start = low + bin.Key * width;
            histogram.Items.Add(new HistogramItem(start, start + width, bin.Count() * width, bin.Count()));
        }

        model.Series.Add(histogram);
        var rug = new ScatterSeries { YAxisKey = "count", MarkerType = MarkerType.Circle, MarkerSize = 2, MarkerFill = OxyColors.Black };
        rug.Points.AddRange(y.Select(v => new ScatterPoint(v, -1)));
        model.Series.Add(rug);

        return Save(model, path);
    }

    /// <summary>The training loss per epoch of an iterative fit, on a logarithmic axis.</summary>
    public static FileInfo TrainingLoss(double[] loss, string title, string lossName, string path)
    {
        var model = NewModel(title, "full-batch gradient descent: one step per epoch; logarithmic loss axis");
        model.Axes.Add(Axis(new LinearAxis { Minimum = 0, Maximum = loss.Length - 1 }, AxisPosition.Bottom, "epoch"));
        model.Axes.Add(Axis(new LogarithmicAxis(), AxisPosition.Left, lossName));
        var series = new LineSeries { Color = OxyColors.SteelBlue, StrokeThickness = 2 };
        series.Points.AddRange(loss.Select((value, epoch) => new DataPoint(epoch, value)));
        model.Series.Add(series);

        return Save(model, path);
    }

    private static PlotModel NewModel(string title, string subtitle) =>
        new() { Title = title, Subtitle = subtitle, Background = OxyColors.White, SubtitleFontSize = 12 };

    private static Axis Axis(Axis axis, AxisPosition position, string title)
    {
        axis.Position = position;
        axis.Title = title;
        axis.AxisTitleDistance = 8;
        axis.MajorGridlineStyle = LineStyle.Dot;
        axis.MajorGridlineColor = OxyColors.LightGray;
        return axis;
    }

    /// <summary>Writes <paramref name="model"/> as SVG to <paramref name="path"/> and checks the file is there and not empty.</summary>
    private static FileInfo Save(PlotModel model, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var stream = File.Create(path))
        {
            new SvgExporter { Width = Width, Height = Height, UseVerticalTextAlignmentWorkaround = true }.Export(model, stream);
        }

        var file = new FileInfo(path);
        if (!file.Exists || file.Length == 0)
        {
            throw new IOException($"The plot {path} was not written.");
        }

        return file;
    }
}
