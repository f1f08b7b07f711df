namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>The image formats the kiosk reads, told by a file's first bytes (a misnamed file still decodes).</summary>
internal enum ImageFormat
{
    /// <summary>Neither signature matched.</summary>
    Unknown,
    /// <summary>Netpbm grayscale: "P5" (binary) or "P2" (text).</summary>
    Pgm,
    /// <summary>89 'P' 'N' 'G' 0D 0A 1A 0A.</summary>
    Png,
    /// <summary>FF D8 FF: a start-of-image marker and the next marker's first byte.</summary>
    Jpeg,
    /// <summary>'B' 'M'.</summary>
    Bmp,
}

/// <summary>Tells a file's <see cref="ImageFormat"/> from its first bytes.</summary>
internal static class ImageFormats
{
    /// <summary>The format whose signature <paramref name="file"/> starts with.</summary>
    public static ImageFormat Of(ReadOnlySpan<byte> file) => file switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => ImageFormat.Png,
        [0xFF, 0xD8, 0xFF, ..] => ImageFormat.Jpeg,
        [(byte)'B', (byte)'M', ..] => ImageFormat.Bmp,
        [(byte)'P', (byte)'5' or (byte)'2', ..] => ImageFormat.Pgm,
        _ => ImageFormat.Unknown,
    };
}
