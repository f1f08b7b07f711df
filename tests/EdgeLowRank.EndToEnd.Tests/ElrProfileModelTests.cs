using System.Text.Json;
using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Latency;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// `elr-run profile --model`: a latency table that covers a network's own convolutions, which `elr compress --criterion latency`
/// looks up by exact shape. A user's padded and strided convolutions were in no grid, and the compressor refused them.
/// </summary>
public class ElrProfileModelTests : TempFiles
{
    [Fact]
    public void A_table_profiled_with_the_model_prices_every_convolution_the_compressor_would_rank()
    {
        string model = UsersNetwork(), withModel = PathOf("with-model.json"), gridOnly = PathOf("grid-only.json");

        ToolResult profiled = Tool.ElrRun("profile", "-o", withModel, "--quick", "--model", model, "--runs", "5", "--warmup", "1");
        ToolResult plain = Tool.ElrRun("profile", "-o", gridOnly, "--quick", "--runs", "5", "--warmup", "1");

        Assert.True(profiled.ExitCode == 0, profiled.Error);
        Assert.True(plain.ExitCode == 0, plain.Error);
        Assert.Contains($"with 3 convolution shapes of {model}", profiled.Output);
        var layers = CompressibleLayer.Find(NetworkImporter.ToNetwork(ModelReader.Load(model)));
        var table = new LatencyCostModel(LatencyTable.Load(withModel));
        foreach (CompressibleLayer layer in layers) AssertPricedAtEveryRank(layer, table);
        // Without the model the quick grid lacks the padded first convolution; the refusal names it and the option.
        var e = Assert.Throws<LatencyTableException>(() => layers[0].Cost(CostCriterion.Latency, new LatencyCostModel(LatencyTable.Load(gridOnly))));
        Assert.Contains($"{layers[0].Layer.Name}'s shape", e.Message);
        Assert.Contains("elr-run profile --model MODEL.elr", e.Message);
    }

    [Fact]
    public void The_models_convolutions_are_measured_at_their_stride_and_padding_from_rank_1_to_one_below_full()
    {
        string model = UsersNetwork(), table = PathOf("board.json");

        ToolResult profiled = Tool.ElrRun("profile", "-o", table, "--quick", "--model", model, "--runs", "5", "--warmup", "1");

        Assert.True(profiled.ExitCode == 0, profiled.Error);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(table));
        JsonElement[] padded = json.RootElement.GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString()!.EndsWith("conv2d", StringComparison.Ordinal) && e.GetProperty("padding").GetInt32() == 2).ToArray();
        // 28×28 in, 5×5 kernel, padding 2: 784 output pixels, 25 patch values, 6 channels: dense, and ranks 1, the quick grid's 4, and 5.
        Assert.All(padded, e => Assert.Equal((25, 6, 784, 1), (e.GetProperty("rows").GetInt32(), e.GetProperty("columns").GetInt32(),
            e.GetProperty("outputPixels").GetInt32(), e.GetProperty("stride").GetInt32())));
        Assert.Equal([0, 1, 4, 5], padded.Select(e => e.GetProperty("rank").GetInt32()));
        JsonElement strided = json.RootElement.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "conv2d"
            && e.GetProperty("stride").GetInt32() == 2);
        Assert.Equal((144, 8, 25), (strided.GetProperty("rows").GetInt32(), strided.GetProperty("columns").GetInt32(), strided.GetProperty("outputPixels").GetInt32()));
    }

    [Fact]
    public void A_convolution_the_compressor_cannot_tell_from_a_grid_shape_is_not_measured_twice()
    {
        // 20×20×20 → 50 by a 5×5 window at stride 2 has the quick grid's 12×12×20 → 50 key: 500 patch values, 50 channels,
        // 64 output pixels. Measured as well, the two shapes' ranks interleaved and ranks 0 and 1 were priced NaN.
        var random = new Random(5);
        Layer[] layers =
        [
            new Conv2dLayer(RandomMatrix(random, 500, 50), new float[50], 20, new ConvolutionGeometry(5, stride: 2), Activation.Relu),
            new FlattenLayer(),
            new DenseLayer(RandomMatrix(random, 3200, 10), new float[10], Activation.None),
        ];
        string model = PathOf("strided.elr"), table = PathOf("board.json");
        ModelWriter.Write(new Model(new TensorShape(20, 20, 20), layers, new ModelMetadata()), model);

        ToolResult profiled = Tool.ElrRun("profile", "-o", table, "--quick", "--model", model, "--runs", "5", "--warmup", "1");

        Assert.True(profiled.ExitCode == 0, profiled.Error);
        Assert.Contains("convolutions are in the grid already", profiled.Output);
        AssertPricedAtEveryRank(CompressibleLayer.Find(NetworkImporter.ToNetwork(ModelReader.Load(model)))[0], new LatencyCostModel(LatencyTable.Load(table)));
    }

    [Fact]
    public void A_model_that_is_not_there_is_refused_before_any_measuring()
    {
        string table = PathOf("board.json");

        ToolResult result = Tool.ElrRun("profile", "-o", table, "--quick", "--model", PathOf("missing.elr"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--model", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.False(File.Exists(table));
    }

    /// <summary>Every rank the C step may choose for <paramref name="layer"/>, and dense, has a positive finite time.</summary>
    private static void AssertPricedAtEveryRank(CompressibleLayer layer, LatencyCostModel table)
    {
        var cost = layer.Cost(CostCriterion.Latency, table);
        Assert.True(cost.Dense > 0, layer.Layer.Name);
        for (int r = 0; r <= layer.MaxCandidateRank; r++)
            Assert.True(double.IsFinite(cost.OfRank(r)) && cost.OfRank(r) > 0, $"{layer.Layer.Name} at rank {r}: {cost.OfRank(r)}");
    }

    private static PackedMatrix RandomMatrix(Random random, int rows, int columns) =>
        PackedMatrix.FromRowMajor(Enumerable.Range(0, rows * columns).Select(_ => random.NextSingle() - 0.5f).ToArray(), rows, columns);

    /// <summary>A network with convolutions no grid holds: a padded 5×5 stem (PyTorch's LeNet-5), LeNet-5's second convolution,
    /// and a strided, padded 3×3; random weights (only shapes matter to a latency table).</summary>
    private string UsersNetwork()
    {
        var random = new Random(3);
        PackedMatrix Matrix(int rows, int columns) => RandomMatrix(random, rows, columns);
        Layer[] layers =
        [
            new Conv2dLayer(Matrix(25, 6), new float[6], 1, new ConvolutionGeometry(5, stride: 1, padding: 2), Activation.Relu),
            new MaxPool2dLayer(2, 2),
            new Conv2dLayer(Matrix(150, 16), new float[16], 6, new ConvolutionGeometry(5), Activation.Relu),
            new Conv2dLayer(Matrix(144, 8), new float[8], 16, new ConvolutionGeometry(3, stride: 2, padding: 1), Activation.Relu),
            new FlattenLayer(),
            new DenseLayer(Matrix(200, 10), new float[10], Activation.None),
        ];
        string path = PathOf("users-cnn.elr");
        ModelWriter.Write(new Model(new TensorShape(28, 28, 1), layers, new ModelMetadata()), path);
        return path;
    }
}
