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

    private static float[][] Weights(LcResult result) => result.Network.Parameters.Select(p => p.Value.ToArray()).ToArray();

    private sealed class CallbackProgress(Action<LcStepReport> report) : IProgress<LcStepReport>
    {
        public void Report(LcStepReport value) => report(value);
    }
}
