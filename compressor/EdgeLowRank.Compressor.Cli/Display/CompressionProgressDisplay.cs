using EdgeLowRank.Compressor.Compression;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>
/// A live table with one row per LC step (μ, λ, loss, validation error (with --validation) and test error of the Θ network, rank per layer,
/// storage and FLOPs ratios, ‖W−Θ‖², seconds) that grows while the run goes on.
/// </summary>
internal static class CompressionProgressDisplay
{
    /// <summary>Runs <paramref name="run"/>, showing each step it reports; <paramref name="withValidation"/> adds the validation error column.</summary>
    public static LcResult Run(IReadOnlyList<CompressibleLayer> layers, bool withValidation, Func<IProgress<LcStepReport>, LcResult> run)
    {
        string[] columns = ["step", "μ", "λ", "loss", .. withValidation ? ["validation error"] : Array.Empty<string>(), "test error",
            .. layers.Select(l => $"r {l.Layer.Name}"), "storage ×", "FLOPs ×", "‖W−Θ‖²", "s"];
        // Redirected to a file, a live table is redrawn into an 80-column mess: write one line per step instead.
        return Console.IsOutputRedirected ? RunWithLines(columns, withValidation, run) : RunWithLiveTable(columns, withValidation, run);
    }

    private static LcResult RunWithLiveTable(string[] columns, bool withValidation, Func<IProgress<LcStepReport>, LcResult> run)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (string column in columns) table.AddColumn(new TableColumn(column).RightAligned());
        LcResult? result = null;
        AnsiConsole.Live(table).Start(context =>
        {
            result = run(new SynchronousProgress(report =>
            {
                table.AddRow(Cells(report, withValidation).Select(c => new Text(c)).ToArray());
                context.Refresh();
            }));
        });
        return result!;
    }

    private static LcResult RunWithLines(string[] columns, bool withValidation, Func<IProgress<LcStepReport>, LcResult> run)
    {
        Console.WriteLine(string.Join('\t', columns));
        return run(new SynchronousProgress(report => Console.WriteLine(string.Join('\t', Cells(report, withValidation)))));
    }

    private static IEnumerable<string> Cells(LcStepReport report, bool withValidation) =>
    [
        report.Step < 0 ? "DC" : report.Step.ToString(), report.Mu.ToString("G3"), report.Lambda.ToString("G3"),
        double.IsNaN(report.Loss) ? "–" : report.Loss.ToString("F4"),
        .. withValidation ? [report.ValidationError?.ToString("P2") ?? "–"] : Array.Empty<string>(), report.TestError.ToString("P2"),
        .. report.Ranks.Select(r => r < 0 ? "dense" : r.ToString()),
        report.StorageRatio.ToString("F2"), report.FlopsRatio.ToString("F2"), report.ConstraintGap.ToString("G3"), report.Seconds.ToString("F1"),
    ];

    /// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to the thread pool and reorder rows).</summary>
    private sealed class SynchronousProgress(Action<LcStepReport> report) : IProgress<LcStepReport>
    {
        public void Report(LcStepReport value) => report(value);
    }
}
