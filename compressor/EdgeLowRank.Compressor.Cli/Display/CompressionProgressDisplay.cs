using EdgeLowRank.Compressor.Compression;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>
/// A live table with one row per LC step (μ, λ, loss, test error of the Θ network, rank per layer,
/// storage and FLOPs ratios, ‖W−Θ‖², seconds) that grows while the run goes on.
/// </summary>
internal static class CompressionProgressDisplay
{
    /// <summary>Runs <paramref name="run"/>, showing each step it reports.</summary>
    public static LcResult Run(IReadOnlyList<CompressibleLayer> layers, Func<IProgress<LcStepReport>, LcResult> run)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (string column in new[] { "step", "μ", "λ", "loss", "test error" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (CompressibleLayer layer in layers)
            table.AddColumn(new TableColumn($"r {layer.Layer.Name}").RightAligned());
        foreach (string column in new[] { "storage ×", "FLOPs ×", "‖W−Θ‖²", "s" })
            table.AddColumn(new TableColumn(column).RightAligned());
        LcResult? result = null;
        AnsiConsole.Live(table).Start(context =>
        {
            var progress = new SynchronousProgress(report =>
            {
                var cells = new List<string>
                {
                    report.Step < 0 ? "DC" : report.Step.ToString(), report.Mu.ToString("G3"), report.Lambda.ToString("G3"),
                    double.IsNaN(report.Loss) ? "–" : report.Loss.ToString("F4"), report.TestError.ToString("P2"),
                };
                cells.AddRange(report.Ranks.Select(r => r < 0 ? "dense" : r.ToString()));
                cells.AddRange([report.StorageRatio.ToString("F2"), report.FlopsRatio.ToString("F2"), report.ConstraintGap.ToString("G3"), report.Seconds.ToString("F1")]);
                table.AddRow(cells.Select(c => new Text(c)).ToArray());
                context.Refresh();
            });
            result = run(progress);
        });
        return result!;
    }

    /// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to the thread pool and reorder rows).</summary>
    private sealed class SynchronousProgress(Action<LcStepReport> report) : IProgress<LcStepReport>
    {
        public void Report(LcStepReport value) => report(value);
    }
}
