using EdgeLowRank.Samples.DigitKiosk.Imaging;

namespace EdgeLowRank.Firmware.Tests;

/// <summary>--resize's framing: the digit's ink found, fitted into MNIST's 20×20 box keeping its aspect, centred by mass.</summary>
public class DigitFramingTests
{
    /// <summary>A <paramref name="width"/>×<paramref name="height"/> sheet of paper (0.85) with dark (0.1) rectangles
    /// (left, top, width, height) drawn on it, in the model's polarity (inverted: light ink on dark).</summary>
    private static GrayImage InvertedPhoto(int width, int height, params (int Left, int Top, int Width, int Height)[] strokes)
    {
        var pixels = Enumerable.Repeat(0.85f, width * height).ToArray();
        foreach (var (left, top, w, h) in strokes)
            for (int y = top; y < top + h; y++)
            for (int x = left; x < left + w; x++)
                pixels[y * width + x] = 0.1f;
        return new GrayImage(width, height, [.. pixels.Select(p => 1f - p)]);
    }

    private static GrayImage Framed(GrayImage image) => DigitFraming.Frame(image, Ink.Find(image), 28, 28);

    /// <summary>The box (left, top, width, height) of the pixels above zero.</summary>
    private static (int, int, int, int) Extent(GrayImage image)
    {
        int[] lit = [.. Enumerable.Range(0, image.Pixels.Length).Where(i => image.Pixels[i] > 0)];
        int left = lit.Min(i => i % image.Width), top = lit.Min(i => i / image.Width);
        return (left, top, lit.Max(i => i % image.Width) - left + 1, lit.Max(i => i / image.Width) - top + 1);
    }

    private static (double X, double Y) MassCentre(GrayImage image)
    {
        double mass = image.Pixels.Sum(p => (double)p);
        return (Enumerable.Range(0, image.Pixels.Length).Sum(i => i % image.Width * (double)image.Pixels[i]) / mass,
            Enumerable.Range(0, image.Pixels.Length).Sum(i => i / image.Width * (double)image.Pixels[i]) / mass);
    }

    [Fact]
    public void A_digit_framed_as_MNISTs_already_comes_back_the_same()
    {
        // A 3×20 bar whose centre of mass is at pixel (14, 13.5), as MNIST's own digits' are (14.01, 13.99 on average): a frame
        // centred on the field's middle (13.5) moved it a pixel left.
        var pixels = new float[28 * 28];
        for (int y = 4; y < 24; y++)
        for (int x = 13; x < 16; x++)
            pixels[y * 28 + x] = 1f;
        var mnist = new GrayImage(28, 28, pixels);

        Assert.Equal(pixels, Framed(mnist).Pixels);
    }

    [Fact]
    public void An_off_centre_digit_is_fitted_to_20_pixels_and_centred_by_its_mass_with_paper_at_0_and_ink_at_1()
    {
        // An L, 20 wide and 40 tall, in the top right corner of a 200×150 sheet: fitted to 10×20.
        GrayImage photo = InvertedPhoto(200, 150, (170, 5, 8, 40), (170, 37, 20, 8));

        GrayImage framed = Framed(photo);

        var (_, _, width, height) = Extent(framed);
        Assert.Equal((10, 20), (width, height));
        var (x, y) = MassCentre(framed);
        Assert.InRange(x, 13.5, 14.5);
        Assert.InRange(y, 13.5, 14.5);
        Assert.Equal(1f, framed.Pixels.Max(), 1e-5f);
        Assert.Equal(28 * 28 - 10 * 20, framed.Pixels.Count(p => p == 0f));
    }

    [Fact]
    public void Specks_of_dust_do_not_stretch_the_box()
    {
        (int, int, int, int)[] digit = [(120, 40, 8, 40), (120, 72, 20, 8)];
        GrayImage clean = InvertedPhoto(200, 150, digit), dusty = InvertedPhoto(200, 150, [.. digit, (5, 5, 2, 2), (190, 140, 3, 2)]);

        Assert.Equal(Framed(clean).Pixels, Framed(dusty).Pixels);
        Assert.Equal(new InkBox(120, 40, 20, 40, 8 * 40 + 12 * 8), Ink.Find(dusty).Box);
    }

    [Fact]
    public void A_digit_in_two_strokes_keeps_both()
    {
        // A 4 written as two strokes that do not touch: the box holds both, not the larger alone.
        GrayImage photo = InvertedPhoto(200, 150, (50, 30, 6, 60), (80, 30, 6, 30));

        Assert.Equal(new InkBox(50, 30, 36, 60, 6 * 60 + 6 * 30), Ink.Find(photo).Box);
    }

    [Fact]
    public void A_wide_digit_keeps_its_aspect_ratio()
    {
        GrayImage framed = Framed(InvertedPhoto(100, 100, (10, 60, 40, 10)));

        var (_, _, width, height) = Extent(framed);
        Assert.Equal((20, 5), (width, height));
    }

    [Fact]
    public void A_blank_sheet_has_no_ink()
    {
        // Shading of 0.1 across the sheet is lighting, not a digit.
        var shaded = new GrayImage(50, 40, [.. Enumerable.Range(0, 50 * 40).Select(i => 0.1f + 0.1f * (i % 50) / 50)]);

        Ink ink = Ink.Find(shaded);

        Assert.Null(ink.Box);
        Assert.InRange(ink.Brightest - ink.Background, 0, Ink.MinimumContrast);
    }
}
