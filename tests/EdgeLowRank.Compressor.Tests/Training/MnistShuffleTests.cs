using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Tests.Export;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>shuffle-mini learns MNIST through its channel slices and shuffles, and the runtime scores the exported file as the
/// trainer scored the network: a short fixed-seed run on part of the training set.</summary>
public sealed class MnistShuffleTests
{
    private const int TrainSamples = 20_000;

    [RealDataFact("mnist")]
    public void ShuffleMiniLearnsAndTheRuntimeReproducesItsTestAccuracy()
    {
        DatasetParts mnist = RealData.Load("mnist");
        Dataset train = mnist.Train.Subset(Enumerable.Range(0, TrainSamples).ToArray(), "mnist/train-part");
        var options = new TrainingOptions { Epochs = 2, BatchSize = 64, Schedule = new ExponentialSchedule(0.03, 1), Seed = 1 };
        Network network = ModelZoo.Create("shuffle-mini", train.SampleShape, 10, options.Seed, options.BatchSize);
        var trainer = new Trainer(network, options);
        for (int epoch = 0; epoch < options.Epochs; epoch++) trainer.RunEpoch(train, epoch);
        double trained = trainer.Evaluate(mnist.Test).Accuracy;
        Assert.True(trained >= 0.85, $"test accuracy {trained:P2} after two epochs on {TrainSamples:N0} samples; expected at least 85%");

        using Model model = NetworkExporter.ToModel(network, new ModelMetadata());
        Assert.Equal((4, 3), (model.Layers.OfType<ChannelSliceLayer>().Count(), model.Layers.OfType<ChannelShuffleLayer>().Count()));
        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = 500 });
        Assert.Equal(trained, RuntimeAgreement.Accuracy(session, mnist.Test));
    }
}
