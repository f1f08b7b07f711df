namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// The folder that holds fetched data sets, one sub-folder per data set named after it. A
/// sub-folder appears only by an atomic rename of a fully verified staging folder, so an existing
/// one is complete; <see cref="Contains"/> still checks that every file is there with its size,
/// which catches a folder someone emptied by hand, and <see cref="CachedFiles"/> checks the files'
/// SHA-256, which catches one edited in place.
/// </summary>
public sealed class DataCache
{
    /// <summary>Environment variable that overrides the cache folder.</summary>
    public const string EnvironmentVariable = "ELR_DATA";

    /// <summary>Uses <paramref name="root"/> as the cache folder (created when first needed).</summary>
    public DataCache(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The cache folder.</summary>
    public string Root { get; }

    /// <summary>The cache named by $ELR_DATA, else ~/.cache/edgelowrank.</summary>
    /// <exception cref="DatasetException">Neither $ELR_DATA nor a home folder is known.</exception>
    public static DataCache FromEnvironment()
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (File.Exists(configured))
                throw new DatasetException($"{EnvironmentVariable} is '{configured}', which is a file; set it to a folder for the data sets (it is created if missing).");
            return new DataCache(configured);
        }
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(home))
        {
            throw new DatasetException($"No home folder is known to put the data cache in: set {EnvironmentVariable} to a writable folder.");
        }
        return new DataCache(Path.Combine(home, ".cache", "edgelowrank"));
    }

    /// <summary>The folder where <paramref name="dataset"/>'s files are (or will be) kept.</summary>
    public string DirectoryOf(DatasetInfo dataset) => Path.Combine(Root, dataset.Name);

    /// <summary>True when every file of <paramref name="dataset"/> is in the cache with its pinned size.</summary>
    public bool Contains(DatasetInfo dataset)
    {
        string directory = DirectoryOf(dataset);
        return dataset.Files.All(f =>
        {
            var info = new FileInfo(Path.Combine(directory, f.CacheName));
            return info.Exists && info.Length == f.Length;
        });
    }
}
