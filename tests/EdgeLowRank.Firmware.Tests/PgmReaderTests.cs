using System.Text;
using EdgeLowRank.Samples.DigitKiosk.Imaging;

namespace EdgeLowRank.Firmware.Tests;

public class PgmReaderTests
{
    [Fact]
    public void Binary_P5_with_a_comment_decodes_every_pixel_scaled_to_one()
    {
        byte[] pixels = TestImages.Gradient(5, 3);
        GrayImage image = PgmReader.Read(TestImages.Pgm(5, 3, pixels, header: "# made by a test\n"));
        Assert.Equal((5, 3), (image.Width, image.Height));
        Assert.Equal(pixels.Select(p => p / 255f), image.Pixels);
    }

    [Fact]
    public void Plain_P2_decodes_with_its_own_maxval()
    {
        GrayImage image = PgmReader.Read(Encoding.ASCII.GetBytes("P2\n2 2\n15\n0 15\n 5\n10\n"));
        Assert.Equal([0f, 1f, 5 / 15f, 10 / 15f], image.Pixels);
    }

    [Fact]
    public void Sixteen_bit_P5_reads_big_endian_samples()
    {
        byte[] file = [.. Encoding.ASCII.GetBytes("P5 2 1 1000\n"), 0x03, 0xE8, 0x01, 0xF4];
        Assert.Equal([1f, 0.5f], PgmReader.Read(file).Pixels);
    }

    [Theory]
    [InlineData("P6\n1 1\n255\n", "P5")]
    [InlineData("P5\n0 1\n255\n", "width")]
    [InlineData("P5\n99999 1\n255\n", "width")]
    [InlineData("P5\n2x 2\n255\n", "width")]
    [InlineData("P5\n1 1\n", "maxval")]
    [InlineData("P2\n2 1\n10\n3 11\n", "pixel 1")]
    [InlineData("P2\n2 1\n10\n3", "pixel 1")]
    public void Malformed_headers_name_what_is_wrong(string text, string expected)
    {
        var e = Assert.Throws<ImageFormatException>(() => PgmReader.Read(Encoding.ASCII.GetBytes(text)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Truncated_raster_says_how_many_bytes_were_expected()
    {
        var e = Assert.Throws<ImageFormatException>(() => PgmReader.Read(TestImages.Pgm(4, 4, new byte[10])));
        Assert.Contains("expected 16", e.Message);
    }
}
