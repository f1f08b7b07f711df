using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The claim of one run on a checkpoint folder, held from before the folder is checked until the run ends. Two runs given
/// one folder both passed the check for an existing checkpoint, as the first writes none until after its first C step,
/// then overwrote each other's checkpoints and models, both exiting 0 (a trial's two nightly jobs). The claim is an
/// exclusive lock on <see cref="FileName"/> in the folder, which .NET takes on Linux with flock(2) for a file opened
/// without sharing: the kernel drops it when the process ends however it ends, so a killed run leaves no claim behind,
/// only the empty file, which the next run takes over. The file stays after a run, beside its checkpoint: removing it on
/// release would let a run that opened it just before lock a file no longer in the folder, beside a third run's new one.
/// When the run leaves nothing else in the folder (it stopped before its first checkpoint, or removed its checkpoint when
/// done), the file goes, and the folder too if the claim made it.
/// </summary>
public sealed class CheckpointLock : IDisposable
{
    /// <summary>The lock file's name in the checkpoint folder.</summary>
    public const string FileName = "lc-checkpoint.lock";

    private readonly FileStream _file;
    private readonly string? _madeFolder;

    private CheckpointLock(FileStream file, string? madeFolder)
    {
        _file = file;
        _madeFolder = madeFolder;
    }

    /// <summary>Claims <paramref name="folder"/> for this run, making it if missing.</summary>
    /// <exception cref="FilePathException">Another process holds it, or the lock file cannot be made there.</exception>
    public static CheckpointLock Take(string folder)
    {
        string path = Path.Combine(folder, FileName);
        string? made = Directory.Exists(folder) ? null : folder;
        try
        {
            Directory.CreateDirectory(folder);
            return new CheckpointLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), made);
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

    /// <summary>Gives the claim up; the file stays, empty, for the next run, unless the run left nothing else in the folder.</summary>
    public void Dispose()
    {
        string folder = Path.GetDirectoryName(_file.Name)!;
        _file.Dispose();
        try
        {
            if (Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).SequenceEqual([FileName]))
            {
                File.Delete(Path.Combine(folder, FileName));
                if (_madeFolder is not null) Directory.Delete(_madeFolder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An empty folder left behind is no loss; the run's own outcome is what the user must hear of.
        }
    }
}
