using System.CommandLine;
using System.Globalization;
using EdgeLowRank.Compressor.Cli.Sweep;
using EdgeLowRank.Runtime.IO;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>
/// <c>elr plot LOG... -o curve.png</c>: the error-against-compression curves of a sweep (CUR and SVD
/// runs of one network at several λ or target ratios), as a PNG and as a table.
/// </summary>
internal static class PlotCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var logs = new Argument<FileInfo[]>("logs") { Description = "JSON logs of 'elr compress --log' runs of one network.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The PNG to write.", Required = true };
        var title = new Option<string>("--title") { Description = "The plot's title.", DefaultValueFactory = _ => "test error against compression" };
        var bar = new Option<double?>("--bar")
        {
            Description = "Also draw the line reference + POINTS percentage points (a goal such as 'reference + 0.2').",
            HelpName = "POINTS",
        };
        var command = new Command("plot",
            "Plot test error against storage ratio for CUR and SVD runs, from their JSON logs. Runs of one method at the same "
            + "target ratio or λ (several seeds) are drawn each, with the curve through their mean.") { logs, output, title, bar };
        command.SetAction(parse => Plot(parse.GetRequiredValue(logs), parse.GetRequiredValue(output), parse.GetRequiredValue(title), parse.GetValue(bar)));
        return command;
    }

    private static int Plot(FileInfo[] logs, FileInfo output, string title, double? bar)
    {
        if (!output.FullName.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"The plot is written as PNG: give an output name ending in .png, not '{output.Name}'.");
        if (bar is double given && !(given > 0 && given < 100))
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--bar is a number of percentage points above the reference error, above 0 and below 100, not {given}."));
        FilePaths.RequireOutput(output.ToString(), "-o");
        // The parser turns an empty argument into no FileInfo at all.
        foreach (FileInfo? log in logs) FilePaths.RequireInput(log?.ToString(), "LOG", "write one with 'elr compress ... --log FILE'");
        FilePaths.RequireDistinctOutputs(logs.Select(l => ("LOG", (string?)l.FullName)), [("-o", output.FullName)]);
        // The same run twice would be drawn as two points and listed as two rows of the table.
        if (logs.GroupBy(l => FilePaths.Resolve(l.FullName) ?? l.FullName).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new UsageException($"The log '{repeated.First()}' is given more than once; give each run once.");
        SweepPoint[] points = logs.Select(log => SweepLogReader.Read(log.FullName)).ToArray();
        // One curve per method and one reference line only make sense for one network: logs of two references drew a single
        // curve through both and a reference line at their average error.
        if (points.Select(p => p.Network).Distinct().ToArray() is { Length: > 1 } networks)
            throw new UsageException($"The logs come from different reference networks ({string.Join("; ", networks)}); plot the runs of one network at a time.");

        // Plain Markdown rather than a console table: the rows go into docs/RESULTS.md as they are.
        Console.WriteLine("| method | λ (last C step) | storage × | FLOPs × | test error | ranks | log |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|---|");
        foreach (SweepPoint p in points.OrderBy(p => p.Method, StringComparer.Ordinal).ThenBy(p => p.StorageRatio))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {p.Method} | {p.Lambda:G3} | {p.StorageRatio:F2} | {p.FlopsRatio:F2} | {p.Error * 100:F2}% | {p.RankText} | {Path.GetFileName(p.Log)} |"));

        IReadOnlyList<SweepGroup> groups = SweepGroup.Of(points);
        WriteMeans(groups);

        SweepPlot.Save(groups, title, bar, output.FullName);
        AnsiConsole.MarkupLine(Markup.Escape($"wrote {output.FullName}"));
        return 0;
    }

    /// <summary>Where a setting was run several times (seeds), the means the curve goes through, and the spread around them.</summary>
    private static void WriteMeans(IReadOnlyList<SweepGroup> groups)
    {
        if (groups.All(g => g.Points.Count == 1)) return;
        Console.WriteLine();
        Console.WriteLine("| method | setting | runs | mean storage × | mean test error | lowest – highest |");
        Console.WriteLine("|---|---|---:|---:|---:|---|");
        foreach (SweepGroup g in groups)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {g.Method} | {g.Setting ?? "—"} | {g.Points.Count} | {g.MeanStorageRatio:F2} | {g.MeanError * 100:F3}% | {g.Points.Min(p => p.Error) * 100:F2}% – {g.Points.Max(p => p.Error) * 100:F2}% |"));
    }
}
