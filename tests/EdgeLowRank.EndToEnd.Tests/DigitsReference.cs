using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Tests.Data;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>The reference network of the end-to-end tests that need a trained model: the digits MLP, trained for 5 epochs by
/// elr train on the real UCI digits (seconds), as a user would train one.</summary>
internal static class DigitsReference
{
    /// <summary>Trains it into <paramref name="path"/>; what elr train printed. Fails, rather than skips, without the digits:
    /// the callers are <see cref="RealDataFactAttribute"/> tests, which skip before this when the data is missing outside CI.</summary>
    public static ToolResult Train(string path)
    {
        Assert.True(RealData.Cache.Contains(DatasetCatalog.Digits), $"the digits are not in the data cache {RealData.Cache.Root}; CI must run scripts/fetch-data.sh first.");
        ToolResult trained = Tool.Elr("train", "--dataset", "digits", "--model", "digits-mlp", "--epochs", "5", "--threads", "1", "-o", path);
        Assert.True(trained.ExitCode == 0, trained.Error);
        return trained;
    }
}
