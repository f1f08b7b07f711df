using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The claim of one run on a checkpoint folder, held from before the folder is looked in until the run ends. Two runs given
/// one folder both passed the check for an existing checkpoint, as the first writes none until after its first C step,
/// then overwrote each other's checkpoints and models, both exiting 0 (a trial's two nightly jobs). The claim is an
/// exclusive lock on <see cref="FileName"/> in the folder, which .NET takes on Linux with flock(2) for a file opened
/// without sharing: the kernel drops it when the process ends however it ends, so a killed run leaves no claim behind,
/// only the empty file, which the next run takes over. The file is never removed, even from a folder the run leaves
/// otherwise empty: removed on release, a run that had opened it a moment before would lock a file no longer in the
/// folder, while a third run locked a new one, and both would run.
/// </summary>
public sealed class CheckpointLock : IDisposable
{
    /// <summary>The lock file's name in the checkpoint folder.</summary>
    public const string FileName = "lc-checkpoint.lock";

    private readonly FileStream _file;

    private CheckpointLock(FileStream file) => _file = file;

    /// <summary>Claims <paramref name="folder"/> for this run, making it if missing.</summary>
    /// <exception cref="FilePathException">Another process holds it, or the lock file cannot be made there.</exception>
    public static CheckpointLock Take(string folder)
    {
        string path = Path.Combine(folder, FileName);
        try
        {
            Directory.CreateDirectory(folder);
            return new CheckpointLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            throw new FilePathException($"--checkpoint '{folder}' is in use by another elr run (it holds the lock on {FileName}); "
                + "wait for that run to end, or give this one another --checkpoint folder. Two runs in one folder would overwrite each other's checkpoints.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FilePathException($"--checkpoint '{folder}': the lock file {FileName} cannot be made there ({e.Message}); choose a folder this user may write.", e);
        }
    }

    /// <summary>
    /// Whether <paramref name="e"/> is .NET's report of a lock another open file holds: a sharing violation, whose HResult
    /// is the errno flock(2) gave on Unix (EWOULDBLOCK: 11 on Linux, 35 on macOS; measured on Linux) and
    /// ERROR_SHARING_VIOLATION on Windows.
    /// </summary>
    private static bool IsHeldElsewhere(IOException e) => e.HResult is 11 or 35 or unchecked((int)0x80070020);

    /// <summary>Gives the claim up; the file stays, empty, for the next run.</summary>
    public void Dispose() => _file.Dispose();
}
