using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Tests.Data;

/// <summary>Loads real data sets from the cache for tests; never fetches (unit tests use no network).</summary>
internal static class RealData
{
    public static DataCache Cache { get; } = DataCache.FromEnvironment();

    public static bool RunningInCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static DatasetParts Load(string name)
    {
        DatasetInfo info = Cached(name);
        return info.LoadFrom(Cache.DirectoryOf(info));
    }

    /// <summary>The test part alone, as elr eval and elr quantize read it.</summary>
    public static DatasetTestPart LoadTest(string name)
    {
        DatasetInfo info = Cached(name);
        return info.LoadTestFrom(Cache.DirectoryOf(info));
    }

    private static DatasetInfo Cached(string name)
    {
        DatasetInfo info = DatasetCatalog.Get(name);
        if (!Cache.Contains(info))
        {
            Assert.Fail($"{name} is not in the data cache {Cache.Root}; CI must run scripts/fetch-data.sh before the tests.");
        }
        return info;
    }
}
