using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Compressor.IO;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary><c>elr train --checkpoint</c>: a run killed after any epoch, or inside one, resumes to the bits of an uninterrupted
/// run (the velocity and the batch norms' running statistics included), and a checkpoint of other settings is refused.</summary>
public sealed class TrainCheckpointTests
{
    private static readonly Dataset Train = SyntheticData.Images(160, seed: 7), Test = SyntheticData.Images(40, seed: 8);

    /// <summary>Momentum, weight decay and a decaying rate, so that the velocity and the epoch's rate matter to the result.</summary>
    private static TrainingOptions Options(int threads = 1) => new()
    {
        Epochs = 3, BatchSize = 32, Schedule = new ExponentialSchedule(0.05, 0.8), Momentum = 0.9, WeightDecay = 1e-4, Seed = 5, Threads = threads,
    };

    private static Trainer NewTrainer(string model, TrainingOptions options) =>
        new(ModelZoo.Create(model, Train.SampleShape, 10, options.Seed, options.BatchSize), options);

    private static string Fingerprint(Trainer trainer, Dataset? train = null) => CheckpointedTraining.Fingerprint(trainer.Network, trainer.Options, train ?? Train, null);

    private static TrainingRun RunOnce(Trainer trainer, string? folder, bool resume, Action<TrainedEpoch>? epochDone = null,
        Func<int, IProgress<BatchProgress>?>? progressFor = null, CancellationToken token = default) =>
        CheckpointedTraining.Run(trainer, Train, Test, null, Fingerprint(trainer), folder, resume, progressFor, epochDone, token);

    /// <summary>The network's every trained array (parameters, then batch-norm statistics) after the run.</summary>
    private static float[][] State(Trainer trainer) => trainer.Network.TrainedState.Select(a => a.ToArray()).ToArray();

    [Theory]
    [InlineData("lenet300", 0)]
    [InlineData("lenet300", 1)]
    [InlineData("lenet300", 2)]  // the last epoch: the resume trains none and writes the same network
    [InlineData("resnet-mini-bn", 0)] // batch norm: its running statistics are state that is no parameter
    [InlineData("resnet-mini-bn", 1)]
    public void ARunKilledAfterAnEpochResumesToTheSameBits(string model, int killAfterEpoch)
    {
        Trainer whole = NewTrainer(model, Options());
        TrainingRun uninterrupted = RunOnce(whole, null, resume: false);
        Assert.Null(uninterrupted.SecondsBeforeResume);

        using var folder = new TempDirectory();
        // Killed by the 2-thread run, resumed by a 1-thread one: the thread count changes no bit, so it is not in the fingerprint.
        // The kill comes right after the epoch's checkpoint (after the last one too, before the model would be written).
        Trainer killed = NewTrainer(model, Options(threads: 2));
        Assert.ThrowsAny<OperationCanceledException>(() =>
            RunOnce(killed, folder.Path, resume: false, e => { if (e.Result.Epoch == killAfterEpoch) throw new OperationCanceledException(); }));
        Assert.Equal(killAfterEpoch + 1, CheckpointedTraining.CheckpointedEpochs(folder.Path));

        var shown = new List<TrainedEpoch>();
        Trainer resumedTrainer = NewTrainer(model, Options());
        TrainingRun resumed = RunOnce(resumedTrainer, folder.Path, resume: true, shown.Add);

        Assert.Equal(killAfterEpoch + 1, resumed.ResumedEpochs);
        Assert.Equal(resumed.Epochs, shown); // the checkpoint's epochs are shown first, then this process's
        Assert.Equal(uninterrupted.Epochs.Select(e => (e.Result.Epoch, e.Result.Loss, e.TestAccuracy)), resumed.Epochs.Select(e => (e.Result.Epoch, e.Result.Loss, e.TestAccuracy)));
        Assert.True(resumed.SecondsBeforeResume > 0 && resumed.Seconds >= resumed.SecondsBeforeResume);
        float[][] expected = State(whole), actual = State(resumedTrainer);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i]);
    }

    [Fact]
    public void ARunStoppedInsideAnEpochResumesFromTheEpochBefore()
    {
        Trainer whole = NewTrainer("lenet300", Options());
        RunOnce(whole, null, resume: false);

        using var folder = new TempDirectory();
        using var kill = new CancellationTokenSource();
        // Stopped at the third batch of the second epoch: its first batches' steps are in the weights, not in the checkpoint.
        var stopper = new Progress(b => { if (b.Epoch == 1 && b.Batch == 3) kill.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => RunOnce(NewTrainer("lenet300", Options()), folder.Path, resume: false, progressFor: _ => stopper, token: kill.Token));
        Assert.Equal(1, CheckpointedTraining.CheckpointedEpochs(folder.Path));

        Trainer resumed = NewTrainer("lenet300", Options());
        RunOnce(resumed, folder.Path, resume: true);
        Assert.Equal(State(whole), State(resumed));
    }

    /// <summary>Each refusal names what differs and nothing else ("); " ends the list); the data's digest is a hash, so that
    /// row checks its start.</summary>
    [Theory]
    [InlineData("seed", "--seed 5 there, 6 here); ")]
    [InlineData("batch", "--batch 32 there, 16 here); ")]
    [InlineData("epochs", "--epochs 3 there, 4 here); ")]
    [InlineData("lr", "--lr/--lr-decay/--lr-step exponential 0.05·0.8^epoch there, exponential 0.05·0.9^epoch here); ")]
    [InlineData("model", "--model lenet300 there, lenet5 here); ")]
    [InlineData("data", "--dataset (the training samples) synthetic, 160 training samples, xxh64 ")]
    public void ACheckpointOfOtherSettingsIsRefusedNamingWhatDiffers(string changed, string named)
    {
        using var folder = new TempDirectory();
        using var kill = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            RunOnce(NewTrainer("lenet300", Options()), folder.Path, resume: false, _ => kill.Cancel(), token: kill.Token));

        TrainingOptions options = changed switch
        {
            "seed" => Options() with { Seed = 6 },
            "batch" => Options() with { BatchSize = 16 },
            "epochs" => Options() with { Epochs = 4 },
            "lr" => Options() with { Schedule = new ExponentialSchedule(0.05, 0.9) },
            _ => Options(),
        };
        Trainer other = NewTrainer(changed == "model" ? "lenet5" : "lenet300", options);
        Dataset train = changed == "data" ? SyntheticData.Images(160, seed: 70) : Train;
        var e = Assert.Throws<TrainingException>(() =>
            CheckpointedTraining.Run(other, train, Test, null, CheckpointedTraining.Fingerprint(other.Network, other.Options, train, null), folder.Path, resume: true));
        Assert.StartsWith($"The checkpoint in {folder.Path} belongs to another run ({named}", e.Message);
        Assert.Equal(e.Message, Assert.Throws<TrainingException>(() =>
            CheckpointedTraining.RequireResumable(CheckpointedTraining.Fingerprint(other.Network, other.Options, train, null), folder.Path)).Message);
    }

    [Fact]
    public void AResumeWithOtherRanksNamesTheRanksAloneNotTheParameterCountTheyChange()
    {
        using var folder = new TempDirectory();
        using var kill = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            RunOnce(NewTrainer("lenet300", Options()), folder.Path, resume: false, _ => kill.Cancel(), token: kill.Token));

        var ranked = new Trainer(ModelZoo.Create("lenet300", Train.SampleShape, 10, 5, 32, new Dictionary<string, int> { ["fc1"] = 19 }), Options());
        var e = Assert.Throws<TrainingException>(() => RunOnce(ranked, folder.Path, resume: true));

        Assert.StartsWith($"The checkpoint in {folder.Path} belongs to another run (--ranks none there, fc1=19 here); ", e.Message);
    }

    [Fact]
    public void ADamagedCheckpointIsRefused()
    {
        using var folder = new TempDirectory();
        using var kill = new CancellationTokenSource();
        Trainer trainer = NewTrainer("lenet300", Options());
        Assert.ThrowsAny<OperationCanceledException>(() => RunOnce(trainer, folder.Path, resume: false, _ => kill.Cancel(), token: kill.Token));
        string file = CheckpointedTraining.CheckpointFile(folder.Path);
        Assert.Equal("train-checkpoint.bin", Path.GetFileName(file));
        byte[] bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(file, bytes);
        var e = Assert.Throws<CheckpointFormatException>(() => RunOnce(NewTrainer("lenet300", Options()), folder.Path, resume: true));
        Assert.Contains("is damaged (its CRC-64 does not match its content)", e.Message);
    }

    private sealed class Progress(Action<BatchProgress> report) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => report(value);
    }
}
