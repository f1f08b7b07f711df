using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Tests.Data;

/// <summary>
/// A fact that needs a real data set in the cache. xunit 2 cannot skip from inside a test, so the
/// decision is made here, when tests are discovered: locally, a missing data set skips the test
/// with the reason shown by the runner; with CI=true the test is never skipped, so missing data
/// fails it (through <see cref="RealData.Load"/>) instead of passing silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealDataFactAttribute : FactAttribute
{
    /// <summary>Marks a test that loads <paramref name="datasetName"/> from the cache.</summary>
    public RealDataFactAttribute(string datasetName)
    {
        if (!RealData.RunningInCi && !RealData.Cache.Contains(DatasetCatalog.Get(datasetName)))
        {
            Skip = $"{datasetName} is not in the data cache {RealData.Cache.Root}: run scripts/fetch-data.sh " +
                   "(CI=true turns this skip into a failure).";
        }
    }
}
