using System.Globalization;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Cli.Sweep;

/// <summary>
/// Test error against storage ratio, one curve per factorization method through the means of its runs at each setting
/// (every run of the method drawn too when any setting has several), with the reference error and, optionally, a goal's
/// bar as lines.
/// </summary>
internal static class SweepPlot
{
    /// <summary>
    /// Draws the curves to a PNG at <paramref name="path"/>, written to a temporary file first so a failed run leaves no
    /// half-written image. <paramref name="barPoints"/>, when given, draws the line reference + that many percentage points.
    /// </summary>
    public static void Save(IReadOnlyList<SweepGroup> groups, string title, double? barPoints, string path)
    {
        var plot = new ScottPlot.Plot();
        foreach (IGrouping<string, SweepGroup> method in groups.GroupBy(g => g.Method))
        {
            SweepGroup[] curve = method.ToArray();
            var line = plot.Add.Scatter(curve.Select(g => g.MeanStorageRatio).ToArray(), curve.Select(g => g.MeanError * 100).ToArray());
            line.MarkerSize = 9;
            line.LineWidth = 2;
            line.LegendText = method.Key.ToUpperInvariant() + (curve.Any(g => g.Points.Count > 1) ? " (mean of the runs)" : "");
            if (curve.All(g => g.Points.Count == 1)) continue;
            // The seeds themselves, in the curve's colour: their spread is what the mean is read against.
            SweepPoint[] runs = curve.SelectMany(g => g.Points).ToArray();
            var scatter = plot.Add.ScatterPoints(runs.Select(p => p.StorageRatio).ToArray(), runs.Select(p => p.Error * 100).ToArray(), line.Color);
            scatter.MarkerShape = ScottPlot.MarkerShape.OpenCircle;
            scatter.MarkerSize = 6;
            scatter.LegendText = method.Key.ToUpperInvariant() + ", each run";
        }
        // The runs of one plot share their reference network; its error is the bar every point is judged against.
        double reference = groups[0].Points[0].ReferenceError * 100; // one network per plot (PlotCommand checks)
        var referenceLine = plot.Add.HorizontalLine(reference);
        referenceLine.LinePattern = ScottPlot.LinePattern.Dashed;
        referenceLine.LegendText = string.Create(CultureInfo.InvariantCulture, $"reference (dense) {reference:F2}%");
        if (barPoints is double bar)
        {
            var barLine = plot.Add.HorizontalLine(reference + bar);
            barLine.LinePattern = ScottPlot.LinePattern.Dotted;
            barLine.LegendText = string.Create(CultureInfo.InvariantCulture, $"reference + {bar:0.###} points = {reference + bar:F2}%");
        }
        plot.Title(title);
        plot.XLabel("storage ratio (dense parameters / compressed parameters)");
        plot.YLabel("test error (%)");
        // Outside the data area: inside, the legend box hid the points under it (a CUR run at 9.95×, 4.75% in one user's plot).
        plot.ShowLegend(ScottPlot.Edge.Right);

        AtomicFile.Write(path, plot.GetImageBytes(1100, 560, ScottPlot.ImageFormat.Png));
    }
}
