using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>
/// The checkpoints of one command in a --checkpoint folder: its file, what it names a run and a step, and how many steps
/// a checkpoint holds. <see cref="Compress"/> and <see cref="Train"/> are the two; each refuses the other's folder.
/// </summary>
internal sealed record CheckpointKind(string Command, Func<string, string> FileIn, string Run, string NoCheckpoint, string Step, string Steps,
    Func<string, int?> Done)
{
    /// <summary>elr compress: lc-checkpoint.bin after every LC step.</summary>
    public static readonly CheckpointKind Compress = new("elr compress", LearningCompression.CheckpointFile, "a run's checkpoint", "no checkpoint",
        "LC step", "LC steps", LearningCompression.CheckpointedSteps);

    /// <summary>elr train: train-checkpoint.bin after every epoch.</summary>
    public static readonly CheckpointKind Train = new("elr train", CheckpointedTraining.CheckpointFile, "a training run's checkpoint", "no training checkpoint",
        "epoch", "epochs", CheckpointedTraining.CheckpointedEpochs);
}

/// <summary>The checks of a --checkpoint folder before the data is loaded, the same for elr compress and elr train.</summary>
internal static class CheckpointFolder
{
    /// <summary>
    /// A checkpoint folder may be created, but it must be writable, --resume needs a checkpoint in it, and a new run must not
    /// silently overwrite another run's. The folder is claimed (<see cref="CheckpointLock"/>) before it is looked in, so that
    /// no other run can start there until this one ends, and --auto-resume decides <paramref name="resume"/> under the claim,
    /// where no other run can remove the checkpoint between the look and the resume. Only the file's presence is checked
    /// here (a checkpoint is the whole network, megabytes for LeNet-5); whether it belongs to this run is the command's to check next.
    /// </summary>
    /// <returns>The claim, held until the run ends; null without --checkpoint.</returns>
    public static CheckpointLock? Claim(DirectoryInfo? checkpoint, CheckpointKind own, CheckpointKind other, bool autoResume, ref bool resume)
    {
        if (checkpoint is null) return null;
        FilePaths.RequireFolder(checkpoint.ToString(), "--checkpoint");
        string file = own.FileIn(checkpoint.FullName);
        if (Directory.Exists(file))
            throw new FilePathException($"--checkpoint '{checkpoint}' holds a folder named {Path.GetFileName(file)}, "
                + $"where the checkpoint is written after every {own.Step}; move that folder away or give another --checkpoint folder.");
        // Refused before the claim makes the folder: a refused command leaves nothing behind.
        if (resume && !checkpoint.Exists) throw NothingToResume(checkpoint, own);
        CheckpointLock claim = CheckpointLock.Take(checkpoint.FullName);
        try
        {
            // A folder of the other command's checkpoint is another command's run, not one to start or resume here.
            if (File.Exists(other.FileIn(checkpoint.FullName)))
                throw new UsageException($"--checkpoint '{checkpoint}' holds a checkpoint of {other.Command} ({Path.GetFileName(other.FileIn(checkpoint.FullName))}), "
                    + $"not of {own.Command}; give {own.Command} a folder of its own.");
            bool held = File.Exists(file);
            resume |= autoResume && held;
            if (resume && !held) throw NothingToResume(checkpoint, own);
            if (!resume && held)
                throw new UsageException($"--checkpoint '{checkpoint}' holds {own.Run} ({own.Done(checkpoint.FullName)} {own.Steps} done); "
                    + "add --resume to continue it, or give another folder to start a new run.");
            return claim;
        }
        catch
        {
            claim.Dispose();
            throw;
        }
    }

    /// <summary>
    /// For an <c>--auto-resume</c> run over a checkpoint it can never resume (a reference or data set changed in place since,
    /// or another file of the same network or name, which the fingerprint cannot tell apart): sets that checkpoint aside by
    /// <paramref name="theirs"/>, the digest of what it was made from, and takes back one set aside earlier under
    /// <paramref name="ours"/>, this run's (<see cref="SetAsideCheckpoints.Swap"/>).
    /// </summary>
    public static CheckpointSwap SwapAside(DirectoryInfo checkpoint, CheckpointKind own, string theirs, string ours) =>
        SetAsideCheckpoints.Swap(own.FileIn(checkpoint.FullName), theirs, ours);

    /// <summary>
    /// --delete-checkpoint once the model is written: removes the checkpoint and says so, naming the checkpoints set aside
    /// in the folder by earlier --auto-resume runs, with their count and size, which stay: each is of a reference or of
    /// training samples that may come back, and resumes then.
    /// </summary>
    public static void Delete(DirectoryInfo checkpoint, CheckpointKind own)
    {
        string file = own.FileIn(checkpoint.FullName);
        File.Delete(file);
        IReadOnlyList<FileInfo> aside = SetAsideCheckpoints.Beside(file);
        string plural = aside.Count == 1 ? "" : "s";
        Console.WriteLine($"removed the checkpoint in {checkpoint.FullName} (--delete-checkpoint)" + (aside.Count == 0 ? ""
            : $"; the {aside.Count} checkpoint{plural} --auto-resume set aside there stay{(aside.Count == 1 ? "s" : "")} ({string.Join(", ", aside.Select(f => f.Name))}; "
                + $"{aside.Sum(f => f.Length) / 1e6:0.0} MB): each resumes if what it was made from returns, so delete {(aside.Count == 1 ? "it" : "them")} when that will not happen"));
    }

    private static UsageException NothingToResume(DirectoryInfo checkpoint, CheckpointKind own) =>
        new($"--resume: '{checkpoint}' holds {own.NoCheckpoint}; give the folder of the run to continue, or drop --resume to start a new run.");
}
