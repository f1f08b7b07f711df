using System.Security.Cryptography;
using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Tests.Data;

public sealed class DatasetFetcherTests : IDisposable
{
    private static readonly byte[] Images = IdxBytes.Make([3, 2, 2], IdxBytes.Ramp(12));
    private static readonly byte[] Labels = IdxBytes.Make([3], [0, 1, 1]);

    private readonly TempDirectory _cacheRoot = new();
    private readonly DatasetFetcher _fetcher;

    public DatasetFetcherTests() => _fetcher = new DatasetFetcher(new DataCache(_cacheRoot.Path));

    public void Dispose() => _cacheRoot.Dispose();

    private static PinnedFile Pin(string name, byte[] bytes) =>
        new(name, $"data/{name}", bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));

    /// <summary>A tiny IDX data set, pinned to <see cref="Images"/> and <see cref="Labels"/>, served by <paramref name="source"/>.</summary>
    private static DatasetInfo Tiny(IDataSource source) => new(
        "tiny", "tiny test set", new SampleShape(2, 2, 1), ["no", "yes"], 3, 3, source,
        [Pin("images", Images), Pin("labels", Labels)], new TinyLoader());

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

    [Fact]
    public void ACachedFileDamagedAfterTheFetchIsNamedWithHowToFetchItAgain()
    {
        DatasetInfo tiny = Tiny(Serving(Images, Labels));
        string labels = Path.Combine(_fetcher.Fetch(tiny).Directory, "labels");
        byte[] damaged = File.ReadAllBytes(labels);
        damaged[2] ^= 0xFF; // the same size, so the cache still counts as complete: the IDX type byte no longer parses
        File.WriteAllBytes(labels, damaged);

        var e = Assert.Throws<DataFetchException>(() => _fetcher.Load(tiny));

        Assert.StartsWith($"{labels}: offset 2: ", e.Message);
        Assert.Contains("(the cached copy of tiny was changed after it was fetched and checked)", e.Message);
        Assert.Equal($"delete {Path.GetDirectoryName(labels)} and run 'elr data fetch tiny' again.", e.Hint);
        // The test part alone is checked the same way: eval and quantize read a cached copy through it.
        Assert.Equal(e.Message, Assert.Throws<DataFetchException>(() => _fetcher.LoadTest(tiny)).Message);
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

        var e = Assert.Throws<DataFetchException>(() => _fetcher.Fetch(tiny));

        Assert.Contains("delete", e.Hint);
        Assert.Equal(["tiny"], CacheEntries());
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

    private sealed class SyncProgress(Action<FetchProgress> report) : IProgress<FetchProgress>
    {
        public void Report(FetchProgress value) => report(value);
    }
}
