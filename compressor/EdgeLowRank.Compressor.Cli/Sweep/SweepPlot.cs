using System.Globalization;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Cli.Sweep;

/// <summary>Test error against storage ratio, one curve per factorization method, with the reference error as a line.</summary>
internal static class SweepPlot
{
    /// <summary>Draws the curves to a PNG at <paramref name="path"/>, written to a temporary file first so a failed run leaves no half-written image.</summary>
    public static void Save(IReadOnlyList<SweepPoint> points, string title, string path)
    {
        var plot = new ScottPlot.Plot();
        foreach (IGrouping<string, SweepPoint> method in points.GroupBy(p => p.Method).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            SweepPoint[] curve = method.OrderBy(p => p.StorageRatio).ToArray();
            var line = plot.Add.Scatter(curve.Select(p => p.StorageRatio).ToArray(), curve.Select(p => p.Error * 100).ToArray());
            line.MarkerSize = 9;
            line.LineWidth = 2;
            line.LegendText = method.Key.ToUpperInvariant();
        }
        // The runs of one sweep share their reference network; its error is the bar every point is judged against.
        double reference = points[0].ReferenceError * 100; // one network per plot (PlotCommand checks)
        var referenceLine = plot.Add.HorizontalLine(reference);
        referenceLine.LinePattern = ScottPlot.LinePattern.Dashed;
        referenceLine.LegendText = string.Create(CultureInfo.InvariantCulture, $"reference (dense) {reference:F2}%");
        plot.Title(title);
        plot.XLabel("storage ratio (dense parameters / compressed parameters)");
        plot.YLabel("test error (%)");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);

        AtomicFile.Write(path, plot.GetImageBytes(900, 560, ScottPlot.ImageFormat.Png));
    }
}
