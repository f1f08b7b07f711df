using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Latency;

namespace EdgeLowRank.Compressor.Tests.Latency;

public class LatencyCriterionTests
{
    [Fact]
    public void The_latency_criterion_reads_the_table_into_the_options()
    {
        LcOptions options = CompressionArguments.Parse("cur", "qdeim", 2, "latency", lambda: null, targetRatio: 8, LatencyTableFiles.MeasuredHere);

        Assert.Equal(CostCriterion.Latency, options.Criterion);
        Assert.NotNull(options.LatencyModel);
        options.Validate();
    }

    [Fact]
    public void Latency_without_a_table_and_a_table_without_latency_are_refused_before_any_work()
    {
        var missing = Assert.Throws<CompressionException>(() => CompressionArguments.Parse("cur", "qdeim", 2, "latency", 1e3, null));
        Assert.Contains("elr-run profile", missing.Message);

        var unused = Assert.Throws<CompressionException>(() => CompressionArguments.Parse("svd", "qdeim", 2, "flops", 1e3, null, LatencyTableFiles.MeasuredHere));
        Assert.Contains("only used with --criterion latency", unused.Message);

        Assert.Throws<LatencyTableException>(() => CompressionArguments.Parse("svd", "qdeim", 2, "latency", 1e3, null, "/nonexistent/board.json"));
        Assert.Throws<CompressionException>(() => new LcOptions { Criterion = CostCriterion.Latency }.Validate());
    }
}
