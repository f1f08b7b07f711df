using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>The check that a layer without weights (a concatenation, a slice, a shuffle), named where a layer with weights is
/// wanted, is refused before any work, with the layers there are: --keep-dense (the LC options), --ranks (the zoo's fixed ranks,
/// and the LC options' for elr compress) and --keep-float (quantizing the export).</summary>
internal static class LayerNameRefusals
{
    /// <summary>Asserts the four refusals of <paramref name="name"/> in zoo model <paramref name="model"/>, an MNIST network
    /// whose first layers with weights are conv1 and conv2.</summary>
    public static void AssertRefused(string model, string name)
    {
        var mnist = new SampleShape(28, 28, 1);
        Network network = ModelZoo.Create(model, mnist, 10, seed: 1);
        var keep = Assert.Throws<CompressionException>(() =>
            CompressibleLayer.RequireNames(CompressibleLayer.Find(network), new LcOptions { KeepDense = [name] }));
        Assert.Contains($"--keep-dense names '{name}', but the compressible layers are conv1, conv2", keep.Message);
        var ranks = Assert.Throws<TrainingException>(() => ModelZoo.Create(model, mnist, 10, seed: 1, ranks: new Dictionary<string, int> { [name] = 2 }));
        Assert.Contains($"--ranks names '{name}', but the dense and convolution layers of {model} are conv1, conv2", ranks.Message);
        var fixedRanks = Assert.Throws<CompressionException>(() => LearningCompression.CheckRequest(CompressibleLayer.Find(network),
            new LcOptions { FixedRanks = new Dictionary<string, int> { [name] = 2 } }));
        Assert.Contains("--ranks names '" + name + "', but the dense and convolution layers of this network are conv1, conv2", fixedRanks.Message);
        using Model exported = NetworkExporter.ToModel(network, new ModelMetadata());
        Assert.Contains($"--keep-float names {name}, which is not a layer with weights; this model's are conv1, conv2",
            Assert.Throws<ArgumentException>(() => WeightQuantization.Apply(exported, [name])).Message);
    }
}
