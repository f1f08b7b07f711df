using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>A seed fixes the trained weights; the kernels make them independent of the thread count too.</summary>
public sealed class DeterminismTests
{
    private static float[] TrainedWeights(string model, ulong seed, int threads)
    {
        Dataset data = SyntheticData.Images(300, seed: 99);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 64, Seed = seed, Threads = threads, WeightDecay = 1e-4 };
        var trainer = new Trainer(ModelZoo.Create(model, data.SampleShape, 10, seed, options.BatchSize), options);
        trainer.RunEpoch(data, 0);
        return trainer.Network.Parameters.SelectMany(p => p.Value).ToArray();
    }

    [Theory]
    [InlineData("lenet300")]
    [InlineData("lenet5")]
    public void TheSameSeedGivesTheSameWeights(string model) =>
        Assert.Equal(TrainedWeights(model, 3, threads: 2), TrainedWeights(model, 3, threads: 2));

    [Theory]
    [InlineData("lenet300")]
    [InlineData("lenet5")]
    [InlineData("mobilenet-mini")] // depthwise layers: their filter gradients summed image by image in a fixed order
    [InlineData("resnet-mini")] // skip connections: their gradients summed per shard, the shards in order
    [InlineData("resnet-proj")] // a branch: its gradient added into its source's sum
    public void OneAndTwoThreadsGiveTheSameWeights(string model) =>
        Assert.Equal(TrainedWeights(model, 3, threads: 1), TrainedWeights(model, 3, threads: 2));

    [Fact]
    public void AnotherSeedGivesOtherWeights() =>
        Assert.NotEqual(TrainedWeights("lenet300", 3, threads: 1), TrainedWeights("lenet300", 4, threads: 1));

    [Fact]
    public void EachEpochVisitsEverySampleOnceInASeededOrder()
    {
        int[] first = Trainer.ShuffledOrder(1000, seed: 5, epoch: 0);
        Assert.Equal(Enumerable.Range(0, 1000), first.Order());
        Assert.Equal(first, Trainer.ShuffledOrder(1000, seed: 5, epoch: 0));
        Assert.NotEqual(first, Trainer.ShuffledOrder(1000, seed: 5, epoch: 1));
    }
}
