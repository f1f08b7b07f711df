namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Checks a data set's cached files by size and SHA-256 against the catalog's pins. <see cref="DataCache.Contains"/>
/// looks at sizes alone, which an edit in place keeps: a user trial changed 500 of MNIST's test labels and elr eval
/// reported 93.40% instead of 98.33%, with exit code 0. Hashing is cheap beside reading and training, so every load checks
/// the files it reads and <c>elr data verify</c> checks them all: <c>elr data verify mnist</c> hashes MNIST's four files
/// (55 MB) in 0.08–0.10 s on the 2-core development PC (README, "`elr data fetch`, `elr data verify` and `ELR_OFFLINE`").
/// </summary>
public static class CachedFiles
{
    /// <summary>Checks each of <paramref name="files"/> of <paramref name="dataset"/> in <paramref name="cache"/>, in order.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled between files.</exception>
    public static IReadOnlyList<CachedFileCheck> Check(DataCache cache, DatasetInfo dataset, IEnumerable<PinnedFile> files, CancellationToken cancellationToken = default)
    {
        string directory = cache.DirectoryOf(dataset);
        var checks = new List<CachedFileCheck>();
        foreach (PinnedFile file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            checks.Add(CheckOne(file, Path.Combine(directory, file.CacheName)));
        }
        return checks;
    }

    /// <summary>
    /// Requires each of <paramref name="files"/> to be intact, as a command requires the files it is about to read: a
    /// changed file gives a wrong accuracy or a model trained on other data, with no error.
    /// </summary>
    /// <exception cref="DataFormatException">A file is changed or missing; the message names it, the difference and the command that mends it.</exception>
    public static void RequireIntact(DataCache cache, DatasetInfo dataset, IEnumerable<PinnedFile> files, CancellationToken cancellationToken = default)
    {
        foreach (CachedFileCheck check in Check(cache, dataset, files, cancellationToken))
        {
            if (check.State == CachedFileState.Intact) continue;
            throw new DataFormatException(check.Path, "whole file",
                (check.State == CachedFileState.Missing ? "missing from the cached copy" : $"changed after it was fetched and checked ({check.Difference})")
                + $"; run '{RepairCommand(dataset)}' to replace "
                + $"the cached copy of {dataset.Name} ('elr data verify' checks every cached file).");
        }
    }

    /// <summary>The command that replaces a cached copy that is changed or incomplete by a fresh, checked one.</summary>
    public static string RepairCommand(DatasetInfo dataset) => $"elr data fetch {dataset.Name} --force";

    private static CachedFileCheck CheckOne(PinnedFile file, string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return new CachedFileCheck(file, path, CachedFileState.Missing, null, null);
        if (info.Length != file.Length) return new CachedFileCheck(file, path, CachedFileState.Changed, info.Length, null);
        string sha256;
        try
        {
            sha256 = FileSha256.Of(path);
        }
        catch (FileNotFoundException)
        {
            return new CachedFileCheck(file, path, CachedFileState.Missing, null, null); // deleted between the look and the read
        }
        CachedFileState state = string.Equals(sha256, file.Sha256, StringComparison.OrdinalIgnoreCase) ? CachedFileState.Intact : CachedFileState.Changed;
        return new CachedFileCheck(file, path, state, info.Length, sha256);
    }
}
