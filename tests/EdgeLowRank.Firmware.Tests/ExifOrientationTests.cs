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
    internal static byte[] JpegWithOrientation(int width, int height, byte[] pixels, int orientation, bool bigEndian) =>
        WithApp1(Jpeg(width, height, pixels), ExifPayload(orientation, bigEndian));

    private static byte[] Jpeg(int width, int height, byte[] pixels)
    {
        var encoded = new MemoryStream();
        new ImageWriter().WriteJpg(pixels, width, height, ColorComponents.Grey, encoded, 100);
        return encoded.ToArray();
    }

    /// <summary>"Exif\0\0", then a TIFF header and IFD0 with the orientation tag alone.</summary>
    private static byte[] ExifPayload(int orientation, bool bigEndian)
    {
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
        return [.. "Exif\0\0"u8, .. tiff];
    }

    /// <summary><paramref name="jpeg"/> with an APP1 segment of <paramref name="payload"/> after its start-of-image marker.</summary>
    private static byte[] WithApp1(byte[] jpeg, byte[] payload) =>
        [.. jpeg[..2], 0xFF, 0xE1, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2), .. payload, .. jpeg[2..]];

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
    public void An_orientation_exif_does_not_define_is_used_as_stored_and_said_so(int orientation)
    {
        // Some programs write 0 for "unknown"; viewers show such a file as stored.
        var (width, height, pixels) = Render(StoredLayout(6));
        GrayImage image = EncodedImageReader.Read(JpegWithOrientation(width, height, pixels, orientation, bigEndian: false), ImageFormat.Jpeg);

        Assert.Equal((24, 16, ExifOrientation.Undefined), (image.Width, image.Height, image.TurnedBy));
        Assert.Equal("an EXIF orientation EXIF does not define: used as stored", ImageOrientation.Describe(image.TurnedBy));
    }

    [Fact]
    public void A_damaged_exif_segment_is_decoded_or_refused_with_a_message_never_a_crash()
    {
        // MetadataExtractor records most damage in the directory rather than throwing; were it to throw anything but the
        // exceptions the reader turns into ImageFormatException, the kiosk would die on the press. Every cut of the segment,
        // and every byte of it set to FF, in turn.
        var (width, height, pixels) = Render(UprightLayout);
        byte[] jpeg = Jpeg(width, height, pixels), payload = ExifPayload(6, bigEndian: true);
        var damaged = Enumerable.Range(0, payload.Length).Select(n => payload[..n])
            .Concat(Enumerable.Range(0, payload.Length).Select(i => payload.Select((b, j) => j == i ? (byte)0xFF : b).ToArray()));

        int refused = 0;
        foreach (byte[] segment in damaged)
        {
            try
            {
                GrayImage image = EncodedImageReader.Read(WithApp1(jpeg, segment), ImageFormat.Jpeg);
                Assert.Equal(16 * 24, image.Pixels.Length); // turned or not, as what survived of the tag says
            }
            catch (ImageFormatException e)
            {
                Assert.StartsWith("JPEG segments cannot be read for the EXIF orientation", e.Message);
                refused++;
            }
        }
        Assert.True(refused < payload.Length, "a damaged EXIF segment should mostly cost the orientation, not the image");
    }
}
