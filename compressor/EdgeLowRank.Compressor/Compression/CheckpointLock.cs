using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The claim of one run on a checkpoint folder, held from before the folder is looked in until the run ends. Two runs given
/// one folder both passed the check for an existing checkpoint, as the first writes none until after its first C step,
/// then overwrote each other's checkpoints and models, both exiting 0 (a trial's two nightly jobs). The claim is an
/// exclusive lock on <see cref="FileName"/> in the folder, which .NET takes on Linux with flock(2) for a file opened
/// without sharing: the kernel drops it when the process ends however it ends, so a killed run leaves no claim behind,
/// only the empty file, which the next run takes over. The file stays in a folder that was there before the claim. A folder
/// the claim made is removed on release when it holds nothing but the file (a refused run leaves nothing new), on Linux only:
/// the file is removed first, while still locked, and a claim that locks a file no longer in its folder (opened a moment
/// before the removal, locked after the release) sees so through /proc and takes the folder anew; elsewhere it could not
/// tell, would run beside a third run that locked a new file there, and so the folder stays (also on Linux without /proc).
/// </summary>
public sealed class CheckpointLock : IDisposable
{
    /// <summary>The lock file's name in the checkpoint folder.</summary>
    public const string FileName = "lc-checkpoint.lock";

    private readonly FileStream _file;
    private string[] _madeFolders;

    private CheckpointLock(FileStream file, string[] madeFolders)
    {
        _file = file;
        _madeFolders = madeFolders;
    }

    /// <summary>Claims <paramref name="folder"/> for this run, making it if missing.</summary>
    /// <exception cref="FilePathException">Another process holds it, or the lock file cannot be made there.</exception>
    public static CheckpointLock Take(string folder)
    {
        string path = Path.Combine(folder, FileName);
        try
        {
            while (true)
            {
                string[] made = Missing(folder);
                Directory.CreateDirectory(folder);
                FileStream file;
                try
                {
                    file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (DirectoryNotFoundException)
                {
                    continue;   // removed by a claim released between the two lines above: made anew
                }
                if (InFolder(file.SafeFileHandle)) return new CheckpointLock(file, CanTellRemoved ? made : []);
                file.Dispose();   // removed by the claim it waited for: the folder is claimed anew
            }
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

    /// <summary><paramref name="folder"/> and those of its parents that do not exist, the folder first: what CreateDirectory
    /// makes (a refused run with --checkpoint NEW/a/b left NEW and NEW/a behind when only the leaf was remembered).</summary>
    private static string[] Missing(string folder)
    {
        var missing = new List<string>();
        for (string? path = Path.GetFullPath(folder); path is not null && !Directory.Exists(path); path = Path.GetDirectoryName(path))
            missing.Add(path);
        return [.. missing];
    }

    /// <summary>Whether a claim can tell that the lock file it holds was removed (<see cref="InFolder"/>), and so may remove
    /// a folder it made: on Linux with /proc.</summary>
    private static bool CanTellRemoved => OperatingSystem.IsLinux() && Directory.Exists("/proc/self/fd");

    /// <summary>
    /// Whether the file <paramref name="handle"/> holds is still in a folder: Linux names a removed one's /proc/self/fd link
    /// "PATH (deleted)". True where that cannot be told, as no folder is removed there.
    /// </summary>
    internal static bool InFolder(Microsoft.Win32.SafeHandles.SafeFileHandle handle) =>
        !CanTellRemoved
        || new FileInfo($"/proc/self/fd/{handle.DangerousGetHandle()}").LinkTarget is not string target
        || !target.EndsWith(" (deleted)", StringComparison.Ordinal);

    /// <summary>
    /// Whether <paramref name="e"/> is .NET's report of a lock another open file holds: a sharing violation, whose HResult
    /// is the errno flock(2) gave on Unix (EWOULDBLOCK: 11 on Linux, 35 on macOS; measured on Linux) and
    /// ERROR_SHARING_VIOLATION on Windows.
    /// </summary>
    private static bool IsHeldElsewhere(IOException e) => e.HResult is 11 or 35 or unchecked((int)0x80070020);

    /// <summary>Gives the claim up; the file stays, empty, for the next run, but a folder the claim made that holds nothing
    /// else is removed with it.</summary>
    public void Dispose()
    {
        if (_madeFolders.Length > 0 && RemoveIfLockOnly(_madeFolders[0]))
            foreach (string parent in _madeFolders.Skip(1))
                if (!RemoveIfEmpty(parent)) break;
        _madeFolders = [];
        _file.Dispose();
    }

    /// <summary>Removes <paramref name="folder"/>'s lock file, still locked, then the folder, when it holds nothing else;
    /// whether the folder is gone.</summary>
    private static bool RemoveIfLockOnly(string folder)
    {
        try
        {
            if (!Directory.EnumerateFileSystemEntries(folder).All(e => Path.GetFileName(e) == FileName)) return false;
            File.Delete(Path.Combine(folder, FileName));
            Directory.Delete(folder);   // refused if another claim made a new lock file there since: its folder now
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // kept (removed or changed by someone else meanwhile): the run is over either way
        }
    }

    /// <summary>Removes a parent folder the claim made, when nothing else was put in it meanwhile; whether it is gone.</summary>
    private static bool RemoveIfEmpty(string folder)
    {
        try
        {
            Directory.Delete(folder);   // not recursive: refused when it holds anything
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
