using System.Security.Cryptography;
using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Tests.Data;

public sealed class DatasetFetcherTests : IDisposable
{
    private static readonly byte[] Images = IdxBytes.Make([3, 2, 2], IdxBytes.Ramp(12));
    private static readonly byte[] Labels = IdxBytes.Make([3], [0, 1, 1]);

    private readonly TempDirectory _cacheRoot = new();
    private readonly DatasetFetcher _fetcher;

    // Online whatever $ELR_OFFLINE says, so the tests mean the same on a machine that sets it; the offline ones say so.
    public DatasetFetcherTests() => _fetcher = new DatasetFetcher(new DataCache(_cacheRoot.Path), offline: false);

    public void Dispose() => _cacheRoot.Dispose();

    private static PinnedFile Pin(string name, byte[] bytes) =>
        new(name, $"data/{name}", bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));

    /// <summary>A tiny IDX data set, pinned to <see cref="Images"/> and <see cref="Labels"/>, served by <paramref name="source"/>.</summary>
    private static DatasetInfo Tiny(IDataSource source) => new(
        "tiny", "tiny test set", new SampleShape(2, 2, 1), ["no", "yes"], 3, 3, source,
        [Pin("images", Images), Pin("labels", Labels)], new TinyLoader())
    {
        TestFileNames = ["labels"],
    };

    /// <summary>Reads each of the tiny set's parts from its labels file, with pixels of zero.</summary>
    private sealed class TinyLoader : IDatasetLoader
    {
        public DatasetParts LoadParts(DatasetInfo info, string directory) => new(Part(info, directory, "train"), Part(info, directory, "test"));

        public DatasetTestPart LoadTest(DatasetInfo info, string directory) => new(Part(info, directory, "test"));

        private static Dataset Part(DatasetInfo info, string directory, string part) =>
            new($"tiny/{part}", info.SampleShape, new float[12], IdxReader.Read(Path.Combine(directory, "labels")).Data, info.ClassNames);
    }

    private static FakeSource Serving(byte[] images, byte[] labels, Exception? failure = null) =>
        new(new Dictionary<string, byte[]> { ["images"] = images, ["labels"] = labels }, failure);

    /// <summary>Everything in the cache folder: no staging leftovers, no half entries.</summary>
    private string[] CacheEntries() =>
        Directory.Exists(_cacheRoot.Path) ? Directory.GetFileSystemEntries(_cacheRoot.Path).Select(e => Path.GetFileName(e)!).ToArray() : [];

    [Fact]
    public void FetchesVerifiesAndThenServesFromCache()
    {
        var source = Serving(Images, Labels);
        DatasetInfo tiny = Tiny(source);
        var steps = new List<string>();

        FetchResult first = _fetcher.Fetch(tiny, new SyncProgress(p => steps.Add(p.Step)));
        FetchResult second = _fetcher.Fetch(tiny);

        Assert.Equal(FetchOutcome.Fetched, first.Outcome);
        Assert.Equal(FetchOutcome.AlreadyCached, second.Outcome);
        Assert.Equal(1, source.Calls);
        Assert.Equal(["tiny"], CacheEntries());
        Assert.Equal(Images, File.ReadAllBytes(Path.Combine(first.Directory, "images")));
        Assert.Contains("verifying images", steps);
        Assert.Equal(3, _fetcher.Load(tiny).Train.Count);
        Assert.Equal("tiny/test", _fetcher.LoadTest(tiny).Test.Name);
    }

    /// <summary>Overwrites the cached <paramref name="name"/> of <paramref name="dataset"/> with itself, one label changed: the same size.</summary>
    private string ChangeInPlace(DatasetInfo dataset, string name)
    {
        string path = Path.Combine(_fetcher.Cache.DirectoryOf(dataset), name);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 1; // still a valid file (label 1 becomes 0): only the sum tells, as with the trial's 500 changed MNIST labels
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void ACachedFileChangedInPlaceIsCaughtByItsSha256WhenLoadedWithHowToFetchItAgain()
    {
        DatasetInfo tiny = Tiny(Serving(Images, Labels));
        _fetcher.Fetch(tiny);
        string labels = ChangeInPlace(tiny, "labels");

        var e = Assert.Throws<DataFormatException>(() => _fetcher.Load(tiny));

        Assert.Equal(labels, e.FilePath);
        Assert.Equal("whole file", e.Location);
        Assert.Equal($"{labels}: whole file: changed after it was fetched and checked (same size, SHA-256 {FileSha256.Short(FileSha256.Of(labels))}, "
            + $"the catalog pins {FileSha256.Short(Pin("labels", Labels).Sha256)}); run 'elr data fetch tiny --force' to replace the cached copy of tiny "
            + "('elr data verify' checks every cached file).", e.Message);
        // The test part alone is checked the same way: eval and quantize read a cached copy through it.
        Assert.Equal(e.Message, Assert.Throws<DataFormatException>(() => _fetcher.LoadTest(tiny)).Message);
    }

    [Fact]
    public void TheTestPartAloneChecksOnlyTheFilesItReads()
    {
        DatasetInfo tiny = Tiny(Serving(Images, Labels));
        _fetcher.Fetch(tiny);
        string images = ChangeInPlace(tiny, "images");

        Assert.Equal(3, _fetcher.LoadTest(tiny).Test.Count); // reads labels only (TestFileNames)
        Assert.Equal(images, Assert.Throws<DataFormatException>(() => _fetcher.Load(tiny)).FilePath);
    }

    [Fact]
    public void FetchingAChangedCachedCopyRefusesItAndForceReplacesIt()
    {
        var source = Serving(Images, Labels);
        DatasetInfo tiny = Tiny(source);
        _fetcher.Fetch(tiny);
        string labels = ChangeInPlace(tiny, "labels");

        // "already cached" said of a changed copy was how the trial's edit went unnoticed.
        Assert.Contains("elr data fetch tiny --force", Assert.Throws<DataFormatException>(() => _fetcher.Fetch(tiny)).Message);
        Assert.Equal(1, source.Calls);

        var forcing = new DatasetFetcher(_fetcher.Cache, offline: false) { ReplaceCached = true };
        Assert.Equal(FetchOutcome.Replaced, forcing.Fetch(tiny).Outcome);

        Assert.Equal(2, source.Calls);
        Assert.Equal(Labels, File.ReadAllBytes(labels));
        Assert.Equal(["tiny"], CacheEntries()); // neither the staging folder nor the old copy is left
        Assert.Equal(FetchOutcome.AlreadyCached, _fetcher.Fetch(tiny).Outcome);
    }

    [Fact]
    public void CachedFilesAreToldIntactChangedOrMissing()
    {
        DatasetInfo tiny = Tiny(Serving(Images, Labels));
        string folder = _fetcher.Fetch(tiny).Directory;
        Assert.All(CachedFiles.Check(_fetcher.Cache, tiny, tiny.Files), c => Assert.Equal(CachedFileState.Intact, c.State));

        ChangeInPlace(tiny, "labels");
        File.Delete(Path.Combine(folder, "images"));
        IReadOnlyList<CachedFileCheck> checks = CachedFiles.Check(_fetcher.Cache, tiny, tiny.Files);

        Assert.Equal([CachedFileState.Missing, CachedFileState.Changed], checks.Select(c => c.State));
        Assert.Equal("missing", checks[0].Difference);
        File.WriteAllBytes(Path.Combine(folder, "images"), Images[..5]);
        Assert.Equal($"5 bytes, the catalog pins {Images.Length}", CachedFiles.Check(_fetcher.Cache, tiny, tiny.Files)[0].Difference);
    }

    [Fact]
    public void OfflineAMissingDataSetFailsAtOnceNamingTheCacheAndTheCommand()
    {
        var source = Serving(Images, Labels);
        DatasetInfo tiny = Tiny(source);
        var offline = new DatasetFetcher(_fetcher.Cache, offline: true);

        var e = Assert.Throws<DataFetchException>(() => offline.LoadTest(tiny));

        Assert.Equal(0, source.Calls);
        Assert.StartsWith($"tiny is not in the data cache {_cacheRoot.Path} (no folder {Path.Combine(_cacheRoot.Path, "tiny")}), and ELR_OFFLINE is set", e.Message);
        Assert.Contains($"run 'elr data fetch tiny' (set ELR_DATA to choose where it goes) and copy the folder tiny it makes into {_cacheRoot.Path}", e.Hint);
        Assert.Empty(CacheEntries());

        // Once the data set is there, offline changes nothing but fetching again.
        _fetcher.Fetch(tiny);
        Assert.Equal(3, offline.Load(tiny).Train.Count);
        Assert.Equal(FetchOutcome.AlreadyCached, offline.Fetch(tiny).Outcome);
        var forcing = new DatasetFetcher(_fetcher.Cache, offline: true) { ReplaceCached = true };
        Assert.StartsWith("Replacing the cached copy of tiny", Assert.Throws<DataFetchException>(() => forcing.Fetch(tiny)).Message);
        Assert.Equal(1, source.Calls);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("0", false)]
    [InlineData("No", false)]
    [InlineData("1", true)]
    [InlineData(" TRUE ", true)]
    [InlineData("yes", true)]
    public void OfflineIsOneOrTrueOrYes(string? value, bool offline) => Assert.Equal(offline, OfflineMode.Parse(value));

    [Fact]
    public void AnOfflineValueThatIsNeitherIsRefusedNotGuessed() =>
        Assert.Equal("ELR_OFFLINE is 'on'; set it to 1 to forbid fetching data sets, or to 0 (or unset it) to allow it.",
            Assert.Throws<DatasetException>(() => OfflineMode.Parse("on")).Message);

    [Fact]
    public void AFileSystemErrorDuringTheFetchIsAFilePathError()
    {
        // A full disk is a disk to fix (exit code 3), not a fetch a retry mends (6): a trial's scheduler would retry forever.
        DatasetInfo tiny = Tiny(Serving(Images, Labels, new IOException("No space left on device")));

        var e = Assert.Throws<EdgeLowRank.Runtime.IO.FilePathException>(() => _fetcher.Fetch(tiny));

        Assert.StartsWith("Fetching tiny failed on the file system: No space left on device", e.Message);
        Assert.IsType<IOException>(e.InnerException);
        Assert.Empty(CacheEntries());
    }

    [Fact]
    public void ChecksumMismatchIsReportedAndLeavesNoCacheEntry()
    {
        byte[] tampered = (byte[])Images.Clone();
        tampered[^1] ^= 0xFF; // same size, other content
        DatasetInfo tiny = Tiny(Serving(tampered, Labels));

        var e = Assert.Throws<DataFetchException>(() => _fetcher.Fetch(tiny));

        Assert.Contains("Checksum mismatch for data/images", e.Message);
        Assert.Contains(Pin("images", Images).Sha256, e.Message);
        Assert.Empty(CacheEntries());
        Assert.False(_fetcher.Cache.Contains(tiny));
    }

    [Fact]
    public void TruncatedFileIsReportedAndLeavesNoCacheEntry()
    {
        DatasetInfo tiny = Tiny(Serving(Images[..10], Labels));

        var e = Assert.Throws<DataFetchException>(() => _fetcher.Fetch(tiny));

        Assert.Contains($"is 10 bytes; the catalog pins {Images.Length} bytes (truncated download?)", e.Message);
        Assert.Empty(CacheEntries());
    }

    [Fact]
    public void FailingSourceLeavesNoCacheEntry()
    {
        var failure = new DataFetchException("download died", "retry");
        DatasetInfo tiny = Tiny(Serving(Images, Labels, failure));

        Assert.Same(failure, Assert.Throws<DataFetchException>(() => _fetcher.Fetch(tiny)));
        Assert.Empty(CacheEntries());
    }

    [Fact]
    public void IncompleteCacheFolderIsNotTrustedNorOverwritten()
    {
        DatasetInfo tiny = Tiny(Serving(Images, Labels));
        Directory.CreateDirectory(Path.Combine(_cacheRoot.Path, "tiny"));

        // A copy cut short is input to replace (exit code 2), not a fetch a later retry mends (6).
        var e = Assert.Throws<DataFormatException>(() => _fetcher.Fetch(tiny));

        Assert.Contains("run 'elr data fetch tiny --force' to replace the cached copy of tiny", e.Message);
        Assert.Equal(["tiny"], CacheEntries());
        var forcing = new DatasetFetcher(_fetcher.Cache, offline: false) { ReplaceCached = true };
        Assert.Equal(FetchOutcome.Replaced, forcing.Fetch(tiny).Outcome);
        Assert.True(_fetcher.Cache.Contains(tiny));
    }

    [Fact]
    public void DebianSourceCopiesInstalledFilesWithoutDownloading()
    {
        using var installed = new TempDirectory();
        Directory.CreateDirectory(installed.File("data"));
        File.WriteAllBytes(installed.File("data/images"), Images);
        File.WriteAllBytes(installed.File("data/labels"), Labels);
        // The package name does not exist: any attempt to download would fail the test.
        var source = new DebianPackageSource("elr-no-such-package", TimeSpan.FromSeconds(5), installed.Path);

        FetchResult result = _fetcher.Fetch(Tiny(source));

        Assert.Equal(FetchOutcome.Fetched, result.Outcome);
    }

    [Fact]
    public void CatalogNamesAreUniqueAndUnknownNamesListTheKnownOnes()
    {
        Assert.Equal(["mnist", "fashion-mnist", "digits"], DatasetCatalog.All.Select(d => d.Name));
        Assert.Same(DatasetCatalog.FashionMnist, DatasetCatalog.Get("Fashion-MNIST"));
        Assert.Contains("mnist, fashion-mnist, digits", Assert.Throws<DatasetException>(() => DatasetCatalog.Get("cifar")).Message);
    }

    [Fact]
    public void TheTestPartsFilesAreTheOnesTheirLoadersRead()
    {
        // A name missing here would leave a file eval reads unchecked; one too many would hash 47 MB for nothing.
        Assert.Equal(["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"], DatasetCatalog.Mnist.TestFileNames);
        Assert.Equal(["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"], DatasetCatalog.FashionMnist.TestFileNames);
        Assert.Equal(["digits.csv.gz"], DatasetCatalog.Digits.TestFileNames);
        Assert.Throws<ArgumentException>(() => new DatasetInfo("tiny", "tiny test set", new SampleShape(2, 2, 1), ["no", "yes"], 3, 3,
            Serving(Images, Labels), [Pin("labels", Labels)], new TinyLoader()) { TestFileNames = ["t10k-labels"] });
    }

    private sealed class SyncProgress(Action<FetchProgress> report) : IProgress<FetchProgress>
    {
        public void Report(FetchProgress value) => report(value);
    }
}
