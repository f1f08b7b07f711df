namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>Finds and decodes the images the kiosk classifies. The format is told by the file's first
/// bytes, not its name, so a misnamed file still decodes or fails with a clear message.</summary>
internal static class ImageLoader
{
    /// <summary>The file name patterns the kiosk watches, in any case (cameras write IMG_0001.JPG).</summary>
    public static readonly string[] Patterns = ["*.pgm", "*.png", "*.jpg", "*.jpeg", "*.bmp"];

    private static readonly EnumerationOptions AnyCase = new() { MatchCasing = MatchCasing.CaseInsensitive };

    /// <summary>The most recently written image in <paramref name="folder"/> (ties: the last name in
    /// ordinal order), or null when the folder holds none.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static FileInfo? FindNewest(string folder) =>
        Patterns.SelectMany(p => new DirectoryInfo(folder).EnumerateFiles(p, AnyCase))
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .ThenByDescending(f => f.Name, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>The largest image file read: a 28×28 digit is a few kilobytes, and a Pi Zero has 512 MB for everything.</summary>
    public const long MaxFileBytes = 16 << 20;

    /// <summary>Decodes a PGM, PNG, JPEG or BMP file.</summary>
    /// <exception cref="ImageFormatException">The file is none of them, or damaged, cut short, empty (or not a regular file)
    /// or too large.</exception>
    /// <exception cref="IOException">The file is gone or too large.</exception>
    public static GrayImage Load(string path)
    {
        // Checked by length first: reading a pipe would block the kiosk for ever, and a huge file would exhaust a small board.
        // Links are followed first: a link's own length is that of the name it holds, and a dangling one "exists".
        string target = EdgeLowRank.Runtime.IO.FilePaths.Resolve(path) ?? throw new IOException("a symbolic link that loops");
        var info = new FileInfo(target);
        if (!info.Exists) throw new IOException("the file is gone (deleted, or a broken link)");
        // Empty is also how a camera's file looks between its creation and the first write.
        if (info.Length == 0) throw new ImageFormatException("an empty file, or not a regular file (a pipe or a device)", mayBeStillWritten: true);
        if (info.Length > MaxFileBytes) throw new IOException($"{info.Length:N0} bytes; images of at most {MaxFileBytes:N0} bytes are read");
        byte[] file = File.ReadAllBytes(target);
        return ImageFormats.Of(file) switch
        {
            ImageFormat.Pgm => PgmReader.Read(file),
            ImageFormat.Unknown => throw new ImageFormatException(NotAnImage(path, file)),
            ImageFormat format => EncodedImageReader.Read(file, format),
        };
    }

    /// <summary>What a file of no known signature is told: its first bytes, and the signature its name promised.</summary>
    private static string NotAnImage(string path, byte[] file)
    {
        string start = Convert.ToHexString(file.AsSpan(0, Math.Min(8, file.Length))).ToLowerInvariant();
        string named = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => "a PNG file starts with 89 50 4e 47 0d 0a 1a 0a",
            ".jpg" or ".jpeg" => "a JPEG file starts with ff d8 ff",
            ".bmp" => "a BMP file starts with 42 4d ('BM')",
            _ => "a PGM file starts with 'P5' or 'P2'",
        };
        return $"not an image the kiosk reads: it starts with {string.Join(' ', start.Chunk(2).Select(c => new string(c)))}, where {named}. "
            + "PGM, PNG, JPEG and BMP are read.";
    }
}
