using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>A data set's files as inputs of a command: an output written over one would destroy the data set (a user's own
/// arrays, which nothing can fetch again), or leave the cache damaged for the next run.</summary>
internal static class DatasetFiles
{
    /// <summary>Each file of <paramref name="dataset"/>, in the user's folder or in the data cache (<see cref="DataCache.FromEnvironment"/>),
    /// with the role messages name it by.</summary>
    public static IEnumerable<(string Role, string? Path)> Of(DatasetInfo dataset)
    {
        if (dataset.Folder is string own)
            return dataset.FolderFiles.Select(f => ($"the {dataset.Name} data set's {f}", (string?)Path.Combine(own, f)));
        string folder = DataCache.FromEnvironment().DirectoryOf(dataset);
        return dataset.Files.Select(f => ($"the {dataset.Name} data set's {f.CacheName} in the data cache", (string?)Path.Combine(folder, f.CacheName)));
    }
}
