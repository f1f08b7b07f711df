using System.Globalization;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Cli.Sweep;

/// <summary>
/// Test error against storage ratio, one curve per method and setup through the means of its runs at each setting (every
/// run drawn too when any setting has several), the runs that fell short of their goals marked apart, with the reference
/// error and, optionally, a goal's bar as lines.
/// </summary>
internal static class SweepPlot
{
    /// <summary>
    /// Draws the curves to a PNG at <paramref name="path"/>, written to a temporary file first so a failed run leaves no
    /// half-written image. <paramref name="barPoints"/>, when given, draws the line reference + that many percentage points.
    /// </summary>
    public static void Save(IReadOnlyList<SweepCurve> curves, string title, double? barPoints, string path)
    {
        var plot = new ScottPlot.Plot();
        for (int i = 0; i < curves.Count; i++)
        {
            SweepCurve curve = curves[i];
            string name = curve.Method.ToUpperInvariant() + (curve.Variant is null ? "" : ", " + curve.Variant);
            ScottPlot.Color color = plot.Add.Palette.GetColor(i);
            SweepGroup[] means = curve.Groups.Where(g => g.Counted.Count > 0).ToArray();
            bool seeds = means.Any(g => g.Counted.Count > 1);
            if (means.Length > 0)
            {
                var line = plot.Add.Scatter(means.Select(g => g.MeanStorageRatio!.Value).ToArray(), means.Select(g => g.MeanError!.Value * 100).ToArray(), color);
                line.MarkerSize = 9;
                line.LineWidth = 2;
                line.LegendText = name + (seeds ? " (mean of the runs)" : "");
            }
            // The seeds themselves, in the curve's colour: their spread is what the mean is read against.
            if (seeds) Points(plot, means.SelectMany(g => g.Counted).ToArray(), color, ScottPlot.MarkerShape.OpenCircle, 6, name + ", each run");
            // Apart from the seeds' circles: a run that did not converge or missed its target is no seed of the mean.
            SweepPoint[] fellShort = curve.Groups.SelectMany(g => g.Points).Where(p => p.FellShort).ToArray();
            if (fellShort.Length > 0) Points(plot, fellShort, color, ScottPlot.MarkerShape.OpenDiamond, 11, name + ", fell short (not in the mean)");
        }
        // The runs of one plot share their reference network; its error is the bar every point is judged against.
        double reference = curves[0].Groups[0].Points[0].ReferenceError * 100; // one network per plot (PlotCommand checks)
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
        plot.XLabel("storage ratio (dense parameters / compressed parameters, biases included)");
        plot.YLabel("test error (%)");
        // Outside the data area: inside, the legend box hid the points under it (a CUR run at 9.95×, 4.75% in one user's plot).
        plot.ShowLegend(ScottPlot.Edge.Right);

        // Wider for a long legend: curves split by their settings ("SVD, --steps 2, --epochs-per-step 1, fine-tune 0 epochs,
        // fell short (not in the mean)") took 550 of the 1,100 pixels and left the data a narrow strip. About 7 pixels a
        // character at the legend's font; 850 for the data area, the axes and the margins.
        int longest = plot.GetPlottables().Select(p => p.LegendItems.Select(i => i.LabelText.Length).DefaultIfEmpty(0).Max()).DefaultIfEmpty(0).Max();
        AtomicFile.Write(path, plot.GetImageBytes(Math.Max(1100, 850 + 7 * longest), 560, ScottPlot.ImageFormat.Png));
    }

    private static void Points(ScottPlot.Plot plot, SweepPoint[] runs, ScottPlot.Color color, ScottPlot.MarkerShape shape, float size, string legend)
    {
        var points = plot.Add.ScatterPoints(runs.Select(p => p.StorageRatio).ToArray(), runs.Select(p => p.Error * 100).ToArray(), color);
        points.MarkerShape = shape;
        points.MarkerSize = size;
        points.LegendText = legend;
    }
}
