using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EdgeLowRank.Compressor.Data;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>
/// <c>elr data verify [NAME|all]</c>: hashes every cached file of the catalog's data sets against its pinned SHA-256 and
/// says of each whether it is ok, changed or missing. A load checks only the files it reads, and <c>elr data list</c> only
/// sizes; this checks a whole cache at once, for a pipeline before a batch of runs or after copying a cache between machines.
/// </summary>
internal static class DataVerifyCommand
{
    /// <summary>The <c>verify</c> subcommand; <paramref name="name"/> is its NAME argument, which also takes "all" (the default).</summary>
    public static Command Create(Argument<string> name, string all)
    {
        var verify = new Command("verify",
            "Check every cached file of a data set (default: all of them) against the catalog's SHA-256: ok, changed or missing. "
            + "Exits with a failure when a file is changed or missing, and says how to fetch a clean copy.");
        name.DefaultValueFactory = _ => all;
        verify.Arguments.Add(name);
        // Off the main thread, as fetch is, so that Ctrl+C stops the hashing between files.
        verify.SetAction((parseResult, cancellationToken) => Task.Run(() =>
        {
            string requested = parseResult.GetRequiredValue(name);
            bool everything = requested == all;
            IReadOnlyList<DatasetInfo> datasets = everything ? DatasetCatalog.All : [DatasetCatalog.Get(requested)];
            return Verify(DataCache.FromEnvironment(), datasets, everything, cancellationToken);
        }, CancellationToken.None));
        return verify;
    }

    /// <summary>
    /// Checks each data set's files and prints the table, the time taken and a repair command per damaged data set.
    /// A data set that was never fetched (no cache folder) fails only when it was named: "all" checks what is cached, and
    /// fails when nothing is.
    /// </summary>
    private static int Verify(DataCache cache, IReadOnlyList<DatasetInfo> datasets, bool everything, CancellationToken cancellationToken)
    {
        var table = new Table().AddColumns("Data set", "File", "Bytes", "Result")
            .Caption(Markup.Escape($"cache: {cache.Root}"));
        var problems = new List<string>();
        long bytes = 0;
        int files = 0;
        bool damaged = false;
        var clock = Stopwatch.StartNew();
        foreach (DatasetInfo dataset in datasets)
        {
            if (!Directory.Exists(cache.DirectoryOf(dataset)))
            {
                table.AddRow(Markup.Escape(dataset.Name), "", "", "[yellow]not fetched[/]");
                if (!everything) problems.Add($"{dataset.Name} is not in the cache; run 'elr data fetch {dataset.Name}'.");
                continue;
            }
            IReadOnlyList<CachedFileCheck> checks = CachedFiles.Check(cache, dataset, dataset.Files, cancellationToken);
            foreach (CachedFileCheck check in checks)
            {
                table.AddRow(Markup.Escape(dataset.Name), Markup.Escape(check.File.CacheName),
                    check.Length?.ToString("N0", CultureInfo.InvariantCulture) ?? "-", Result(check));
                bytes += check.Length ?? 0;
                files++;
            }
            int bad = checks.Count(c => c.State != CachedFileState.Intact);
            damaged |= bad > 0;
            if (bad > 0)
                problems.Add($"{dataset.Name}: {bad} of {checks.Count} files changed or missing; run '{CachedFiles.RepairCommand(dataset)}' to replace the cached copy.");
        }
        clock.Stop();
        AnsiConsole.Write(table);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"checked {files} file{(files == 1 ? "" : "s")} ({bytes / 1e6:0.0} MB) by SHA-256 in {clock.Elapsed.TotalSeconds:0.00} s"));
        // A gate that checked nothing must not pass: a mistyped ELR_DATA is an empty cache (a trial's CI step passed so).
        if (files == 0 && problems.Count == 0)
            problems.Add($"the data cache {cache.Root} holds no data set to verify; check {DataCache.EnvironmentVariable}, or fetch one with 'elr data fetch NAME'.");
        foreach (string problem in problems) Console.Error.WriteLine($"elr: {problem}");
        // A cached copy changed or cut is input to replace (exit code 2); a data set named but never fetched, or nothing
        // cached at all, is a folder to fill or to fix (3).
        // A changed or missing cached file is input to replace, as when a command reads it (DataFormatException).
        return damaged ? ExitCodes.BadInput : problems.Count > 0 ? ExitCodes.FileError : 0;
    }

    private static string Result(CachedFileCheck check) => check.State switch
    {
        CachedFileState.Intact => "[green]ok[/]",
        CachedFileState.Missing => "[red]missing[/]",
        _ => $"[red]changed[/] ({Markup.Escape(check.Difference!)})",
    };
}
