using EdgeLowRank.Samples.DigitKiosk.Imaging;
using StbImageWriteSharp;

namespace EdgeLowRank.Firmware.Tests;

public class EncodedImageReaderTests
{
    private static GrayImage Png(byte[] file) => EncodedImageReader.Read(file, ImageFormat.Png);

    private static string Refused(byte[] file, ImageFormat format) =>
        Assert.Throws<ImageFormatException>(() => EncodedImageReader.Read(file, format)).Message;

    /// <summary>stb_image's gray: BT.601 luma (0.299, 0.587, 0.114) in eighths of a 256th, (77 r + 150 g + 29 b) / 256.</summary>
    private static float Luma(byte r, byte g, byte b) => (0.299f * r + 0.587f * g + 0.114f * b) / 255f;

    private static byte[] Written(Action<ImageWriter, Stream> write)
    {
        var file = new MemoryStream();
        write(new ImageWriter(), file);
        return file.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Grayscale_rows_decode_under_every_filter(byte filter)
    {
        byte[] pixels = TestImages.Gradient(28, 28);
        GrayImage image = Png(TestImages.Png(28, 28, pixels, filterOf: y => y == 0 ? (byte)0 : filter));
        Assert.Equal(pixels.Select(p => p / 255f), image.Pixels);
    }

    [Fact]
    public void Colour_becomes_luma_and_alpha_composites_over_black()
    {
        byte[] rgb = TestImages.Gradient(7, 5, channels: 3);
        GrayImage colour = Png(TestImages.Png(7, 5, rgb, colorType: 2, filterOf: y => (byte)(y % 5)));
        for (int i = 0; i < 35; i++) Assert.Equal(Luma(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]), colour.Pixels[i], 1.5f / 255);

        Assert.Equal([200 / 255f, 0f], Png(TestImages.Png(2, 1, [200, 255, 200, 0], colorType: 4)).Pixels);
    }

    [Fact]
    public void Palette_and_interlaced_images_decode_as_the_plain_image()
    {
        // Both were refused by the reader this one replaced ("save as grayscale", "save without interlacing").
        byte[] indices = [0, 1, 2, 1, 0, 2];
        GrayImage palette = Png(TestImages.Png(3, 2, indices, colorType: 3, palette: [0, 0, 0, 255, 255, 255, 90, 90, 90]));
        Assert.Equal(indices.Select(i => new[] { 0f, 1f, 90 / 255f }[i]), palette.Pixels);

        byte[] pixels = TestImages.Gradient(11, 9);
        Assert.Equal(pixels.Select(p => p / 255f), Png(TestImages.Png(11, 9, pixels, interlace: 1)).Pixels);
    }

    [Fact]
    public void A_jpeg_and_a_bmp_as_other_programs_write_them_decode()
    {
        byte[] gray = TestImages.Gradient(28, 28);
        byte[] jpeg = Written((w, s) => w.WriteJpg(gray, 28, 28, ColorComponents.Grey, s, 100));
        GrayImage fromJpeg = EncodedImageReader.Read(jpeg, ImageFormat.Jpeg);
        Assert.Equal((28, 28), (fromJpeg.Width, fromJpeg.Height));
        // Lossy: at quality 100 the gradient comes back within a few levels of 255.
        Assert.All(gray.Zip(fromJpeg.Pixels), p => Assert.Equal(p.First / 255f, p.Second, 6f / 255));

        byte[] rgb = TestImages.Gradient(5, 3, channels: 3);
        GrayImage fromBmp = EncodedImageReader.Read(Written((w, s) => w.WriteBmp(rgb, 5, 3, ColorComponents.RedGreenBlue, s)), ImageFormat.Bmp);
        for (int i = 0; i < 15; i++) Assert.Equal(Luma(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]), fromBmp.Pixels[i], 1.5f / 255);
    }

    [Fact]
    public void A_file_cut_short_is_refused_in_every_format_where_the_decoder_would_pad_it()
    {
        // A camera script may still be writing the newest file when the button is pressed; stb_image decodes a cut JPEG
        // or BMP without a word, the lost rows black.
        byte[] gray = TestImages.Gradient(28, 28);
        byte[] png = TestImages.Png(28, 28, gray);
        byte[] jpeg = Written((w, s) => w.WriteJpg(gray, 28, 28, ColorComponents.Grey, s, 90));
        byte[] bmp = Written((w, s) => w.WriteBmp(gray, 28, 28, ColorComponents.Grey, s));

        Assert.Contains("IEND never came", Refused(png[..^12], ImageFormat.Png));
        Assert.Contains("claims", Refused(png[..^20], ImageFormat.Png));
        Assert.Contains("end-of-image marker (FF D9): the file is cut short", Refused(jpeg[..(jpeg.Length / 2)], ImageFormat.Jpeg));
        Assert.Contains("cut short", Refused(bmp[..^100], ImageFormat.Bmp));
        // Zero padding after a JPEG's last marker is no cut.
        Assert.Equal(28, EncodedImageReader.Read([.. jpeg, 0, 0, 0], ImageFormat.Jpeg).Width);
    }

    [Fact]
    public void A_bmp_whose_header_records_no_size_is_checked_by_its_rows()
    {
        byte[] bmp = Written((w, s) => w.WriteBmp(TestImages.Gradient(28, 28), 28, 28, ColorComponents.Grey, s));
        bmp[2] = bmp[3] = bmp[4] = bmp[5] = 0; // some writers leave the file size 0
        Assert.Equal(28, EncodedImageReader.Read(bmp, ImageFormat.Bmp).Height);
        Assert.Contains("BMP pixels end at byte", Refused(bmp[..^100], ImageFormat.Bmp));
    }

    [Fact]
    public void A_corrupt_chunk_fails_its_crc()
    {
        byte[] file = TestImages.Png(4, 4, TestImages.Gradient(4, 4));
        file[20] ^= 1; // inside IHDR's data
        Assert.Contains("PNG chunk IHDR at byte 8 has a wrong CRC", Refused(file, ImageFormat.Png));
    }

    [Fact]
    public void Pixel_data_that_does_not_inflate_is_damaged_not_an_exception_of_the_decoder()
    {
        byte[] small = TestImages.Png(4, 2, TestImages.Gradient(4, 2));
        byte[] claimsMore = TestImages.Png(4, 4, TestImages.Gradient(4, 4));
        // The 4×4 header with the 4×2 image's data, every CRC right: only the decoder can tell.
        byte[] spliced = [.. claimsMore[..33], .. small[33..]];
        string message = Refused(spliced, ImageFormat.Png);
        Assert.StartsWith("PNG image data does not decode", message);
        Assert.EndsWith(": the file is damaged, or cut short (still being written?).", message);
    }

    [Fact]
    public void A_huge_declared_size_is_refused_before_any_pixel_is_decoded()
    {
        Assert.Contains("PNG size 5000×1 is outside 1..4096 per side", Refused(TestImages.Png(5000, 1, new byte[5000]), ImageFormat.Png));
    }
}
