namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// What a data set is (shape, classes, sizes) and how to read it. A catalog entry also says where its files come from and
/// what they must hash to (it is fetched into the data cache); a user's own data set (<see cref="Folder"/>) is read in
/// place from its folder of .npy arrays and never fetched.
/// </summary>
public sealed class DatasetInfo
{
    private readonly IDatasetLoader _loader;
    private readonly PinnedFile[]? _testFiles;

    /// <summary>Describes a data set.</summary>
    /// <param name="name">Short name used on the command line and as the cache folder, e.g. "mnist".</param>
    /// <param name="title">One line for people, e.g. "MNIST handwritten digits".</param>
    /// <param name="sampleShape">Shape of every sample.</param>
    /// <param name="classNames">Name of each class, indexed by label.</param>
    /// <param name="trainCount">Samples in the training part.</param>
    /// <param name="testCount">Samples in the test part.</param>
    /// <param name="source">Where the files come from.</param>
    /// <param name="files">The files, pinned by size and SHA-256.</param>
    /// <param name="loader">Reads the files from a folder into train and test parts, or the test part alone.</param>
    public DatasetInfo(
        string name,
        string title,
        SampleShape sampleShape,
        IReadOnlyList<string> classNames,
        int trainCount,
        int testCount,
        IDataSource source,
        IReadOnlyList<PinnedFile> files,
        IDatasetLoader loader)
        : this(name, title, sampleShape, classNames, trainCount, testCount, source, files, folder: null, folderFiles: [], loader)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.StartsWith('.'))
        {
            throw new ArgumentException($"'{name}' cannot name a cache folder.", nameof(name));
        }
    }

    /// <summary>Describes a user's own data set, read in place from <paramref name="folder"/> (see <see cref="NpyFolderDataset"/>).
    /// Its name is the folder's, which needs no check: it names no cache folder.</summary>
    /// <param name="name">The folder's name, which a model records as its data set.</param>
    /// <param name="folder">The folder, as a full path.</param>
    /// <param name="folderFiles">The names of the folder's files the data set is read from.</param>
    /// <param name="sampleShape">Shape of every sample.</param>
    /// <param name="classNames">Name of each class, indexed by label.</param>
    /// <param name="trainCount">Samples in the training part.</param>
    /// <param name="testCount">Samples in the test part.</param>
    /// <param name="loader">Reads the files from the folder into train and test parts, or the test part alone.</param>
    internal DatasetInfo(string name, string folder, IReadOnlyList<string> folderFiles, SampleShape sampleShape, IReadOnlyList<string> classNames,
        int trainCount, int testCount, IDatasetLoader loader)
        : this(name, $"NumPy arrays in {folder}", sampleShape, classNames, trainCount, testCount, source: null, files: [], folder, folderFiles, loader)
    {
    }

    private DatasetInfo(string name, string title, SampleShape sampleShape, IReadOnlyList<string> classNames, int trainCount, int testCount,
        IDataSource? source, IReadOnlyList<PinnedFile> files, string? folder, IReadOnlyList<string> folderFiles, IDatasetLoader loader)
    {
        Name = name;
        Title = title;
        SampleShape = sampleShape;
        ClassNames = classNames.ToArray();
        TrainCount = trainCount;
        TestCount = testCount;
        Source = source;
        Files = files.ToArray();
        Folder = folder;
        FolderFiles = folderFiles.ToArray();
        _loader = loader;
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

    /// <summary>Where a catalog entry's files come from; null for a user's folder, which is never fetched.</summary>
    public IDataSource? Source { get; }

    /// <summary>A catalog entry's files, pinned by size and SHA-256; none for a user's folder.</summary>
    public IReadOnlyList<PinnedFile> Files { get; }

    /// <summary>
    /// The cache names of the files <see cref="LoadTestFrom"/> reads, so that a command that only scores a model checks
    /// those by SHA-256 and not the training files it never reads (47 MB for MNIST); every file of <see cref="Files"/>
    /// unless set.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not one of <see cref="Files"/>.</exception>
    public IReadOnlyList<string> TestFileNames
    {
        get => TestFiles.Select(f => f.CacheName).ToArray();
        init
        {
            string? unknown = value.FirstOrDefault(name => Files.All(f => f.CacheName != name));
            if (unknown is not null) throw new ArgumentException($"'{unknown}' is not a file of {Name}.", nameof(TestFileNames));
            _testFiles = Files.Where(f => value.Contains(f.CacheName)).ToArray();
        }
    }

    /// <summary>The pins of the files <see cref="LoadTestFrom"/> reads (<see cref="TestFileNames"/>).</summary>
    internal IReadOnlyList<PinnedFile> TestFiles => _testFiles ?? Files;

    /// <summary>The user's folder this data set is read from in place, or null for a catalog entry (kept in the data cache).</summary>
    public string? Folder { get; }

    /// <summary>The names of the files in <see cref="Folder"/> the data set is read from; none for a catalog entry.</summary>
    public IReadOnlyList<string> FolderFiles { get; }

    /// <summary>The full scale of the integer pixels the images are scaled from (pixel / full scale): 255 for MNIST,
    /// Fashion-MNIST and a folder of uint8 images (its training images, or its test images when it has none), 16 for the UCI
    /// digits; null for a folder of float images, taken as they are. Models record it (<see cref="Runtime.Layers.ModelMetadata.InputPixelMax"/>)
    /// so that elr-run scales integer input as training did; known without loading, so a command that records a data set
    /// without measuring on it (import-onnx --no-eval) records it too.</summary>
    public int? IntegerPixelMax { get; init; }

    /// <summary>Reads the data set from a folder that holds its files (normally its cache folder).</summary>
    /// <exception cref="DatasetException">A file is missing or malformed.</exception>
    public DatasetParts LoadFrom(string directory) => _loader.LoadParts(this, directory);

    /// <summary>Reads only the test part from a folder that holds the data set's files, for a command that scores a model
    /// and trains nothing; the training part's samples are not read.</summary>
    /// <exception cref="DatasetException">A file the test part is read from is missing or malformed.</exception>
    public DatasetTestPart LoadTestFrom(string directory) => _loader.LoadTest(this, directory);
}
