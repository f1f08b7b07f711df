using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Tests.Export;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>The real-data check of a zoo network with a layer kind of its own: a short fixed-seed run on part of MNIST's
/// training set learns, and the runtime scores the exported file as the trainer scored the network.</summary>
internal static class ShortMnistRun
{
    private const int TrainSamples = 20_000;

    /// <summary>Trains <paramref name="model"/> (seed 1) for two epochs of batch 64 at the constant <paramref name="rate"/> on the
    /// first 20,000 training samples; asserts a test accuracy of at least <paramref name="minimum"/>, hands the exported model to
    /// <paramref name="checkExport"/>, and asserts that a runtime session on it gives the same test accuracy.</summary>
    public static void AssertLearnsAndTheRuntimeAgrees(string model, double rate, double minimum, Action<Model> checkExport)
    {
        DatasetParts mnist = RealData.Load("mnist");
        Dataset train = mnist.Train.Subset(Enumerable.Range(0, TrainSamples).ToArray(), "mnist/train-part");
        var options = new TrainingOptions { Epochs = 2, BatchSize = 64, Schedule = new ExponentialSchedule(rate, 1), Seed = 1 };
        Network network = ModelZoo.Create(model, train.SampleShape, 10, options.Seed, options.BatchSize);
        var trainer = new Trainer(network, options);
        for (int epoch = 0; epoch < options.Epochs; epoch++) trainer.RunEpoch(train, epoch);
        double trained = trainer.Evaluate(mnist.Test).Accuracy;
        Assert.True(trained >= minimum, $"test accuracy {trained:P2} after two epochs on {TrainSamples:N0} samples; expected at least {minimum:P0}");

        using Model exported = NetworkExporter.ToModel(network, new ModelMetadata());
        checkExport(exported);
        using var session = new InferenceSession(exported, new SessionOptions { MaxBatchSize = 500 });
        Assert.Equal(trained, RuntimeAgreement.Accuracy(session, mnist.Test));
    }
}
