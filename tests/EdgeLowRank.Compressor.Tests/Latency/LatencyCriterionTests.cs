using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Compressor.Latency;
using EdgeLowRank.Compressor.Tests.Compression;

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

        Assert.Throws<EdgeLowRank.Runtime.IO.FilePathException>(() => CompressionArguments.Parse("svd", "qdeim", 2, "latency", 1e3, null, "/nonexistent/board.json"));
        Assert.Throws<CompressionException>(() => new LcOptions { Criterion = CostCriterion.Latency }.Validate());
    }

    [Fact]
    public void The_C_step_prices_a_layers_predicted_time_in_nanoseconds()
    {
        // In seconds (1e-6 to 1e-4 a layer) no λ up to the ceiling outweighed μ/2·e(r) at large μ: a 2-step run stayed dense.
        var model = new LatencyCostModel(LatencyTable.Load(LatencyTableFiles.MeasuredHere));
        CompressibleLayer fc1 = CompressibleLayer.Find(SmallProblem.TrainedNetwork())[0];

        RankCost cost = fc1.Cost(CostCriterion.Latency, model);

        RankCost seconds = model.ForDense(inputs: fc1.Columns, outputs: fc1.Rows);
        Assert.Equal(seconds.Dense * 1e9, cost.Dense, seconds.Dense * 1e-3);
        Assert.Equal(seconds.OfRank(3) * 1e9, cost.OfRank(3), seconds.OfRank(3) * 1e-3);
        Assert.InRange(cost.Dense, 10, 1e6);
    }
}
