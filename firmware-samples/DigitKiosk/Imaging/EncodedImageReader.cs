using StbImageSharp;

namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>
/// Reads the PNG, JPEG and BMP images a camera script or an editor writes, with stb_image (StbImageSharp): every PNG
/// colour type and bit depth, interlaced or not, baseline and progressive JPEG. The file is first checked to be whole
/// (<see cref="ImageCompleteness"/>) and of a size a kiosk can hold; then stb_image gives gray and alpha, colour to gray
/// by its BT.601 weights (77, 150, 29)/256, and alpha is composited over black, the MNIST background. A JPEG is then turned
/// upright by its EXIF orientation (<see cref="JpegOrientationReader"/>), before anything scales it.
/// </summary>
internal static class EncodedImageReader
{
    /// <summary>Largest width or height decoded: a kiosk image is small, and a small file can declare a huge image
    /// (a 16 MB PNG of one colour holds gigapixels), which would exhaust a board's memory before anything is read.</summary>
    public const int MaxSide = 4096;

    /// <summary>Decodes <paramref name="file"/>, whose signature said it is <paramref name="format"/>.</summary>
    /// <exception cref="ImageFormatException">The file is cut short, damaged, too large, or not decodable.</exception>
    public static GrayImage Read(byte[] file, ImageFormat format)
    {
        switch (format)
        {
            case ImageFormat.Png: ImageCompleteness.CheckPng(file); break;
            case ImageFormat.Jpeg: ImageCompleteness.CheckJpeg(file); break;
            case ImageFormat.Bmp: ImageCompleteness.CheckBmp(file); break;
            default: throw new ArgumentOutOfRangeException(nameof(format), format, "not a format stb_image reads here");
        }
        string name = format.ToString().ToUpperInvariant();
        ImageResult result;
        try
        {
            // The header alone first: the size is refused before any pixel memory is allocated.
            ImageInfo info = ImageInfo.FromStream(new MemoryStream(file, writable: false))
                ?? throw new ImageFormatException($"{name} header cannot be read: the file is damaged, or cut short (still being written?).", mayBeStillWritten: true);
            if (info.Width is < 1 or > MaxSide || info.Height is < 1 or > MaxSide)
                throw new ImageFormatException($"{name} size {info.Width}×{info.Height} is outside 1..{MaxSide} per side.");
            result = ImageResult.FromMemory(file, ColorComponents.GreyAlpha);
        }
        catch (Exception e) when (e is not ImageFormatException)
        {
            // stb_image's reasons are terse ("bad huffman code", and for a broken PNG stream none at all).
            string reason = string.IsNullOrWhiteSpace(e.Message) ? "" : $" (stb_image: {e.Message.Trim()})";
            // A JPEG cut just after its EXIF thumbnail ends with the thumbnail's end marker, which the completeness check takes
            // for the image's: so a file still being written can get here too (a trial's camera JPEG was called only damaged).
            throw new ImageFormatException($"{name} image data does not decode{reason}: the file is damaged, or cut short (still being written?).", mayBeStillWritten: true);
        }
        var pixels = new float[result.Width * result.Height];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = result.Data[2 * i] * result.Data[2 * i + 1] / (255f * 255f);
        var stored = new GrayImage(result.Width, result.Height, pixels);
        // Only JPEG's: that is where cameras and phones write the tag (a PNG's rare eXIf chunk is not read; the README says so).
        return format == ImageFormat.Jpeg ? ImageOrientation.Upright(stored, JpegOrientationReader.Read(file)) : stored;
    }
}
