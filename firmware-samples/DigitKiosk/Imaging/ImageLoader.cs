namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>Finds and decodes the images the kiosk classifies. The format is told by the file's first
/// bytes, not its name, so a misnamed file still decodes or fails with a clear message.</summary>
internal static class ImageLoader
{
    /// <summary>The file name patterns the kiosk watches.</summary>
    public static readonly string[] Patterns = ["*.pgm", "*.png"];

    /// <summary>The most recently written image in <paramref name="folder"/> (ties: the last name in
    /// ordinal order), or null when the folder holds none.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static FileInfo? FindNewest(string folder) =>
        Patterns.SelectMany(p => new DirectoryInfo(folder).EnumerateFiles(p))
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .ThenByDescending(f => f.Name, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>The largest image file read: a 28×28 digit is a few kilobytes, and a Pi Zero has 512 MB for everything.</summary>
    public const long MaxFileBytes = 16 << 20;

    /// <summary>Decodes a PGM or PNG file.</summary>
    /// <exception cref="ImageFormatException">The file is neither a supported PGM nor PNG image.</exception>
    /// <exception cref="IOException">The file is gone, empty, not a regular file, or too large.</exception>
    public static GrayImage Load(string path)
    {
        // Checked by length first: reading a pipe would block the kiosk for ever, and a huge file would exhaust a small board.
        // Links are followed first: a link's own length is that of the name it holds, and a dangling one "exists".
        string target = EdgeLowRank.Runtime.IO.FilePaths.Resolve(path) ?? throw new IOException("a symbolic link that loops");
        var info = new FileInfo(target);
        if (!info.Exists) throw new IOException("the file is gone (deleted, or a broken link)");
        if (info.Length == 0) throw new IOException("an empty file, or not a regular file (a pipe or a device)");
        if (info.Length > MaxFileBytes) throw new IOException($"{info.Length:N0} bytes; images of at most {MaxFileBytes:N0} bytes are read");
        byte[] file = File.ReadAllBytes(target);
        return PngReader.HasSignature(file) ? PngReader.Read(file) : PgmReader.Read(file);
    }
}
