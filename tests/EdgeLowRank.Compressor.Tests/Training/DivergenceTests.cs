using EdgeLowRank.Compressor.Tests.Compression;
using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Compressor.Tests.Training;

public sealed class DivergenceTests
{
    [Fact]
    public void AnEpochWhoseLossIsNotFiniteFailsInsteadOfReturningGarbage()
    {
        // `elr train --lr 1e300` logged "loss NaN", then wrote a model of NaN weights and exited 0.
        Network network = SmallProblem.TrainedNetwork();
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = 64, Threads = 1, Schedule = new ExponentialSchedule(1e300, 1) });

        var e = Assert.Throws<TrainingException>(() => trainer.RunEpoch(SmallProblem.Data.Train, 0));

        Assert.Contains("Training diverged in epoch 1", e.Message);
        Assert.Contains("lower the learning rate", e.Message);
    }

    [Fact]
    public void AnEpochWhoseOnlyStepDivergesFailsToo()
    {
        // One batch per epoch: its loss is computed before the step that ruins the weights, so the loss alone looked fine.
        Network network = SmallProblem.TrainedNetwork();
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = 64, Threads = 1, Schedule = new ExponentialSchedule(1e300, 1) });

        var e = Assert.Throws<TrainingException>(() => trainer.RunEpoch(SyntheticData.Images(64, 11, side: 8), 0));

        Assert.Contains("weights NaN or infinite", e.Message);
    }
}
