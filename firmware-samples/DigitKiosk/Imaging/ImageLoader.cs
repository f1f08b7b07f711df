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

    /// <summary>Decodes a PGM or PNG file.</summary>
    /// <exception cref="ImageFormatException">The file is neither a supported PGM nor PNG image.</exception>
    public static GrayImage Load(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        return PngReader.HasSignature(file) ? PngReader.Read(file) : PgmReader.Read(file);
    }
}
