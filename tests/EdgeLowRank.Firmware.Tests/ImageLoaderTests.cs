using EdgeLowRank.Samples.DigitKiosk.Imaging;

namespace EdgeLowRank.Firmware.Tests;

public sealed class ImageLoaderTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("x.png", "where a PNG file starts with 89 50 4e 47 0d 0a 1a 0a")]
    [InlineData("x.JPG", "where a JPEG file starts with ff d8 ff")]
    [InlineData("x.pgm", "where a PGM file starts with 'P5' or 'P2'")]
    public void A_file_of_no_known_signature_is_told_by_its_first_bytes_and_the_format_its_name_promised(string name, string promised)
    {
        // A trial's "hello" in a .png was told "Not a PGM image".
        File.WriteAllText(_folder.File(name), "hello");
        string message = Assert.Throws<ImageFormatException>(() => ImageLoader.Load(_folder.File(name))).Message;
        Assert.Equal($"not an image the kiosk reads: it starts with 68 65 6c 6c 6f, {promised}. PGM, PNG, JPEG and BMP are read.", message);
    }

    [Fact]
    public void The_newest_image_is_found_whatever_the_case_of_its_extension()
    {
        // Cameras write IMG_0001.JPG.
        File.WriteAllBytes(_folder.File("old.pgm"), TestImages.Pgm(2, 2, [1, 2, 3, 4]));
        File.SetLastWriteTimeUtc(_folder.File("old.pgm"), DateTime.UtcNow.AddMinutes(-1));
        File.WriteAllBytes(_folder.File("IMG_0001.JPG"), [0xFF, 0xD8, 0xFF]);
        File.WriteAllText(_folder.File("notes.txt"), "newer, but no image");
        File.SetLastWriteTimeUtc(_folder.File("notes.txt"), DateTime.UtcNow.AddMinutes(1));

        Assert.Equal("IMG_0001.JPG", ImageLoader.FindNewest(_folder.Path)?.Name);
    }
}
