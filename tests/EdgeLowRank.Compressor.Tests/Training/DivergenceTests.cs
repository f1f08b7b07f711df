using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Tests.Compression;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

public sealed class DivergenceTests
{
    [Fact]
    public void AnEpochWhoseLossIsNotFiniteFailsInsteadOfReturningGarbage()
    {
        // `elr train --lr 1e300` logged "loss NaN", then wrote a model of NaN weights and exited 0.
        Network network = SmallProblem.TrainedNetwork();
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = 64, Threads = 1, Schedule = new ExponentialSchedule(1e300, 1) });

        var e = Assert.Throws<TrainingDivergedException>(() => trainer.RunEpoch(SmallProblem.Data.Train, 0));

        Assert.Contains("Training diverged in epoch 1", e.Message);
        Assert.Contains("lower the learning rate", e.Message);
    }

    [Fact]
    public void AnEpochWhoseOnlyStepDivergesFailsToo()
    {
        // One batch per epoch: its loss is computed before the step that ruins the weights, so the loss alone looked fine.
        Network network = SmallProblem.TrainedNetwork();
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = 64, Threads = 1, Schedule = new ExponentialSchedule(1e300, 1) });

        var e = Assert.Throws<TrainingDivergedException>(() => trainer.RunEpoch(SyntheticData.Images(64, 11, side: 8), 0));

        Assert.Contains("weights NaN or infinite", e.Message);
    }

    [Fact]
    public void AnEpochWhoseLossBlewUpWithFiniteWeightsFailsToo()
    {
        // LeNet-5's L step with label smoothing at rate 0.1 ended at a mean loss of 7E+16 with every weight finite, and the
        // run wrote that network. Here the classifier's weights are a million times too large and the rate too small to
        // change them: the loss is finite and absurd.
        Network network = SmallProblem.TrainedNetwork();
        BlowUp(network);
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = 64, Threads = 1, Schedule = new ExponentialSchedule(1e-30, 1) });

        var e = Assert.Throws<TrainingDivergedException>(() => trainer.RunEpoch(SmallProblem.Data.Train, 0));

        Assert.Contains("Training diverged in epoch 1, batch 1 of 8 (loss", e.Message);
        Assert.Contains("more than 100 times the 2.3 of guessing uniformly over 10 classes", e.Message);
    }

    [Fact]
    public void AnLStepWhoseLossBlewUpWithFiniteWeightsStopsTheRun()
    {
        Network network = SmallProblem.TrainedNetwork();
        BlowUp(network);

        var e = Assert.Throws<LStepDivergedException>(() => LearningCompression.Run(network, SmallProblem.Data,
            SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { LearningRate = 1e-30 }));

        Assert.StartsWith("The L step of LC step 0 diverged in its batch 1 (loss", e.Message);
        Assert.EndsWith("lower --lr.", e.Message);
    }

    [Fact]
    public void AnEpochWhoseLastStepBlowsUpTheWeightsWithoutOverflowFails()
    {
        // One batch per epoch, at a rate that moves the weights by up to a million but keeps them finite: the only batch's
        // loss is computed before that step and is fine, and no weight is NaN. Only the loss the step leaves shows it.
        Network network = SmallProblem.TrainedNetwork();
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = 64, Threads = 1, Schedule = new ExponentialSchedule(1e6, 1) });

        var e = Assert.Throws<TrainingDivergedException>(() => trainer.RunEpoch(SyntheticData.Images(64, 11, side: 8), 0));

        Assert.StartsWith("Training diverged after the last step of epoch 1, judged on the data's first batch (loss", e.Message);
        Assert.Null(network.FirstNonFinite());
    }

    [Fact]
    public void AnLStepWhoseLastStepBlowsUpTheWeightsStopsTheRunBeforeItsCStep()
    {
        // One batch per L step: the same blow-up as above, which the C step would otherwise factorize.
        Network network = SmallProblem.TrainedNetwork();

        var e = Assert.Throws<LStepDivergedException>(() => LearningCompression.Run(network, SmallProblem.Data,
            SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { BatchSize = SmallProblem.Data.Train.Count, LearningRate = 1e6 }));

        Assert.StartsWith("The L step of LC step 0 diverged after its last step, judged on the training set's first batch (loss", e.Message);
        Assert.Null(network.FirstNonFinite());
    }

    [Fact]
    public void DistillationAtTheHighestTemperatureIsNotMistakenForDivergence()
    {
        // The largest α and T the CLI takes: α·T²·KL must stay a loss of a network that learns, far inside the limit.
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { DistillationWeight = 1, DistillationTemperature = 100, Steps = 3 };

        LcResult result = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options);

        LcStepReport[] lSteps = result.Steps.Where(s => s.Step >= 0).ToArray(); // the direct compression has no L step
        Assert.Equal(3, lSteps.Length);
        Assert.All(lSteps, s => Assert.InRange(s.Loss, 0, DivergenceSign.LossLimit(10) / 10));
    }

    [Fact]
    public void TheLossLimitIsAHundredUniformGuesses()
    {
        Assert.Equal(100 * Math.Log(10), DivergenceSign.LossLimit(10), 12);
        // A trained network's loss, and an untrained one's (about ln 10), are far inside it.
        Network network = SmallProblem.TrainedNetwork();
        Assert.Null(DivergenceSign.Of(Math.Log(10), network));
        Assert.NotNull(DivergenceSign.Of(DivergenceSign.LossLimit(10) * 1.01, network));
    }

    /// <summary>Scales the last layer's weights by 1e6: finite, but its logits are a million times too large.</summary>
    private static void BlowUp(Network network)
    {
        float[] classifier = network.Parameters.Last(p => p.Decays).Value;
        for (int i = 0; i < classifier.Length; i++) classifier[i] *= 1e6f;
    }
}
