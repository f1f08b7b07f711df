using System.Runtime.InteropServices;

namespace EdgeLowRank.Runtime.IO;

/// <summary>
/// Checks the files a command is given before it does any work, so that a wrong path fails at once, with the option's
/// name and what to do, instead of after a long run or with the framework's wording (which NativeAOT builds shorten to
/// resource keys). Every failure is a <see cref="FilePathException"/>.
/// </summary>
public static partial class FilePaths
{
    /// <summary>
    /// Requires <paramref name="path"/> to name an existing file with content. Pipes and devices report no length, so
    /// they are refused with empty files: reading one could block for ever.
    /// </summary>
    /// <param name="path">The path as the user gave it.</param>
    /// <param name="role">How the user gave it, for the message: an option (<c>--input</c>) or an argument (<c>MODEL</c>).</param>
    /// <param name="whenMissing">What to do when the file does not exist; by default, to check the path.</param>
    /// <returns>The full path of the file itself, symbolic links followed (its length is the file's, not the link's).</returns>
    public static string RequireInput(string? path, string role, string whenMissing = "check the path")
    {
        string full = FullPath(path, role);
        RefuseFolder(full, path, $"{role}: ");
        // A link to a pipe must be refused like the pipe, and a dangling link is a missing file.
        var file = new FileInfo(Resolve(full) ?? throw new FilePathException($"{role}: '{path}' is a symbolic link that cannot be followed (a loop?); give the file itself."));
        // "file/" names a folder; the framework's own error for it is a resource key in NativeAOT builds.
        if (Path.EndsInDirectorySeparator(full) && file.Exists)
            throw new FilePathException($"{role}: '{path}' ends with '/', which names a folder, but it is a file; drop the '/'.");
        // /dev/stdin and the like lead to /proc/self/fd/N and then "pipe:[N]" (or a socket), which is no path: the file
        // exists, but is a pipe.
        if (!file.Exists && file.FullName.StartsWith("/proc/", StringComparison.Ordinal) && UnnamedFileKinds.Any(k => file.Name.StartsWith(k, StringComparison.Ordinal)))
            throw new FilePathException($"{role}: '{path}' is a pipe or a device, not a regular file; save the data to a file and give that.");
        if (!file.Exists) throw new FilePathException($"{role}: '{path}' does not exist; {whenMissing}.");
        if (file.Length == 0)
            throw new FilePathException($"{role}: '{path}' is empty (0 bytes), or is not a regular file (a pipe or a device); give a file with the data in it.");
        return file.FullName;
    }

    /// <summary>
    /// Requires that <paramref name="path"/> can serve as a folder to write in: an existing folder that accepts new files,
    /// or a new one (with any missing parents) under a folder that exists and accepts them; it is created later, by whoever writes in it.
    /// '-' is refused, as <see cref="RequireOutput"/> refuses it.
    /// </summary>
    /// <param name="path">The path as the user gave it.</param>
    /// <param name="role">The option that gave it, for the message (<c>--checkpoint</c>).</param>
    /// <returns>The full path.</returns>
    internal static string RequireFolder(string? path, string role)
    {
        RefuseDash(path, role, "a folder");
        string full = FullPath(path, role);
        if (File.Exists(full)) throw new FilePathException($"{role}: '{path}' is a file; give a folder (it is created if missing).");
        // Missing folders are created with their parents, so the nearest folder that exists is the one that must take them.
        string existing = full;
        while (!Directory.Exists(existing) && !File.Exists(existing) && Path.GetDirectoryName(existing) is string parent) existing = parent;
        RequireWritableFolder(existing, $"{role}: cannot use '{path}' as a folder");
        return full;
    }

    /// <summary>
    /// Requires that <paramref name="path"/> can be created or replaced: not a folder, in a folder that exists and accepts
    /// new files (tried with a probe file that is deleted at once). Symbolic links are followed, as <see cref="AtomicFile"/>
    /// follows them, so the folder checked is the one written in; a link loop, a pipe or device, and a path in /dev (but
    /// /dev/shm) or /proc are refused, and so is '-', which is no file but standard output on other tools' command lines.
    /// </summary>
    /// <param name="path">The path as the user gave it.</param>
    /// <param name="role">The option that gave it, for the message (<c>-o</c>).</param>
    /// <returns>The full path.</returns>
    public static string RequireOutput(string? path, string role)
    {
        RefuseDash(path, role, "a file");
        string full = FullPath(path, role);
        if (Directory.Exists(full)) throw new FilePathException($"{role}: '{path}' is a folder; give the path of a file to write.");
        if (System.Text.Encoding.UTF8.GetByteCount(Path.GetFileName(full)) > MaxNameBytes)
            throw new FilePathException($"{role}: the file name of '{path}' is longer than {MaxNameBytes} bytes, the most a file system takes; choose a shorter name.");
        // The output is renamed over the target: a pipe or a device there would be replaced by a file (as root, /dev/null
        // too), and so would /dev/stdout, a link into /proc whatever stdout is.
        string target = Resolve(full) ?? throw new FilePathException($"{role}: '{path}' is a symbolic link that cannot be followed (a loop?); give a file path.");
        if (IsSystemPath(full) || IsSystemPath(target) || IsSpecial(target))
            throw new FilePathException($"{role}: '{path}' is a pipe or a device (or lies in /dev or /proc), not a file; outputs are written to a file, so give a file path.");
        RequireWritableFolder(Path.GetDirectoryName(target)!, $"{role}: cannot write '{path}'");
        if (File.Exists(target)) RequireReplaceable(target, role, path);
        return full;
    }

    /// <summary>
    /// The path with every symbolic link on it followed, the folders' as well as the file's (a link to a folder makes
    /// link/x and real/x one file), or null for a loop. A path that does not exist resolves as far as it exists.
    /// </summary>
    /// <param name="path">A full path.</param>
    public static string? Resolve(string path) => Resolve(Path.GetFullPath(path), depth: 0);

    /// <summary>
    /// Requires that no output is the same file as an input or as another output: writing it would destroy the input
    /// (or the other output) after the command reported success. Null paths (options not given) are skipped; symbolic
    /// links are followed.
    /// </summary>
    /// <param name="inputs">The files the command reads, with the option or argument that named each.</param>
    /// <param name="outputs">The files the command writes, likewise.</param>
    public static void RequireDistinctOutputs(IEnumerable<(string Role, string? Path)> inputs, IEnumerable<(string Role, string? Path)> outputs)
    {
        var seen = inputs.Where(f => !string.IsNullOrEmpty(f.Path)).Select(f => (f.Role, Identity: Identity(f.Path!), IsInput: true)).ToList();
        foreach (var (role, path) in outputs.Where(f => !string.IsNullOrEmpty(f.Path)))
        {
            string identity = Identity(path!);
            foreach (var other in seen)
                if (string.Equals(other.Identity, identity, StringComparison.Ordinal))
                    throw new FilePathException($"{role} '{path}' is the same file as {other.Role}" + (other.IsInput ? $"; writing it would destroy {other.Role}" : "")
                        + $". Choose another path for {role}.");
            seen.Add((role, identity, IsInput: false));
        }
    }

    /// <summary>What /proc/PID/fd/N links to when the descriptor is not a file on a disk: "pipe:[N]", "socket:[N]", "anon_inode:…".</summary>
    private static readonly string[] UnnamedFileKinds = ["pipe:", "socket:", "anon_inode:"];

    /// <summary>The longest file name (in UTF-8 bytes) Linux file systems take.</summary>
    private const int MaxNameBytes = 255;

    /// <summary>The most links followed on one path before it counts as a loop, as Linux's own limit.</summary>
    private const int MaxLinks = 40;

    private static string? Resolve(string full, int depth)
    {
        string root = Path.GetPathRoot(full)!;
        string resolved = root;
        foreach (string part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(resolved, part);
            string? target = new FileInfo(next).LinkTarget;
            if (target is not null)
            {
                if (depth >= MaxLinks) return null;
                string? followed = Resolve(Path.GetFullPath(target, resolved), depth + 1);
                if (followed is null) return null;
                next = followed;
            }
            resolved = next;
        }
        return resolved;
    }

    /// <summary>
    /// Requires that the existing file <paramref name="target"/> may be written: one the user may not write (another user's in
    /// a sticky folder such as /tmp, a read-only or an immutable one) failed only at the rename, after the whole run.
    /// </summary>
    private static void RequireReplaceable(string target, string role, string? path)
    {
        try
        {
            // Opened for writing and closed at once: nothing is truncated or written.
            using var probe = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FilePathException($"{role}: '{path}' exists and may not be written (read-only, another user's, or immutable); choose another path, or remove it first.");
        }
    }

    /// <summary>/dev and /proc: the kernel's, with nothing in them an output may create or replace, but /dev/shm, a RAM disk.</summary>
    private static bool IsSystemPath(string full) =>
        (full.StartsWith("/dev/", StringComparison.Ordinal) && !full.StartsWith("/dev/shm/", StringComparison.Ordinal)) || full.StartsWith("/proc/", StringComparison.Ordinal);

    /// <summary>
    /// True for an existing pipe, socket or device outside /dev (which <see cref="IsSystemPath"/> refuses whole). None reports
    /// a length. Its type says which (<see cref="IsSpecialFile"/>: <c>mknod mynull c 1 3</c> makes a device anywhere, and a
    /// stream on it seeks, as on /dev/null); without statx, a pipe is told by opening it read-write, so the open cannot block
    /// for want of a reader, as a stream that cannot seek.
    /// </summary>
    private static bool IsSpecial(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists || file.Length > 0) return false;
        if (FileType(path) is int type) return type is not (RegularFile or Folder);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
            return !stream.CanSeek;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // an empty file we may not open is still a file; the rename decides
        }
    }

    /// <summary>
    /// True when <paramref name="path"/> (links followed) is a pipe, a socket or a device node: no file of data, and reading
    /// one may block for ever (a FIFO, which tar can carry, made <c>elr eval</c> wait for a writer). False for a file, a
    /// folder, a path that does not exist, and off Linux.
    /// </summary>
    internal static bool IsSpecialFile(string path) => FileType(path) is int type && type is not (RegularFile or Folder);

    /// <summary>The file's type from its mode (S_IFMT bits), by Linux's statx, which does not open it (.NET 10 has no API
    /// for it); null when statx fails or off Linux.</summary>
    private static unsafe int? FileType(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        byte* status = stackalloc byte[StatxSize];
        try
        {
            if (Statx(AtCurrentFolder, path, 0, StatxType, status) != 0) return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // a C library without statx (glibc before 2.28, older musl): the checks by type are skipped, as off Linux
        }
        return *(ushort*)(status + StatxModeOffset) & FileTypeMask;
    }

    // statx(2): struct statx is one layout on every Linux architecture, its stx_mode a 16-bit field at byte 28.
    private const int AtCurrentFolder = -100, StatxSize = 256, StatxModeOffset = 28;
    private const uint StatxType = 1;
    private const int FileTypeMask = 0xF000, Folder = 0x4000, RegularFile = 0x8000;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* status);

    /// <summary>
    /// Refuses '-' as an output: on other tools' command lines it names standard output, and taken as a path it silently
    /// wrote a file named '-' in the working folder (a 70 KB model from <c>elr train -o -</c>). Outputs are renamed into
    /// place, which standard output cannot be, so the message says how to name a real file called '-' instead.
    /// </summary>
    private static void RefuseDash(string? path, string role, string what)
    {
        if (path == "-")
            throw new FilePathException($"{role}: '-' would mean standard output, which is not supported: give the path of {what}; for one literally named '-', use ./-.");
    }

    /// <summary>Throws when <paramref name="full"/> names a folder where a file to read is needed: opened, a folder fails
    /// with "Access to the path is denied" (an <see cref="UnauthorizedAccessException"/>), which sends the user to the
    /// permissions. Shared by <see cref="RequireInput"/> and <see cref="Format.ModelReader.Load(string)"/>.</summary>
    /// <param name="full">The path to test.</param>
    /// <param name="path">The path as given, for the message.</param>
    /// <param name="prefix">What the message starts with: the option and ": ", or nothing.</param>
    internal static void RefuseFolder(string full, string? path, string prefix = "")
    {
        if (Directory.Exists(full)) throw new FilePathException($"{prefix}'{path}' is a folder, not a file.");
    }

    /// <summary>Throws unless <paramref name="folder"/> exists and a file can be created in it.</summary>
    internal static void RequireWritableFolder(string folder, string what)
    {
        if (File.Exists(folder)) throw new FilePathException($"{what}: '{folder}' is a file, not a folder.");
        if (!Directory.Exists(folder)) throw new FilePathException($"{what}: the folder '{folder}' does not exist; create it or choose another path.");
        string probe = Path.Combine(folder, $".elr-write-probe.{Guid.NewGuid():N}");
        try
        {
            using var _ = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FilePathException($"{what}: the folder '{folder}' does not accept new files (read-only, or no permission); choose another folder.", e);
        }
    }

    private static string FullPath(string? path, string role)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new FilePathException($"{role}: the path is empty; give a file path.");
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new FilePathException($"{role}: '{path}' is not a usable path.", e);
        }
    }

    /// <summary>The full path with every symbolic link resolved, so two names of one file compare equal.</summary>
    private static string Identity(string path)
    {
        string full = Path.GetFullPath(path);
        return Resolve(full) ?? full; // a looping link: compare by name
    }
}
