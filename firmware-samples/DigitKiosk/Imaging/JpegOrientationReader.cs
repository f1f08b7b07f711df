using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Jpeg;

namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>Reads a JPEG's EXIF orientation (tag 0x0112 of IFD0, in the APP1 "Exif" segment) with MetadataExtractor;
/// stb_image decodes the pixels as stored and ignores it.</summary>
internal static class JpegOrientationReader
{
    /// <summary>The orientation <paramref name="jpeg"/> declares; <see cref="ExifOrientation.TopLeft"/> when it has no
    /// EXIF segment or no orientation tag, as every viewer takes it.</summary>
    /// <exception cref="ImageFormatException">The tag holds a value EXIF does not define, or the segments cannot be read.</exception>
    public static ExifOrientation Read(byte[] jpeg)
    {
        IReadOnlyList<MetadataExtractor.Directory> directories;
        try
        {
            // The EXIF reader alone: the other segment readers (ICC, XMP, IPTC, ...) would parse what the kiosk never uses.
            directories = JpegMetadataReader.ReadMetadata(new MemoryStream(jpeg, writable: false), [new ExifReader()]);
        }
        catch (Exception e) when (e is ImageProcessingException or IOException)
        {
            throw new ImageFormatException($"JPEG segments cannot be read for the EXIF orientation ({e.Message}): the file is damaged.");
        }
        // A damaged IFD is recorded by MetadataExtractor as the directory's errors, not thrown; the tag is then simply absent.
        ExifIfd0Directory? ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
        if (ifd0 is null || !ifd0.ContainsTag(ExifDirectoryBase.TagOrientation)) return ExifOrientation.TopLeft;
        // Refused rather than ignored: a viewer would show such a file one way and the kiosk would have to guess.
        if (!ifd0.TryGetInt32(ExifDirectoryBase.TagOrientation, out int value) || value is < 1 or > 8)
            throw new ImageFormatException($"JPEG EXIF orientation is {ifd0.GetString(ExifDirectoryBase.TagOrientation) ?? "unreadable"}; " +
                "EXIF defines 1 to 8: the file's metadata is damaged (rewrite it with exiftool -Orientation=1 -n, or re-save the image).");
        return (ExifOrientation)value;
    }
}
