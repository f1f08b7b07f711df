using System.Buffers.Binary;
using EdgeLowRank.Samples.DigitKiosk.Imaging;
using StbImageWriteSharp;

namespace EdgeLowRank.Firmware.Tests;

/// <summary>JPEGs as a camera held sideways stores them: the pixels as the sensor read them, and EXIF's orientation tag saying
/// how to turn them upright. The upright picture is 2 blocks wide and 3 tall, each block an 8×8 square of its own gray
/// (8×8 squares are JPEG's own blocks, so they come back within a few levels):
/// <code>
/// A B
/// C D
/// E F
/// </code>
/// Each orientation's stored layout below is written out from the EXIF standard's figures, not computed by the code under test.
/// </summary>
public class ExifOrientationTests
{
    private const char A = 'A', B = 'B', C = 'C', D = 'D', E = 'E', F = 'F';
    private static readonly char[][] UprightLayout = [[A, B], [C, D], [E, F]];

    public static TheoryData<int, bool> EveryOrientationInBothByteOrders() =>
        new() { { 1, false }, { 2, true }, { 3, false }, { 4, true }, { 5, false }, { 6, true }, { 7, false }, { 8, true },
            { 1, true }, { 2, false }, { 3, true }, { 4, false }, { 5, true }, { 6, false }, { 7, true }, { 8, false } };

    /// <summary>The stored blocks for each orientation: what the camera wrote so that turning by the tag gives A B / C D / E F.</summary>
    private static char[][] StoredLayout(int orientation) => orientation switch
    {
        1 => [[A, B], [C, D], [E, F]],
        2 => [[B, A], [D, C], [F, E]],       // mirrored left to right
        3 => [[F, E], [D, C], [B, A]],       // upside down
        4 => [[E, F], [C, D], [A, B]],       // mirrored top to bottom
        5 => [[A, C, E], [B, D, F]],         // transposed
        6 => [[B, D, F], [A, C, E]],         // stored turned 90° counter-clockwise: turning it clockwise makes it upright
        7 => [[F, D, B], [E, C, A]],         // transversed
        8 => [[E, C, A], [F, D, B]],         // stored turned 90° clockwise
        _ => throw new ArgumentOutOfRangeException(nameof(orientation)),
    };

    private static byte Level(char block) => (byte)(20 + 40 * (block - A));

    /// <summary>The 8×8-block image of <paramref name="layout"/>, one byte per pixel.</summary>
    private static (int Width, int Height, byte[] Pixels) Render(char[][] layout)
    {
        int width = layout[0].Length * 8, height = layout.Length * 8;
        var pixels = new byte[width * height];
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
            pixels[y * width + x] = Level(layout[y / 8][x / 8]);
        return (width, height, pixels);
    }

    /// <summary>A gray JPEG with an APP1 "Exif" segment right after its start-of-image marker, as cameras write it: a TIFF
    /// header in the given byte order and IFD0 holding the one SHORT tag 0x0112.</summary>
    internal static byte[] JpegWithOrientation(int width, int height, byte[] pixels, int orientation, bool bigEndian)
    {
        var encoded = new MemoryStream();
        new ImageWriter().WriteJpg(pixels, width, height, ColorComponents.Grey, encoded, 100);
        byte[] jpeg = encoded.ToArray();

        var tiff = new byte[8 + 2 + 12 + 4];
        void U16(int at, int v) { if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(at), (ushort)v); else BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at), (ushort)v); }
        void U32(int at, int v) { if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(at), (uint)v); else BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at), (uint)v); }
        tiff[0] = tiff[1] = (byte)(bigEndian ? 'M' : 'I');
        U16(2, 42);
        U32(4, 8);            // IFD0 right after the header
        U16(8, 1);            // one entry
        U16(10, 0x0112);      // Orientation
        U16(12, 3);           // SHORT
        U32(14, 1);           // one value, held in the entry itself
        U16(18, orientation);
        U32(22, 0);           // no IFD1
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        byte[] app1 = [0xFF, 0xE1, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2), .. payload];
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }

    [Theory]
    [MemberData(nameof(EveryOrientationInBothByteOrders))]
    public void A_jpeg_is_turned_upright_by_its_exif_orientation(int orientation, bool bigEndian)
    {
        var (width, height, pixels) = Render(StoredLayout(orientation));
        GrayImage image = EncodedImageReader.Read(JpegWithOrientation(width, height, pixels, orientation, bigEndian), ImageFormat.Jpeg);

        var upright = Render(UprightLayout);
        Assert.Equal((16, 24), (image.Width, image.Height));
        Assert.Equal((ExifOrientation)orientation, image.TurnedBy);
        for (int i = 0; i < upright.Pixels.Length; i++)
            Assert.True(Math.Abs(upright.Pixels[i] / 255f - image.Pixels[i]) < 4f / 255,
                $"orientation {orientation}: pixel ({i % 16}, {i / 16}) is {image.Pixels[i] * 255:F0}, expected {upright.Pixels[i]}");
    }

    [Fact]
    public void A_jpeg_without_exif_is_used_as_stored()
    {
        var (width, height, pixels) = Render(StoredLayout(6));
        var encoded = new MemoryStream();
        new ImageWriter().WriteJpg(pixels, width, height, ColorComponents.Grey, encoded, 100);

        GrayImage image = EncodedImageReader.Read(encoded.ToArray(), ImageFormat.Jpeg);

        Assert.Equal((24, 16, ExifOrientation.TopLeft), (image.Width, image.Height, image.TurnedBy));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void An_orientation_exif_does_not_define_is_refused_with_the_value(int orientation)
    {
        var (width, height, pixels) = Render(UprightLayout);
        byte[] jpeg = JpegWithOrientation(width, height, pixels, orientation, bigEndian: false);

        string message = Assert.Throws<ImageFormatException>(() => EncodedImageReader.Read(jpeg, ImageFormat.Jpeg)).Message;

        Assert.StartsWith($"JPEG EXIF orientation is {orientation}; EXIF defines 1 to 8: the file's metadata is damaged", message);
    }
}
