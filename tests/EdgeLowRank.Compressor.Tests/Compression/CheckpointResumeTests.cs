using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Compression;

public sealed class CheckpointResumeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(5)]
    public void AKilledRunResumesToTheSameBits(int killAfterStep)
    {
        LcOptions options = SmallProblem.Options(FactorizationMethod.Cur, 1e-4) with { Steps = 5 };
        float[][] uninterrupted = Weights(LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options));

        using var folder = new TempDirectory();
        using var kill = new CancellationTokenSource();
        var killer = new CallbackProgress(r => { if (r.Step == killAfterStep - 1) kill.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path, resume: false, killer, kill.Token));
        LcResult resumed = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path, resume: true);

        Assert.Equal(6, resumed.Steps.Count);
        float[][] after = Weights(resumed);
        Assert.Equal(uninterrupted.Length, after.Length);
        for (int i = 0; i < after.Length; i++) Assert.Equal(uninterrupted[i], after[i]);
    }

    [Fact]
    public void ACheckpointOfOtherSettingsIsRefused()
    {
        using var folder = new TempDirectory();
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { Steps = 1, FinetuneEpochs = 0 };
        LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path);
        var e = Assert.Throws<CompressionException>(() => LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data,
            options with { Lambda = 2e-4 }, folder.Path, resume: true));
        Assert.Contains("another run", e.Message);
    }

    public static TheoryData<string> RunShapingChanges => ["batch", "momentum", "stop-tolerance", "epochs", "seed", "selection"];

    [Theory]
    [MemberData(nameof(RunShapingChanges))]
    public void EverySettingThatShapesTheRunChangesTheFingerprint(string setting)
    {
        LcOptions options = SmallProblem.Options(FactorizationMethod.Cur, 1e-4);
        LcOptions other = setting switch
        {
            "batch" => options with { BatchSize = options.BatchSize * 2 },
            "momentum" => options with { Momentum = 0.5 },
            "stop-tolerance" => options with { StopTolerance = 1e-3 },
            "epochs" => options with { EpochsPerStep = options.EpochsPerStep + 1 },
            "seed" => options with { Seed = options.Seed + 1 },
            _ => options with { Cur = options.Cur with { Selection = CurSelection.Deim } },
        };
        Assert.NotEqual(options.CheckpointFingerprint(), other.CheckpointFingerprint());
    }

    [Fact]
    public void SettingsThatAreOffThreadsAndTheFineTuneLeaveTheFingerprintAlone()
    {
        // So a checkpoint stays resumable when a later version adds a setting that is off by default.
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4);
        LcOptions other = options with
        {
            Threads = options.Threads + 1, DistillationTemperature = options.DistillationTemperature + 1, Cur = options.Cur with { Selection = CurSelection.Deim },
            FinetuneEpochs = options.FinetuneEpochs + 3, FinetuneLearningRate = 0.5,
        };
        Assert.Equal(options.CheckpointFingerprint(), other.CheckpointFingerprint());
        Assert.DoesNotContain("none", options.CheckpointFingerprint());
        Assert.NotEqual(options.CheckpointFingerprint(), (options with { DistillationWeight = 0.3 }).CheckpointFingerprint());
    }

    [Fact]
    public void AFinishedCheckpointCanBeFineTunedAgainWithOtherSettings()
    {
        using var folder = new TempDirectory();
        LcOptions options = SmallProblem.Options(FactorizationMethod.Cur, 1e-4) with { Steps = 3, FinetuneEpochs = 0 };
        LcResult first = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path);
        LcOptions other = options with { FinetuneEpochs = 2, FinetuneLearningRate = 0.02, FinetuneLearningRateDecay = 0.5, FinetuneWeightDecay = 1e-4 };
        LcResult again = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, other, folder.Path, resume: true);
        LcResult direct = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, other);

        Assert.Equal(first.Steps.Count, again.Steps.Count);
        Assert.Equal(first.AccuracyBeforeFinetune, again.AccuracyBeforeFinetune);
        float[][] resumed = Weights(again), uninterrupted = Weights(direct);
        for (int i = 0; i < resumed.Length; i++) Assert.Equal(uninterrupted[i], resumed[i]);
    }

    private static float[][] Weights(LcResult result) => result.Network.Parameters.Select(p => p.Value.ToArray()).ToArray();

    private sealed class CallbackProgress(Action<LcStepReport> report) : IProgress<LcStepReport>
    {
        public void Report(LcStepReport value) => report(value);
    }
}
