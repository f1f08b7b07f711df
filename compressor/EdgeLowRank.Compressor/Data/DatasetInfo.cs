namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// A catalog entry: what a data set is (shape, classes, sizes), where its files come from and
/// what they must hash to, and how to read them once they are in a folder.
/// </summary>
public sealed class DatasetInfo
{
    private readonly Func<DatasetInfo, string, DatasetParts> _load;

    /// <summary>Describes a data set.</summary>
    /// <param name="name">Short name used on the command line and as the cache folder, e.g. "mnist".</param>
    /// <param name="title">One line for people, e.g. "MNIST handwritten digits".</param>
    /// <param name="sampleShape">Shape of every sample.</param>
    /// <param name="classNames">Name of each class, indexed by label.</param>
    /// <param name="trainCount">Samples in the training part.</param>
    /// <param name="testCount">Samples in the test part.</param>
    /// <param name="source">Where the files come from.</param>
    /// <param name="files">The files, pinned by size and SHA-256.</param>
    /// <param name="load">Reads the files from a folder into train and test parts.</param>
    public DatasetInfo(
        string name,
        string title,
        SampleShape sampleShape,
        IReadOnlyList<string> classNames,
        int trainCount,
        int testCount,
        IDataSource source,
        IReadOnlyList<PinnedFile> files,
        Func<DatasetInfo, string, DatasetParts> load)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.StartsWith('.'))
        {
            throw new ArgumentException($"'{name}' cannot name a cache folder.", nameof(name));
        }
        Name = name;
        Title = title;
        SampleShape = sampleShape;
        ClassNames = classNames.ToArray();
        TrainCount = trainCount;
        TestCount = testCount;
        Source = source;
        Files = files.ToArray();
        _load = load;
    }

    /// <summary>Short name used on the command line and as the cache folder.</summary>
    public string Name { get; }

    /// <summary>One line for people.</summary>
    public string Title { get; }

    /// <summary>Shape of every sample.</summary>
    public SampleShape SampleShape { get; }

    /// <summary>Name of each class, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Samples in the training part.</summary>
    public int TrainCount { get; }

    /// <summary>Samples in the test part.</summary>
    public int TestCount { get; }

    /// <summary>Where the files come from.</summary>
    public IDataSource Source { get; }

    /// <summary>The files, pinned by size and SHA-256.</summary>
    public IReadOnlyList<PinnedFile> Files { get; }

    /// <summary>Reads the data set from a folder that holds its files (normally its cache folder).</summary>
    /// <exception cref="DatasetException">A file is missing or malformed.</exception>
    public DatasetParts LoadFrom(string directory) => _load(this, directory);
}
