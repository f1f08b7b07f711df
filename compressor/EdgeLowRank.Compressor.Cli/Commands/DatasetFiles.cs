using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>A data set's cached files as inputs of a command: an output written over one would destroy the data set, and
/// the next run would find the cache damaged.</summary>
internal static class DatasetFiles
{
    /// <summary>Each file of <paramref name="dataset"/> in the data cache (<see cref="DataCache.FromEnvironment"/>), with the role messages name it by.</summary>
    public static IEnumerable<(string Role, string? Path)> Of(DatasetInfo dataset)
    {
        string folder = DataCache.FromEnvironment().DirectoryOf(dataset);
        return dataset.Files.Select(f => ($"the {dataset.Name} data set's {f.CacheName} in the data cache", (string?)Path.Combine(folder, f.CacheName)));
    }
}
