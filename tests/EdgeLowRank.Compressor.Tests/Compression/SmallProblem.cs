using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Compressor.Tests.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>A seeded 8×8 synthetic problem and a 64-48-10 MLP briefly trained on it: fast enough for many LC runs.</summary>
internal static class SmallProblem
{
    public static DatasetParts Data { get; } = new(SyntheticData.Images(512, 11, side: 8), SyntheticData.Images(128, 12, side: 8));

    public static Network TrainedNetwork()
    {
        var network = new Network("small", new TensorShape(8, 8, 1),
            [new Flatten("flatten"), new Dense("fc1", 64, 48), new Relu("relu1"), new Dense("fc2", 48, 10)], maxBatch: 64);
        return Trained(network, epochs: 5);
    }

    /// <summary><paramref name="network"/> initialized from seed 5 and trained <paramref name="epochs"/> epochs on <see cref="Data"/>
    /// (batch 64, rate 0.05, one thread).</summary>
    public static Network Trained(Network network, int epochs)
    {
        network.Initialize(5);
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = 64, Threads = 1, Schedule = new ExponentialSchedule(0.05, 1) });
        for (int e = 0; e < epochs; e++) trainer.RunEpoch(Data.Train, e);
        return network;
    }

    /// <summary>Settings for the C step's and the LC loop's mechanics on both layers: with two, the classifier fc2 is half
    /// of what there is to compress, so it is factorizable here (<see cref="LcOptions.CompressClassifier"/>).</summary>
    public static LcOptions Options(FactorizationMethod method, double lambda) => new()
    {
        Method = method, Lambda = lambda, Mu0 = 1e-2, MuGrowth = 1.5, Steps = 12, BatchSize = 64, LearningRate = 0.05,
        FinetuneEpochs = 1, Threads = 1, StopTolerance = 0, CompressClassifier = true,
    };

    /// <summary>Runs the LC loop (4 steps, target ratio 2) with <paramref name="method"/> on <paramref name="network"/> and asserts
    /// what a network of layers without parameters between its convolutions needs: every layer not factorized keeps its kind and
    /// place, some layer is factorized with <paramref name="method"/>, and each factorized layer has a rank in the last step.</summary>
    public static LcResult CompressKeepingTheOtherLayers(Network network, FactorizationMethod method)
    {
        Type[] kinds = network.Layers.Select(l => l.GetType()).ToArray();
        LcOptions options = Options(method, 0) with { Steps = 4, TargetRatio = 2, MaxRelativeError = 0.95 };

        LcResult result = LearningCompression.Run(network, Data, options);

        IReadOnlyList<TrainingLayer> layers = result.Network.Layers;
        for (int i = 0; i < layers.Count; i++)
            if (layers[i] is not FactorizedLayer) Assert.Equal(kinds[i], layers[i].GetType());
        Assert.Contains(layers, l => l is FactorizedLayer f && f.Method == method);
        Assert.Equal(layers.Count(l => l is FactorizedLayer), result.Steps[^1].Ranks.Count(r => r > 0));
        return result;
    }
}
