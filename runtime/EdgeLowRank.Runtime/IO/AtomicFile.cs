namespace EdgeLowRank.Runtime.IO;

/// <summary>
/// Writes a file through a temporary file beside it and a rename. The rename replaces the target in one step, so a run
/// that is interrupted or fails half-way leaves the old file (or none) and never a half-written one. The new file keeps
/// the replaced one's permission bits (not its owner, when another user's); being a new file, it is not the old one's hard
/// links: they keep the old content, as after sed -i or an editor's save.
/// </summary>
public static class AtomicFile
{
    /// <summary>The temporary files being written now, so that a process ended by a signal can remove them first.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Unfinished = new();

    /// <summary>Deletes the temporary files of writes still in progress, for a process about to end without finishing them
    /// (Ctrl+C): their targets stay as they were, and no hidden .elr-*.tmp is left beside them. A write whose temporary
    /// file is deleted fails instead of replacing its target.</summary>
    internal static void DeleteUnfinished()
    {
        foreach (string temporary in Unfinished.Keys)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort on the way out: a file that cannot be deleted now stays, as it would have without this.
            }
        }
    }

    /// <summary>Creates or replaces <paramref name="path"/> with what <paramref name="write"/> puts in the stream; through a
    /// symbolic link, the file the link names is replaced and the link kept.</summary>
    /// <param name="path">The file to write; its folder (the link target's, for a link) must exist.</param>
    /// <param name="write">Writes the whole content. If it throws, the temporary file is deleted and <paramref name="path"/> is left as it was.</param>
    /// <exception cref="FilePathException">The path is a folder or a link loop, its folder does not exist or accepts no new file,
    /// or its device is full.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    internal static void Write(string path, Action<Stream> write) => WriteAll([(path, write)]);

    /// <summary>Creates or replaces <paramref name="path"/> with <paramref name="bytes"/>.</summary>
    /// <exception cref="FilePathException">The path is a folder or a link loop, its folder does not exist or accepts no new file,
    /// or its device is full.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, stream => stream.Write(bytes));
    }

    /// <summary>
    /// Creates or replaces every file of <paramref name="files"/>, all or none: each is written whole to its temporary file
    /// first, and only then are they renamed into place, one after another. A failure while writing (a full device at the
    /// second file) deletes the temporary files and replaces none, so files that belong together (images and their
    /// labels) are never left of two different writes. The renames need no space and do not fail so; a process killed
    /// between two of them, a window of microseconds, leaves the files renamed so far.
    /// </summary>
    /// <param name="files">Each path (as for <see cref="Write(string, Action{Stream})"/>) and what to write there.</param>
    /// <exception cref="FilePathException">A path is a folder or a link loop, its folder does not exist or accepts no new
    /// file, or its device is full.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    internal static void WriteAll(IReadOnlyList<(string Path, Action<Stream> Write)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var staged = new List<(string Temporary, string Target)>(files.Count);
        try
        {
            foreach (var (path, write) in files) staged.Add(Stage(path, write));
            foreach (var (temporary, target) in staged) File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            foreach (var (temporary, _) in staged) File.Delete(temporary); // a renamed one is gone from here: no-op
            throw;
        }
        finally
        {
            foreach (var (temporary, _) in staged) Unfinished.TryRemove(temporary, out _);
        }
    }

    /// <summary>Writes <paramref name="path"/>'s content to a new temporary file beside its target, flushed to disk; the
    /// caller renames it into place or deletes it. On failure nothing is left behind.</summary>
    private static (string Temporary, string Target) Stage(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        // The rename replaces whatever sits at the path: through a symbolic link it must replace the file the link names,
        // not the link (`-o /dev/stdout` turned the system's link into a plain file).
        string target = FilePaths.Resolve(Path.GetFullPath(path))
            ?? throw new FilePathException($"Cannot write '{path}': it is a symbolic link that cannot be followed (a loop?); give the file itself.");
        string folder = Path.GetDirectoryName(target)!;
        // Hidden, and unique per call, so two writers of one target never share a temporary file; of a fixed length, so a
        // target name near the file system's limit still has a temporary name that fits.
        string temporary = Path.Combine(folder, $".elr-{Guid.NewGuid():N}.tmp");
        // Said here in terms of the target: the temporary file's name would only confuse whoever reads the message.
        if (Directory.Exists(target)) throw new FilePathException($"Cannot write '{target}': it is a folder.");
        // A replaced file keeps its permission bits, as sed -i, editors and rsync keep them (a 0600 output became 0644). The
        // temporary file is made with them, so its content is never open to more users than the target's was.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        UnixFileMode? kept = null;
        if (!OperatingSystem.IsWindows() && File.Exists(target)) options.UnixCreateMode = kept = File.GetUnixFileMode(target) & PermissionBits;
        FileStream created;
        try
        {
            created = new FileStream(temporary, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            FilePaths.RequireWritableFolder(folder, $"Cannot write '{target}'");
            throw new FilePathException($"Cannot write '{target}': a file cannot be created in '{folder}' ({e.Message}).", e);
        }
        Unfinished.TryAdd(temporary, 0);
        try
        {
            using var stream = created;
            if (kept is UnixFileMode mode && !OperatingSystem.IsWindows()) File.SetUnixFileMode(stream.SafeFileHandle, mode); // the umask took some away
            write(stream);
            stream.Flush(flushToDisk: true); // the content is on disk before the rename makes it the file
        }
        catch (Exception e)
        {
            File.Delete(temporary);
            Unfinished.TryRemove(temporary, out _);
            // The framework's message names the temporary file, which the user never asked for and which is gone now.
            if (e is IOException io && IsDeviceFull(io))
                throw new FilePathException($"Cannot write '{target}': its device is full (no space left, or the disk quota is used up); "
                    + "free space there or write to another device. Nothing was replaced.", e);
            throw;
        }
        return (temporary, target);
    }

    /// <summary>Read, write and execute for the owner, group and others; set-user-ID, set-group-ID and sticky are not carried
    /// over to new content.</summary>
    private const UnixFileMode PermissionBits = (UnixFileMode)0x1FF;

    /// <summary>Linux's ENOSPC and EDQUOT, which .NET reports as the HResult of the <see cref="IOException"/>.</summary>
    private static bool IsDeviceFull(IOException e) => e.HResult is 28 or 122;
}
