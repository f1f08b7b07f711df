using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>The schedule settings added to tune LeNet-300-100: ratio warm-up, weight decay, fine-tune decay, kept velocity.</summary>
public sealed class ScheduleOptionTests
{
    [Fact]
    public void RatioWarmupRisesGeometricallyToTheTarget()
    {
        var options = new LcOptions { TargetRatio = 16, RatioWarmupSteps = 3 };
        Assert.Equal(2.0, options.TargetRatioAt(-1)!.Value, 12);   // 16^(1/4)
        Assert.Equal(4.0, options.TargetRatioAt(0)!.Value, 12);    // 16^(2/4)
        Assert.Equal(8.0, options.TargetRatioAt(1)!.Value, 12);
        Assert.Equal(16.0, options.TargetRatioAt(2)!.Value, 12);
        Assert.Equal(16.0, options.TargetRatioAt(30)!.Value, 12);
        Assert.Equal(8.0, options.ForStep(1).TargetRatio!.Value, 12);
    }

    [Fact]
    public void WithoutWarmupOrTargetTheOptionsAreUnchanged()
    {
        var fixedLambda = new LcOptions { Lambda = 1e-4, RatioWarmupSteps = 5 };
        Assert.Same(fixedLambda, fixedLambda.ForStep(0));
        Assert.Null(fixedLambda.TargetRatioAt(0));
        var noWarmup = new LcOptions { TargetRatio = 10 };
        Assert.Same(noWarmup, noWarmup.ForStep(-1));
        Assert.Equal(10.0, noWarmup.TargetRatioAt(-1));
    }

    [Fact]
    public void TheFineTuneStartsWhereTheLStepsRatesEndUnlessItsRateIsGiven()
    {
        var options = new LcOptions { LearningRate = 0.02, LearningRateDecay = 0.93, Steps = 35, FinetuneEpochs = 2, FinetuneLearningRateDecay = 0.9 };
        double last = 0.02 * Math.Pow(0.93, 34);

        Assert.Equal(last, options.FinetuneFirstRate, 15);
        Assert.Equal(last * 0.9, Finetuning.TrainingOptions(options).Schedule.RateAt(1), 15);
        Assert.Equal(0.005, (options with { FinetuneLearningRate = 0.005 }).FinetuneFirstRate);
        Assert.Contains("2 epochs, lr 0.005·0.9^e, ", (options with { FinetuneLearningRate = 0.005 }).ToProperties().Single(p => p.Key == "compress.finetune").Value);
        // The derived rate is stated to four digits (0.001696, not 0.0016960952836170735), with where it comes from; one epoch is singular.
        Assert.Contains("1 epoch, lr 0.001696·0.9^e (the default, from the L steps' schedule), ",
            (options with { FinetuneEpochs = 1 }).ToProperties().Single(p => p.Key == "compress.finetune").Value);
        Assert.Throws<CompressionException>(() => (options with { FinetuneLearningRate = 0 }).Validate());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(20)]
    public void A_shorter_schedules_fine_tune_starts_where_the_default_schedules_L_steps_end(int steps)
    {
        // At 0.1·0.93³ = 0.08, where 4 steps end, five epochs took the digits MLP at 8× from 18.66% to 79.67%.
        var options = new LcOptions { Steps = steps, FinetuneEpochs = 5 };
        Assert.Equal(0.1 * Math.Pow(0.93, 34), options.FinetuneFirstRate, 15);
        Assert.Equal(0.1 * Math.Pow(0.93, 59), (options with { Steps = 60 }).FinetuneFirstRate, 15);
        // A steep decay of the run's own is not applied 34 times (0.1·0.5³⁴ would be no rate): the fine-tune starts where its
        // steps end, or at the default schedule's end if that is lower (0.0125 after 4 steps, 1.9e-7 after 20).
        Assert.Equal(Math.Min(0.1 * Math.Pow(0.5, steps - 1), 0.1 * Math.Pow(0.93, 34)), (options with { LearningRateDecay = 0.5 }).FinetuneFirstRate, 15);
    }

    [Fact]
    public void BadScheduleNumbersAreRefused()
    {
        Assert.Throws<CompressionException>(() => new LcOptions { WeightDecay = -1e-4 }.Validate());
        Assert.Throws<CompressionException>(() => new LcOptions { FinetuneWeightDecay = double.NaN }.Validate());
        Assert.Throws<CompressionException>(() => new LcOptions { FinetuneLearningRateDecay = 0 }.Validate());
        Assert.Throws<CompressionException>(() => new LcOptions { FinetuneLearningRateDecay = 1.5 }.Validate());
        Assert.Throws<CompressionException>(() => new LcOptions { RatioWarmupSteps = -1 }.Validate());
        // Each of these once ran: the warm-up never reached the target, μ overflowed to ∞ ("diverged, lower --lr"), a layer was named twice.
        Assert.Contains("longer than the run", Assert.Throws<CompressionException>(() => new LcOptions { RatioWarmupSteps = 99, Steps = 2 }.Validate()).Message);
        Assert.Contains("beyond the single-precision range", Assert.Throws<CompressionException>(() => new LcOptions { MuGrowth = 1e300 }.Validate()).Message);
        // Finite as a double, infinite as the float the L step uses: it once failed deep in the C step's eigensolver.
        Assert.Contains("beyond the single-precision range", Assert.Throws<CompressionException>(() => new LcOptions { Mu0 = 1e40 }.Validate()).Message);
        new LcOptions { Mu0 = 1e30 }.Validate();
        Assert.Contains("fc1 more than once", Assert.Throws<CompressionException>(() => new LcOptions { KeepDense = ["fc1", "fc1"] }.Validate()).Message);
        new LcOptions { RatioWarmupSteps = 35, Steps = 35 }.Validate();
    }

    [Fact]
    public void WarmedUpRunStillMeetsTheTargetRatio()
    {
        LcResult result = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data,
            SmallProblem.Options(FactorizationMethod.Svd, 0) with { TargetRatio = 3, MaxRelativeError = 0.95, RatioWarmupSteps = 4 });
        Assert.True(result.Steps[0].StorageRatio < result.Steps[^1].StorageRatio, $"DC ratio {result.Steps[0].StorageRatio}");
        Assert.InRange(result.Steps[^1].StorageRatio, 3 * 0.95, 3 * 1.05);
    }

    [Theory]
    [InlineData(FactorizationMethod.Svd)]
    [InlineData(FactorizationMethod.Cur)]
    public void KeptVelocityAndWeightDecayStillCloseTheGap(FactorizationMethod method)
    {
        LcResult result = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data,
            SmallProblem.Options(method, 1e-4) with { KeepVelocity = true, WeightDecay = 1e-4, FinetuneWeightDecay = 1e-4, FinetuneLearningRateDecay = 0.8 });
        double first = result.Steps[1].ConstraintGap, last = result.FinalConstraintGap;
        Assert.True(last < 0.05 * first, $"‖W−Θ‖² went from {first} to {last}");
        Assert.True(result.FinalRelativeGap < 1e-2, $"relative gap {result.FinalRelativeGap}");
        Assert.True(result.Accuracy >= result.ReferenceAccuracy - 0.1, $"accuracy {result.Accuracy}, reference {result.ReferenceAccuracy}");
    }

    [Fact]
    public void KeptVelocityChangesTheTrajectory()
    {
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { Steps = 4, FinetuneEpochs = 0 };
        double fresh = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options).FinalConstraintGap;
        double kept = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options with { KeepVelocity = true }).FinalConstraintGap;
        Assert.NotEqual(fresh, kept);
    }

    [Fact]
    public void ALayerKeptDenseIsTrainedWithoutPenalty()
    {
        // λ = 0 keeps every layer dense, so one L step must be exactly one plain training epoch.
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 0) with { Steps = 1, FinetuneEpochs = 0, MinRankSaving = 0 };
        LcResult result = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options);
        Assert.All(result.Steps, r => Assert.All(r.Ranks, rank => Assert.Equal(-1, rank)));

        Network plain = SmallProblem.TrainedNetwork();
        new Trainer(plain, new TrainingOptions
        {
            BatchSize = options.BatchSize, Momentum = options.Momentum, WeightDecay = options.WeightDecay, Seed = options.Seed,
            Threads = 1, Schedule = new ExponentialSchedule(options.LearningRate, 1),
        }).RunEpoch(SmallProblem.Data.Train, 0);
        float[][] expected = plain.Parameters.Select(p => p.Value.ToArray()).ToArray();
        float[][] actual = result.Network.Parameters.Select(p => p.Value.ToArray()).ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i]);
    }

    [Fact]
    public void ADivergingLStepStopsWithAClearError()
    {
        var e = Assert.Throws<LStepDivergedException>(() => LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data,
            SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { LearningRate = 1e30 }));
        Assert.Contains("diverged", e.Message);
    }
}
