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
            + "target ratio or λ (several seeds) are drawn each, with the curve through their mean; runs that differ in other settings "
            + "are curves of their own, and runs whose log records shortfalls are marked and left out of the mean.") { logs, output, title, bar };
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

        IReadOnlyList<SweepCurve> curves = SweepCurve.Of(points);
        SweepTables.WritePoints(curves, Console.Out);
        SweepTables.WriteMeans(curves, Console.Out);
        WriteNotes(curves);

        SweepPlot.Save(curves, title, bar, output.FullName);
        AnsiConsole.MarkupLine(Markup.Escape($"wrote {output.FullName}"));
        return 0;
    }

    /// <summary>
    /// On stderr, what the plot does not join as a user would expect it to: a method's runs split into curves by their
    /// settings, and each run that fell short of its goals, left out of its curve's mean. Either changes what the curves say,
    /// so neither is left to a legend alone.
    /// </summary>
    private static void WriteNotes(IReadOnlyList<SweepCurve> curves)
    {
        foreach (IGrouping<string, SweepCurve> method in curves.GroupBy(c => c.Method).Where(m => m.Count() > 1))
            Console.Error.WriteLine($"elr: note: the {method.Key} runs differ in {string.Join(", ", method.First().SplitBy)}, not only in λ, target ratio or seed, "
                + $"so they are drawn as {method.Count()} curves: " + string.Join("; ", method.Select(c => $"'{c.Name}' ({Logs(c.Groups.SelectMany(g => g.Points))})")) + ".");
        // Across methods: CUR's curve against SVD's compares the methods only when their runs share the rest of the setup
        // (a CUR sweep of 5-epoch L steps beside an SVD one of 1-epoch steps shows the schedules apart as much as the methods).
        SweepCurve[] alone = curves.GroupBy(c => c.Method).Where(m => m.Count() == 1).Select(m => m.Single()).ToArray();
        for (int a = 0; a < alone.Length; a++)
        for (int b = a + 1; b < alone.Length; b++)
            if (SetupDifference(alone[a], alone[b]) is { Length: > 0 } differing)
                Console.Error.WriteLine($"elr: note: the {alone[a].Method} and {alone[b].Method} curves come from runs that differ in {string.Join(", ", differing)} "
                    + "besides the method, so the gap between them is not the methods' alone.");
        foreach (SweepCurve curve in curves)
        foreach (SweepPoint p in curve.Groups.SelectMany(g => g.Points).Where(p => p.FellShort))
            Console.Error.WriteLine($"elr: warning: {Path.GetFileName(p.Log)}: {p.ShortfallText}; drawn as a hollow diamond and left out of the mean the '{curve.Name}' curve goes through.");
        foreach (SweepCurve curve in curves)
        foreach (SweepPoint p in curve.Groups.SelectMany(g => g.Points).Where(p => !p.FellShort && p.Shortfalls.Count > 0))
            Console.Error.WriteLine($"elr: note: {Path.GetFileName(p.Log)}: {p.ShortfallText}; a point of the '{curve.Name}' curve all the same, in its mean.");
    }

    /// <summary>The settings in which two single-curve methods' runs differ, the method's own ones left out (CUR's
    /// selection, oversampling and core, which an SVD run records as none); empty when either records none.</summary>
    private static string[] SetupDifference(SweepCurve first, SweepCurve second)
    {
        string[] methodOwn = ["selection", "oversampling", "curCore"];
        IReadOnlyDictionary<string, string>? x = first.Groups.SelectMany(g => g.Points).Select(p => p.Setup).FirstOrDefault(s => s is not null);
        IReadOnlyDictionary<string, string>? y = second.Groups.SelectMany(g => g.Points).Select(p => p.Setup).FirstOrDefault(s => s is not null);
        if (x is null || y is null) return [];
        return [.. x.Keys.Union(y.Keys).Where(k => !methodOwn.Contains(k) && x.GetValueOrDefault(k) != y.GetValueOrDefault(k)).Order(StringComparer.Ordinal).Select(SweepCurve.Named)];
    }

    private static string Logs(IEnumerable<SweepPoint> points) => string.Join(", ", points.Select(p => Path.GetFileName(p.Log)));
}
