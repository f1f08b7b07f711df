using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Jpeg;

namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>Reads a JPEG's EXIF orientation (tag 0x0112 of IFD0, in the APP1 "Exif" segment) with MetadataExtractor;
/// stb_image decodes the pixels as stored and ignores it.</summary>
internal static class JpegOrientationReader
{
    /// <summary>The orientation <paramref name="jpeg"/> declares; <see cref="ExifOrientation.TopLeft"/> when it has no
    /// EXIF segment or no orientation tag, <see cref="ExifOrientation.Undefined"/> when the tag holds anything but 1 to 8.</summary>
    /// <exception cref="ImageFormatException">The JPEG's segments cannot be read.</exception>
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
        // A damaged IFD is recorded by MetadataExtractor as the directory's errors, not thrown (a test cuts and spoils the
        // segment byte by byte); the tag is then absent, or read as far as it survived.
        ExifIfd0Directory? ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
        if (ifd0 is null || !ifd0.ContainsTag(ExifDirectoryBase.TagOrientation)) return ExifOrientation.TopLeft;
        // Not refused: the pixels are fine, and viewers show such a file as stored; the result line says so.
        return ifd0.TryGetInt32(ExifDirectoryBase.TagOrientation, out int value) && value is >= 1 and <= 8 ? (ExifOrientation)value : ExifOrientation.Undefined;
    }
}
