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
        CheckpointedTraining.Run(trainer, Train, Test, null, Fingerprint(trainer), folder, resume ? CheckpointedTraining.Read(folder!) : null, progressFor, epochDone, token);

    /// <summary>The network's every trained array (parameters, then batch-norm statistics) after the run.</summary>
    private static float[][] State(Trainer trainer) => trainer.Network.TrainedState.Select(a => a.ToArray()).ToArray();

    /// <summary><see cref="State"/> as the bits of each value, so that even −0 and +0 differ.</summary>
    private static int[][] Bits(Trainer trainer) => [.. State(trainer).Select(a => a.Select(BitConverter.SingleToInt32Bits).ToArray())];

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

    [Fact]
    public void ACheckpointIsReadOnceForItsChecksAndTheResume()
    {
        Trainer whole = NewTrainer("lenet300", Options());
        RunOnce(whole, null, resume: false);
        using var folder = new TempDirectory();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            RunOnce(NewTrainer("lenet300", Options()), folder.Path, resume: false, e => { if (e.Result.Epoch == 0) throw new OperationCanceledException(); }));

        SavedTraining saved = CheckpointedTraining.Read(folder.Path);
        Trainer resumed = NewTrainer("lenet300", Options());
        Assert.Equal(1, CheckpointedTraining.RequireResumable(Fingerprint(resumed), saved, resumed.Options.Epochs));
        // elr train checks it before and after the data is loaded, then resumes it: from what was read, not from the file again.
        File.Delete(CheckpointedTraining.CheckpointFile(folder.Path));
        TrainingRun run = CheckpointedTraining.Run(resumed, Train, Test, null, Fingerprint(resumed), folder.Path, saved);

        Assert.Equal(1, run.ResumedEpochs);
        Assert.Equal(State(whole), State(resumed));
    }

    /// <summary>Each refusal names what differs and nothing else ("); " ends the list); the data's digest is a hash, so that
    /// row checks its start.</summary>
    [Theory]
    [InlineData("seed", "--seed 5 there, 6 here); ")]
    [InlineData("batch", "--batch 32 there, 16 here); ")]
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
            "lr" => Options() with { Schedule = new ExponentialSchedule(0.05, 0.9) },
            _ => Options(),
        };
        Trainer other = NewTrainer(changed == "model" ? "lenet5" : "lenet300", options);
        Dataset train = changed == "data" ? SyntheticData.Images(160, seed: 70) : Train;
        var e = Assert.Throws<TrainingException>(() =>
            CheckpointedTraining.Run(other, train, Test, null, CheckpointedTraining.Fingerprint(other.Network, other.Options, train, null), folder.Path, CheckpointedTraining.Read(folder.Path)));
        Assert.StartsWith($"The checkpoint in {folder.Path} belongs to another run ({named}", e.Message);
        Assert.Equal(e.Message, Assert.Throws<TrainingException>(() =>
            CheckpointedTraining.RequireResumable(CheckpointedTraining.Fingerprint(other.Network, other.Options, train, null), CheckpointedTraining.Read(folder.Path), other.Options.Epochs)).Message);
        // Before the data is loaded, the settings alone: every other difference is found, the training samples' is left for later.
        string settings = CheckpointedTraining.Settings(other.Network, other.Options, null);
        if (changed == "data") Assert.Equal(1, CheckpointedTraining.RequireResumable(settings, CheckpointedTraining.Read(folder.Path), other.Options.Epochs));
        else Assert.Equal(e.Message, Assert.Throws<TrainingException>(() => CheckpointedTraining.RequireResumable(settings, CheckpointedTraining.Read(folder.Path), other.Options.Epochs)).Message);
    }

    [Fact]
    public void TheSettingsAreTheFingerprintWithoutTheTrainingSamplesAndWithoutTheEpochsOrThreads()
    {
        Trainer trainer = NewTrainer("lenet300", Options());
        string settings = CheckpointedTraining.Settings(trainer.Network, trainer.Options, 0.25);

        Assert.Equal(settings + "\ndataset=synthetic, 160 training samples, xxh64 ", CheckpointedTraining.Fingerprint(trainer.Network, trainer.Options, Train, 0.25)[..^16]);
        Assert.Equal(settings, CheckpointedTraining.Settings(trainer.Network, trainer.Options with { Epochs = 30, Threads = 2 }, 0.25));
        Assert.StartsWith("model=lenet300\nranks=none\ninput=28×28×1 images, 10 classes\nvalidation=0.25\ntrain.batch=32\n", settings);
        // Run writes the whole fingerprint into the checkpoint, so the training samples are always compared on a resume.
        Assert.Throws<ArgumentException>(() => CheckpointedTraining.Run(trainer, Train, Test, null, settings, null, null));
    }

    [Theory]
    [InlineData("lenet300", "exponential")]
    [InlineData("lenet300", "step")]
    [InlineData("resnet-mini-bn", "exponential")]
    public void AFinishedRunResumedWithMoreEpochsEndsWithTheBitsOfAnUninterruptedLongerRun(string model, string schedule)
    {
        // Neither schedule reads the total: the rate of an epoch is the same in a run of 2 epochs and in one of 4.
        LearningRateSchedule rate = schedule == "step" ? new StepSchedule(0.05, 0.5, 2) : new ExponentialSchedule(0.05, 0.8);
        TrainingOptions four = Options() with { Epochs = 4, Schedule = rate };
        Trainer whole = NewTrainer(model, four);
        TrainingRun uninterrupted = RunOnce(whole, null, resume: false);

        using var folder = new TempDirectory();
        RunOnce(NewTrainer(model, four with { Epochs = 2 }), folder.Path, resume: false); // finished: its checkpoint holds its 2 epochs
        Trainer longer = NewTrainer(model, four);
        TrainingRun resumed = RunOnce(longer, folder.Path, resume: true);

        Assert.Equal(2, resumed.ResumedEpochs);
        Assert.Equal(4, CheckpointedTraining.CheckpointedEpochs(folder.Path));
        Assert.Equal(uninterrupted.Epochs.Select(e => (e.Result.Epoch, e.Result.LearningRate, e.Result.Loss, e.TestAccuracy)),
            resumed.Epochs.Select(e => (e.Result.Epoch, e.Result.LearningRate, e.Result.Loss, e.TestAccuracy)));
        Assert.Equal(Bits(whole), Bits(longer));
    }

    [Fact]
    public void AResumeWithFewerEpochsThanTheCheckpointHoldsIsRefusedSayingWhatToDo()
    {
        using var folder = new TempDirectory();
        RunOnce(NewTrainer("lenet300", Options()), folder.Path, resume: false);

        var e = Assert.Throws<TrainingException>(() => RunOnce(NewTrainer("lenet300", Options() with { Epochs = 2 }), folder.Path, resume: true));

        Assert.Equal($"The checkpoint in {folder.Path} holds 3 finished epochs, more than --epochs 2, and only the network after its last: "
            + "give --epochs 3 to write that network (or more to train on from it), or start the 2-epoch run in another --checkpoint folder.", e.Message);
        Assert.Equal(3, CheckpointedTraining.CheckpointedEpochs(folder.Path)); // left as it was
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

    /// <summary>A crafted checkpoint whose CRC-64 matches but whose counts the file cannot hold is refused as damaged before
    /// anything of their size is allocated (0x7FFFFFC0 arrays made an OutOfMemoryException, −5 an OverflowException: exit 70).</summary>
    [Theory]
    [InlineData(new[] { 0x7FFFFFC0 }, "its array count at byte 40 is 2,147,483,584, more than the 0 bytes left before its CRC-64 can hold at 4 bytes each")]
    [InlineData(new[] { -5 }, "its array count at byte 40 is -5, a negative count")]
    [InlineData(new[] { 1, 0x7FFFFFC0 }, "its length of array 0 at byte 44 is 2,147,483,584, more than the 0 bytes left before its CRC-64 can hold at 4 bytes each")]
    [InlineData(new[] { 0, 0, -1 }, "its epoch count at byte 48 is -1, a negative count")]
    [InlineData(new[] { 0, 0, 2, 0 }, "its epoch count at byte 48 is 2, more than the 4 bytes left before its CRC-64 can hold at 53 bytes each")]
    public void ACheckpointWithAMatchingCrcAndACountTheFileCannotHoldIsRefusedAsDamaged(int[] counts, string fault)
    {
        using var folder = new TempDirectory();
        string path = TrainCheckpoint.PathIn(folder.Path);
        var kind = new CheckpointFile.Kind("ELR-TRAIN-CHECKPOINT", TrainCheckpoint.Version, "an elr train checkpoint", "train checkpoint version");
        CheckpointFile.Write(path, kind, writer =>
        {
            writer.Write(1);      // completed epochs
            writer.Write("fp");   // fingerprint
            writer.Write(1.0);    // seconds
            foreach (int count in counts) writer.Write(count);
        });

        var e = Assert.Throws<CheckpointFormatException>(() => TrainCheckpoint.Load(folder.Path));
        Assert.Equal($"{path} is a damaged checkpoint ({fault}); delete it to start over, or give another --checkpoint folder.", e.Message);
    }

    [Fact]
    public void ACheckpointMarkedVersion1IsRefusedAsWrittenByAnOlderElrBeforeItsFingerprintIsRead()
    {
        using var folder = new TempDirectory();
        RunOnce(NewTrainer("lenet300", Options()), folder.Path, resume: false);
        string file = CheckpointedTraining.CheckpointFile(folder.Path);
        byte[] bytes = File.ReadAllBytes(file);
        // The version follows the magic "ELR-TRAIN-CHECKPOINT" and its length byte; it is read before the CRC is checked.
        Assert.Equal(2, BitConverter.ToInt32(bytes, 21));
        BitConverter.GetBytes(1).CopyTo(bytes, 21);
        File.WriteAllBytes(file, bytes);

        var e = Assert.Throws<CheckpointFormatException>(() => RunOnce(NewTrainer("lenet300", Options()), folder.Path, resume: true));
        Assert.Contains("was written by an older elr (train checkpoint version 1; this one reads version 2), so it cannot be resumed", e.Message);
    }

    private sealed class Progress(Action<BatchProgress> report) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => report(value);
    }
}
