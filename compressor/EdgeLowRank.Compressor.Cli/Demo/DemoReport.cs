using System.Globalization;
using EdgeLowRank.Runtime.IO;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Demo;

/// <summary>One model's line in the demo's comparison.</summary>
internal sealed record DemoRow(string Name, double Accuracy, ModelMeasurement Measurement);

/// <summary>The demo's side-by-side table and its plot.</summary>
internal static class DemoReport
{
    public static void Write(IReadOnlyList<DemoRow> rows, string plotPath)
    {
        DemoRow dense = rows[0];
        var table = new Table().AddColumn("").AddColumns(rows.Select(r => new TableColumn(r.Name).RightAligned()).ToArray());
        Add(table, rows, "test accuracy", r => $"{r.Accuracy:P2}");
        Add(table, rows, "parameters", r => $"{r.Measurement.Parameters:N0}{Versus(dense.Measurement.Parameters, r.Measurement.Parameters)}");
        Add(table, rows, "file bytes", r => $"{r.Measurement.FileBytes:N0}{Versus(dense.Measurement.FileBytes, r.Measurement.FileBytes)}");
        Add(table, rows, "MACs / sample", r => $"{r.Measurement.MultiplyAccumulates:N0}{Versus(dense.Measurement.MultiplyAccumulates, r.Measurement.MultiplyAccumulates)}");
        Add(table, rows, "latency p50 (batch 1)", r => $"{r.Measurement.MedianSeconds * 1e6:F2} µs{Versus(dense.Measurement.MedianSeconds, r.Measurement.MedianSeconds)}");
        Add(table, rows, "latency p99 (batch 1)", r => $"{r.Measurement.P99Seconds * 1e6:F2} µs");
        Add(table, rows, "inferences / s", r => $"{r.Measurement.InferencesPerSecond:N0}");
        Add(table, rows, "memory (file + packed weights + arena)", r => $"{r.Measurement.MemoryBytes / 1024.0:N0} KiB");
        AnsiConsole.Write(table);
        Plot(rows, plotPath);
    }

    private static void Add(Table table, IReadOnlyList<DemoRow> rows, string what, Func<DemoRow, string> cell) =>
        table.AddRow([what, .. rows.Select(r => Markup.Escape(cell(r)))]);

    private static string Versus(double dense, double value) => value == dense ? "" : $" ({dense / value:F1}× less)";

    /// <summary>Test error against batch-1 latency, one point per model: down and to the left is better.</summary>
    private static void Plot(IReadOnlyList<DemoRow> rows, string path)
    {
        var plot = new ScottPlot.Plot();
        foreach (DemoRow row in rows)
        {
            double x = row.Measurement.MedianSeconds * 1e6, y = (1 - row.Accuracy) * 100;
            var point = plot.Add.Scatter(new[] { x }, new[] { y });
            point.MarkerSize = 14;
            point.LegendText = string.Create(CultureInfo.InvariantCulture, $"{row.Name}: {row.Measurement.FileBytes:N0} bytes");
        }
        plot.Title("LeNet-300-100 on MNIST: dense, low-rank and int8, as the runtime runs them");
        plot.XLabel("batch-1 latency, median (µs)");
        plot.YLabel("test error (%)");
        // Latency from zero, so the distance between the points reads as the speed-up.
        double slowest = rows.Max(r => r.Measurement.MedianSeconds) * 1e6;
        double[] errors = rows.Select(r => (1 - r.Accuracy) * 100).ToArray();
        double spread = Math.Max(errors.Max() - errors.Min(), 0.1);
        plot.Axes.SetLimits(0, slowest * 1.2, errors.Min() - spread * 0.5, errors.Max() + spread * 0.5);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        AtomicFile.Write(path, plot.GetImageBytes(900, 520, ScottPlot.ImageFormat.Png));
    }
}
