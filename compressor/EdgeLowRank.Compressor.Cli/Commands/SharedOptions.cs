using System.CommandLine;
using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>The options several commands take, declared once so they read and default the same everywhere.</summary>
internal static class SharedOptions
{
    /// <summary>--dataset NAME (required): one of the catalog's data sets, in any case.</summary>
    public static Option<string> Dataset() =>
        new("--dataset") { Description = $"The data set: {string.Join(", ", DatasetCatalog.All.Select(d => d.Name))}.", Required = true };

    /// <summary>--threads N: the threads for training, compression and evaluation; every core unless given.</summary>
    public static Option<int> Threads() =>
        new("--threads") { Description = "Threads (default: every core).", DefaultValueFactory = _ => Environment.ProcessorCount };
}
