using EdgeLowRank.Compressor.Compression;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>
/// A live table with one row per LC step (μ, λ, loss, validation error (with --validation) and test error of the Θ network, rank per layer,
/// storage and FLOPs ratios, and with the latency criterion the predicted latency ratio, ‖W−Θ‖², seconds) that grows while the run goes on.
/// </summary>
internal static class CompressionProgressDisplay
{
    /// <summary>The note under the table when the last step's λ is marked <see cref="CeilingMark"/>: the result is that step's.</summary>
    private const string CeilingNote = "* λ at its ceiling: no λ met the budgets at this step, because the rank guard (--max-relative-error), the "
        + "least saving per layer (--min-rank-saving) or the layers kept dense forbid the ranks they need; the step takes the cheapest ranks "
        + "allowed, so it can fall short of the target or the FLOPs floor and show a high error. As W nears low rank, later steps usually "
        + "meet them (docs/ALGORITHM.md, the CUR pitfalls).";

    /// <summary>The note when only earlier steps are marked, as in most runs to a target ratio: the DC step and the first LC
    /// steps project a W far from low rank, which the rank guard keeps from the ranks the target needs. Those rows' high
    /// errors are passing; the full note on every such run read as a problem.</summary>
    private const string EarlyCeilingNote = "* λ at its ceiling: no λ met the budgets at this step, as is usual while W is far from low rank (the rank guard, "
        + "--max-relative-error, forbids the ranks they need, so the step takes the cheapest allowed, with a high error); the last step met them "
        + "(docs/ALGORITHM.md, the CUR pitfalls).";

    private const string CeilingMark = "*";

    /// <summary>Runs <paramref name="run"/>, showing each step it reports; <paramref name="withValidation"/> adds the validation error column;
    /// <paramref name="lambda"/> says where λ comes from: a target ratio's search marks the steps it left at its ceiling, and
    /// a run whose every rank is fixed has no λ column (its λ, 0, prices nothing);
    /// <paramref name="latencyRatio"/> (the latency criterion) adds the predicted latency ratio of each step's ranks, the
    /// quantity --target-ratio then sets, which neither the storage nor the FLOPs column shows.</summary>
    public static LcResult Run(IReadOnlyList<CompressibleLayer> layers, bool withValidation, LambdaSource lambda, Func<IReadOnlyList<int>, double>? latencyRatio,
        Func<IProgress<LcStepReport>, LcResult> run)
    {
        bool AtCeiling(LcStepReport report) => lambda == LambdaSource.Searched && LcOptions.IsLambdaCeiling(report.Lambda);
        string[] columns = ["step", "μ", .. lambda == LambdaSource.None ? Array.Empty<string>() : ["λ"], "loss", .. withValidation ? ["validation error"] : Array.Empty<string>(), "test error",
            .. layers.Select(l => $"r {l.Layer.Name}"), "storage ×", "FLOPs ×", .. latencyRatio is null ? Array.Empty<string>() : ["latency ×"], "‖W−Θ‖²", "s"];
        // Redirected to a file, a live table is redrawn into an 80-column mess: write one line per step instead.
        Func<LcStepReport, IEnumerable<string>> cells = report => Cells(report, lambda != LambdaSource.None, withValidation, AtCeiling(report), latencyRatio);
        // So is a terminal that cannot move the cursor (TERM=dumb): there the live table printed itself whole after each step.
        LcResult result = Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Ansi
            ? RunWithLines(columns, cells, run) : RunWithLiveTable(columns, cells, run);
        // A row at the ceiling (high error, ratio short of the target) looks like a failure unless it is explained where it
        // shows. Every step is shown, a resumed run's checkpointed ones too (LearningCompression.Run reports them first).
        if (result.Steps.Any(AtCeiling)) Console.WriteLine(AtCeiling(result.Steps[^1]) ? CeilingNote : EarlyCeilingNote);
        return result;
    }

    private static LcResult RunWithLiveTable(string[] columns, Func<LcStepReport, IEnumerable<string>> cells, Func<IProgress<LcStepReport>, LcResult> run)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (string column in columns) table.AddColumn(new TableColumn(column).RightAligned());
        LcResult? result = null;
        AnsiConsole.Live(table).Start(context =>
        {
            result = run(new SynchronousProgress(report =>
            {
                table.AddRow(cells(report).Select(c => new Text(c)).ToArray());
                context.Refresh();
            }));
        });
        return result!;
    }

    private static LcResult RunWithLines(string[] columns, Func<LcStepReport, IEnumerable<string>> cells, Func<IProgress<LcStepReport>, LcResult> run)
    {
        Console.WriteLine(string.Join('\t', columns));
        return run(new SynchronousProgress(report => Console.WriteLine(string.Join('\t', cells(report)))));
    }

    private static IEnumerable<string> Cells(LcStepReport report, bool withLambda, bool withValidation, bool atCeiling, Func<IReadOnlyList<int>, double>? latencyRatio) =>
    [
        report.Step < 0 ? "DC" : report.Step.ToString(), report.Mu.ToString("G3"),
        .. withLambda ? [report.Lambda.ToString("G3") + (atCeiling ? CeilingMark : "")] : Array.Empty<string>(),
        double.IsNaN(report.Loss) ? "–" : report.Loss.ToString("F4"),
        .. withValidation ? [report.ValidationError?.ToString("P2") ?? "–"] : Array.Empty<string>(), report.TestError.ToString("P2"),
        .. report.Ranks.Select(r => r < 0 ? "dense" : r.ToString()),
        report.StorageRatio.ToString("F2"), report.FlopsRatio.ToString("F2"),
        .. latencyRatio is null ? Array.Empty<string>() : [latencyRatio(report.Ranks).ToString("F2")],
        report.ConstraintGap.ToString("G3"), report.Seconds.ToString("F1"),
    ];

    /// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to the thread pool and reorder rows).</summary>
    private sealed class SynchronousProgress(Action<LcStepReport> report) : IProgress<LcStepReport>
    {
        public void Report(LcStepReport value) => report(value);
    }
}
