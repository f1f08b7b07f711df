using System.Diagnostics;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.IO;
using EdgeLowRank.Compressor.Models;

namespace EdgeLowRank.Compressor.Training;

/// <summary>One finished epoch: its result, the test accuracy after it, and the held-out accuracy (null without --validation).</summary>
public sealed record TrainedEpoch(EpochResult Result, double TestAccuracy, double? ValidationAccuracy);

/// <summary>A training run's epochs and time.</summary>
/// <param name="Epochs">Every epoch of the run, the checkpoint's first when it was resumed.</param>
/// <param name="Seconds">The whole run's seconds, the processes before a resume included.</param>
/// <param name="SecondsBeforeResume">The seconds the checkpoint's epochs took; null for a run that did not resume.</param>
/// <param name="ResumedEpochs">The epochs the checkpoint held (0 without a resume).</param>
/// <param name="TestPartChanged">When the test part differs from the one the checkpoint's epochs were scored on: both, as
/// "NAME, COUNT test samples, xxh64 … there, … here"; else null.</param>
public sealed record TrainingRun(IReadOnlyList<TrainedEpoch> Epochs, double Seconds, double? SecondsBeforeResume, int ResumedEpochs, string? TestPartChanged = null);

/// <summary>A training checkpoint as <see cref="CheckpointedTraining.Read"/> read it, once: checked before and after the data
/// is loaded and then resumed without reading the file again (a LeNet-300-100 checkpoint is 2 MB, and each read checks its CRC).</summary>
public sealed class SavedTraining
{
    internal SavedTraining(TrainCheckpoint checkpoint, string directory)
    {
        Checkpoint = checkpoint;
        Directory = directory;
    }

    internal TrainCheckpoint Checkpoint { get; }

    /// <summary>The folder it was read from, as the messages name it.</summary>
    public string Directory { get; }

    /// <summary>The finished epochs it holds.</summary>
    public int CompletedEpochs => Checkpoint.CompletedEpochs;
}

/// <summary>
/// The epochs of <c>elr train</c>, with a checkpoint after each (<see cref="TrainCheckpoint"/>) when given a folder, and a
/// resume from it that ends with the weights an uninterrupted run of the same settings ends with, bit for bit.
/// </summary>
public static class CheckpointedTraining
{
    /// <summary>The checkpoint's file name: not elr compress's lc-checkpoint.bin, so neither command takes the other's folder for its own.</summary>
    public const string CheckpointFileName = TrainCheckpoint.FileName;

    /// <summary>The file in <paramref name="directory"/> that holds the checkpoint.</summary>
    public static string CheckpointFile(string directory) => TrainCheckpoint.PathIn(directory);

    /// <summary>Whether <paramref name="directory"/> holds a training checkpoint file, read or not.</summary>
    public static bool HasCheckpoint(string directory) => File.Exists(CheckpointFile(directory));

    /// <summary>
    /// What fixes the run: <see cref="Settings"/>, then the training part as loaded, before any --validation split (the split
    /// follows from it, the share and the seed), by name, count and a digest of its pixels and labels, so another data set of
    /// the same name is not taken for it. One "key=value" per line, so a refusal names what differs.
    /// </summary>
    /// <param name="network">The network trained (its architecture is in <see cref="Settings"/>).</param>
    /// <param name="options">The training settings.</param>
    /// <param name="train">The training part as loaded, before any split.</param>
    /// <param name="validationShare">The share held out, or null.</param>
    /// <param name="test">The test part the epochs are scored on, when given: its line names it but refuses no resume (it
    /// changes no weight), and a resume on another test part is told of (<see cref="TrainingRun.TestPartChanged"/>).</param>
    public static string Fingerprint(Network network, TrainingOptions options, Dataset train, double? validationShare, Dataset? test = null) =>
        Settings(network, options, validationShare) + $"\n{DataKey}={Described(train, "training")}" + (test is null ? "" : $"\n{TestKey}={Described(test, "test")}");

    /// <summary>A part of a data set by name, count and the XxHash64 of its pixels and labels.</summary>
    private static string Described(Dataset part, string kind)
    {
        var hash = new XxHash64();
        hash.Append(MemoryMarshal.AsBytes(part.Pixels.Span));
        hash.Append(part.Labels.Span);
        return $"{part.Name}, {part.Count} {kind} samples, xxh64 {Convert.ToHexStringLower(hash.GetCurrentHash())}";
    }

    /// <summary>
    /// The part of <see cref="Fingerprint"/> known before the data is loaded, so that a checkpoint of other settings is refused
    /// without waiting for the data: the architecture (its name, --ranks, and the input shape and classes the data set gives
    /// it; the parameter count follows from these and would only repeat a difference), the held-out share, and every setting
    /// of <see cref="TrainingOptions.ToProperties"/> but two that change no finished epoch. The thread count changes no bit
    /// (<see cref="ShardedStep"/>, <see cref="NesterovSgd"/>). The epochs change none of the first epochs: an epoch's rate is the
    /// schedule's at that epoch (<see cref="ExponentialSchedule"/> and <see cref="StepSchedule"/> read no total) and its order
    /// is drawn from the seed and the epoch, so N epochs are the start of M &gt; N, and a resume may train on for more (a
    /// schedule that read the total, such as a cosine decay to the last epoch, would have to be in it with the epochs).
    /// </summary>
    public static string Settings(Network network, TrainingOptions options, double? validationShare)
    {
        string ranks = FixedRanks.Describe(network);
        IEnumerable<string> lines =
        [
            $"model={network.Name}",
            $"ranks={(ranks.Length == 0 ? "none" : ranks)}",
            $"input={network.InputShape} images, {network.OutputShape.ElementCount} classes",
            $"validation={(validationShare is double share ? share.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "none")}",
            .. options.ToProperties().Where(p => p.Key is not ("train.threads" or "train.epochs")).Select(p => $"{p.Key}={p.Value}"),
        ];
        return string.Join('\n', lines);
    }

    /// <summary>The fingerprint's line of the training samples, the one <see cref="Settings"/> leaves out.</summary>
    private const string DataKey = "dataset";

    /// <summary>The fingerprint's line of the test part, compared only to say that it changed.</summary>
    private const string TestKey = "test";

    /// <summary>A fingerprint's parts by key without the test part's, which refuses nothing.</summary>
    private static Dictionary<string, string> Compared(string fingerprint)
    {
        Dictionary<string, string> parts = Parts(fingerprint);
        parts.Remove(TestKey);
        return parts;
    }

    /// <summary>How many epochs the checkpoint in <paramref name="directory"/> holds; null when it holds none.</summary>
    /// <exception cref="TrainingException">The checkpoint cannot be read.</exception>
    public static int? CheckpointedEpochs(string directory) => TrainCheckpoint.Load(directory)?.CompletedEpochs;

    /// <summary>Reads the checkpoint in <paramref name="directory"/> to resume, once for every check and the resume.</summary>
    /// <exception cref="TrainingException">There is none.</exception>
    /// <exception cref="CheckpointFormatException">It is damaged, or not a training checkpoint of this version.</exception>
    public static SavedTraining Read(string directory) => new(TrainCheckpoint.Load(directory)
        ?? throw new TrainingException($"{directory} holds no training checkpoint; give the folder of the run to continue."), directory);

    /// <summary>
    /// Checks, before any work, that <paramref name="saved"/> is this run's and holds no more epochs than
    /// <paramref name="epochs"/>. Given <see cref="Settings"/>, before the data is loaded, it compares those; given the
    /// <see cref="Fingerprint"/>, the training samples too.
    /// </summary>
    /// <returns>The epochs it holds.</returns>
    /// <exception cref="TrainingException">It belongs to another run (the message names what differs), or it holds more epochs
    /// than <paramref name="epochs"/>.</exception>
    public static int RequireResumable(string fingerprint, SavedTraining saved, int epochs)
    {
        ArgumentNullException.ThrowIfNull(saved);
        RefuseOtherRun(fingerprint, saved.Checkpoint, saved.Directory, epochs);
        return saved.CompletedEpochs;
    }

    /// <summary>
    /// The training samples' digest of <paramref name="saved"/> when it is of a run of these settings on
    /// other training samples of a data set of the same name (<paramref name="fingerprint"/> is the run's <see cref="Fingerprint"/>),
    /// else null: the data set was changed or fetched again since, as a nightly job's folder is, so <c>elr train --auto-resume</c>
    /// sets it aside under this digest and starts anew instead of refusing every night. A data set of another name (another
    /// folder, MNIST for Fashion-MNIST) is another run, still refused.
    /// </summary>
    public static string? OtherTrainingSamples(string fingerprint, SavedTraining saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        Dictionary<string, string> theirs = Compared(saved.Checkpoint.Fingerprint), ours = Compared(fingerprint);
        return SettingDifferences.DifferingKeys(theirs, ours).SequenceEqual([DataKey]) && DatasetName(theirs[DataKey]) == DatasetName(ours[DataKey])
            ? SamplesDigest(saved.Checkpoint.Fingerprint)
            : null;
    }

    /// <summary>The training samples' digest a <see cref="Fingerprint"/> names (XxHash64, hex).</summary>
    public static string SamplesDigest(string fingerprint) => Parts(fingerprint)[DataKey].Split(' ')[^1];

    /// <summary>Whether two data lines name the same samples (count and digest), whatever the data sets' names.</summary>
    private static bool SameSamples(string dataLine, string other) => dataLine.Split(", ", 2)[^1] == other.Split(", ", 2)[^1];

    /// <summary>The data set's name in the fingerprint's data line ("mnist/train, 60000 training samples, xxh64 …").</summary>
    private static string DatasetName(string dataLine) => dataLine.Split(", ", 2)[0];

    /// <summary>
    /// Trains <paramref name="trainer"/>'s network for its options' epochs on <paramref name="train"/>, scoring it on
    /// <paramref name="test"/> (and <paramref name="validation"/>) after each; with <paramref name="checkpointDirectory"/>, saves
    /// a checkpoint after each epoch, and given <paramref name="resumeFrom"/> (<see cref="Read"/> from that folder) first restores
    /// it and continues after its last epoch. <paramref name="epochDone"/> sees every epoch in order, a checkpoint's first (as measured then), each after
    /// its checkpoint is written. <paramref name="fingerprint"/> is the run's <see cref="Fingerprint"/>: a checkpoint with another
    /// is refused, as is one of more epochs than the options' (<see cref="RequireResumable"/>); one of fewer trains on from there.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; the checkpoint holds the last finished epoch.</exception>
    public static TrainingRun Run(Trainer trainer, Dataset train, Dataset test, Dataset? validation, string fingerprint, string? checkpointDirectory, SavedTraining? resumeFrom,
        Func<int, IProgress<BatchProgress>?>? progressFor = null, Action<TrainedEpoch>? epochDone = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (resumeFrom is not null && checkpointDirectory is null) throw new ArgumentException("A resume needs the checkpoint's folder.", nameof(checkpointDirectory));
        if (!fingerprint.Contains($"\n{DataKey}=", StringComparison.Ordinal))
            throw new ArgumentException("The fingerprint of a run is its Fingerprint, with the training samples, not its Settings alone.", nameof(fingerprint));
        var clock = Stopwatch.StartNew();
        var epochs = new List<TrainedEpoch>();
        double? before = null;
        string? testPartChanged = null;
        if (resumeFrom is not null)
        {
            TrainCheckpoint saved = resumeFrom.Checkpoint;
            RefuseOtherRun(fingerprint, saved, resumeFrom.Directory, trainer.Options.Epochs);
            Restore(trainer, saved);
            testPartChanged = Parts(saved.Fingerprint).GetValueOrDefault(TestKey) is string then && Parts(fingerprint).GetValueOrDefault(TestKey) is string now && then != now
                ? $"{then} there, {now} here" : null;
            epochs.AddRange(saved.Epochs);
            before = saved.Seconds;
            foreach (TrainedEpoch e in saved.Epochs) epochDone?.Invoke(e);
        }
        int resumed = epochs.Count;
        for (int epoch = resumed; epoch < trainer.Options.Epochs; epoch++)
        {
            EpochResult result = trainer.RunEpoch(train, epoch, progressFor?.Invoke(epoch), cancellationToken);
            var done = new TrainedEpoch(result, trainer.Evaluate(test).Accuracy, validation is null ? null : trainer.Evaluate(validation).Accuracy);
            epochs.Add(done);
            if (checkpointDirectory is not null)
            {
                new TrainCheckpoint
                {
                    CompletedEpochs = epoch + 1, Fingerprint = fingerprint, Seconds = (before ?? 0) + clock.Elapsed.TotalSeconds,
                    State = trainer.Network.TrainedState.ToArray(), Velocity = trainer.Optimizer.Velocity.ToArray(), Epochs = epochs,
                }.Save(checkpointDirectory);
            }
            epochDone?.Invoke(done);
        }
        return new TrainingRun(epochs, (before ?? 0) + clock.Elapsed.TotalSeconds, before, resumed, testPartChanged);
    }

    /// <summary>Checks <paramref name="saved"/>, read from <paramref name="directory"/>, as the public overload says.</summary>
    private static void RefuseOtherRun(string fingerprint, TrainCheckpoint saved, string directory, int epochs)
    {
        Dictionary<string, string> theirs = Compared(saved.Fingerprint), ours = Compared(fingerprint);
        // Settings alone, before the data is loaded: the training samples are compared once they are.
        if (!ours.ContainsKey(DataKey)) theirs.Remove(DataKey);
        // The same samples under another name (a data folder moved or renamed) train the same weights: resumed, not refused.
        else if (theirs.GetValueOrDefault(DataKey) is string savedData && SameSamples(savedData, ours[DataKey])) theirs[DataKey] = ours[DataKey];
        if (SettingDifferences.Between(theirs, ours, OptionNamed) is { Length: > 0 } differences)
            throw new TrainingException($"The checkpoint in {directory} belongs to another run ({differences}); "
                + "resume with that run's settings, or delete it or choose another --checkpoint folder.");
        // Only the last epoch's network is kept: a run of fewer epochs cannot be had from it (PyTorch Lightning refuses such a
        // resume too, since its pull request 3580). As many is a finished run: nothing to train, its network is written, as
        // Lightning's fit resumed at max_epochs ends at once.
        if (saved.CompletedEpochs > epochs)
            throw new TrainingException($"The checkpoint in {directory} holds {saved.CompletedEpochs} finished epochs, more than --epochs {epochs}, and only the network "
                + $"after its last: give --epochs {saved.CompletedEpochs} to write that network (or more to train on from it), or start the {epochs}-epoch run in another --checkpoint folder.");
    }

    private static Dictionary<string, string> Parts(string fingerprint) =>
        fingerprint.Split('\n').Select(line => line.Split('=', 2)).ToDictionary(p => p[0], p => p.ElementAtOrDefault(1) ?? "");

    /// <summary>A fingerprint's key as the option of <c>elr train</c> that sets it.</summary>
    private static string OptionNamed(string key) => key switch
    {
        "model" => "--model",
        DataKey => "--dataset (the training samples)",
        "input" => "--dataset (the images' shape and classes)",
        "train.lr" => "--lr/--lr-decay/--lr-step",
        "train.optimizer" => "--momentum",
        _ when key.StartsWith("train.", StringComparison.Ordinal) => "--" + key["train.".Length..],
        _ => "--" + key,
    };

    private static void Restore(Trainer trainer, TrainCheckpoint saved)
    {
        float[][] state = trainer.Network.TrainedState.ToArray();
        IReadOnlyList<float[]> velocity = trainer.Optimizer.Velocity;
        if (state.Length != saved.State.Length || state.Where((s, i) => s.Length != saved.State[i].Length).Any()
            || velocity.Count != saved.Velocity.Length || velocity.Where((v, i) => v.Length != saved.Velocity[i].Length).Any()
            || saved.Epochs.Count != saved.CompletedEpochs)
            throw new TrainingException("The checkpoint's arrays do not match this network; delete the checkpoint or choose another folder.");
        for (int i = 0; i < state.Length; i++) saved.State[i].CopyTo(state[i], 0);
        trainer.Optimizer.RestoreVelocity(saved.Velocity);
    }
}
