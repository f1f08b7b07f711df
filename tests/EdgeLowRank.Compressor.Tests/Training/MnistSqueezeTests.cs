using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Tests.Export;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>squeeze-mini learns MNIST through its Fire modules, and the runtime scores the exported file as the trainer scored
/// the network: a short fixed-seed run on part of the training set.</summary>
public sealed class MnistSqueezeTests
{
    private const int TrainSamples = 20_000;

    [RealDataFact("mnist")]
    public void SqueezeMiniLearnsAndTheRuntimeReproducesItsTestAccuracy()
    {
        DatasetParts mnist = RealData.Load("mnist");
        Dataset train = mnist.Train.Subset(Enumerable.Range(0, TrainSamples).ToArray(), "mnist/train-part");
        var options = new TrainingOptions { Epochs = 2, BatchSize = 64, Schedule = new ExponentialSchedule(0.02, 1), Seed = 1 };
        Network network = ModelZoo.Create("squeeze-mini", train.SampleShape, 10, options.Seed, options.BatchSize);
        var trainer = new Trainer(network, options);
        for (int epoch = 0; epoch < options.Epochs; epoch++) trainer.RunEpoch(train, epoch);
        double trained = trainer.Evaluate(mnist.Test).Accuracy;
        Assert.True(trained >= 0.8, $"test accuracy {trained:P2} after two epochs on {TrainSamples:N0} samples; expected at least 80%");

        using Model model = NetworkExporter.ToModel(network, new ModelMetadata());
        Assert.Equal(3, model.Layers.OfType<ConcatLayer>().Count());
        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = 500 });
        Assert.Equal(trained, RuntimeAgreement.Accuracy(session, mnist.Test));
    }
}
