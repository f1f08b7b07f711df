using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>The engine learns real data: a short fixed-seed LeNet-300-100 run on MNIST.</summary>
public sealed class MnistTrainingTests
{
    [RealDataFact("mnist")]
    public void LeNet300ReachesNinetySixPercentInTwoEpochs()
    {
        DatasetParts mnist = RealData.Load("mnist");
        var options = new TrainingOptions { Epochs = 2, BatchSize = 128, Schedule = new ExponentialSchedule(0.1, 0.9), Seed = 1 };
        var trainer = new Trainer(ModelZoo.Create("lenet300", mnist.Train.SampleShape, 10, options.Seed, options.BatchSize), options);
        for (int epoch = 0; epoch < options.Epochs; epoch++) trainer.RunEpoch(mnist.Train, epoch);
        double accuracy = trainer.Evaluate(mnist.Test).Accuracy;
        Assert.True(accuracy >= 0.96, $"test accuracy {accuracy:P2} after two epochs; expected at least 96%");
    }
}
