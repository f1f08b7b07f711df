namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>
/// Area resampling, for <see cref="DigitFraming"/>: each output pixel is the mean of the input pixels it covers (fractions of
/// a pixel weighted), as image libraries' "area" resampling does: a plain nearest or bilinear pick from 17 input pixels per
/// output pixel would keep one and alias a thin pen stroke away.
/// </summary>
internal static class ImageScaling
{
    /// <summary>The whole <paramref name="image"/> averaged by area to <paramref name="width"/>×<paramref name="height"/>, up as
    /// well as down; the caller keeps the aspect ratio if it wants it.</summary>
    public static GrayImage ToSize(GrayImage image, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        double stepX = image.Width / (double)width, stepY = image.Height / (double)height;
        var pixels = new float[width * height];
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
            pixels[y * width + x] = AreaMean(image, x * stepX, y * stepY, stepX, stepY);
        return new GrayImage(width, height, pixels);
    }

    /// <summary>The mean of <paramref name="image"/> over the rectangle at (<paramref name="x0"/>, <paramref name="y0"/>) of
    /// the given size, in pixel units, each input pixel weighted by how much of it the rectangle covers.</summary>
    private static float AreaMean(GrayImage image, double x0, double y0, double width, double height)
    {
        double x1 = x0 + width, y1 = y0 + height, sum = 0, weights = 0;
        for (int y = Math.Max(0, (int)Math.Floor(y0)); y < Math.Min(image.Height, (int)Math.Ceiling(y1)); y++)
        {
            double wy = Math.Min(y + 1, y1) - Math.Max(y, y0);
            for (int x = Math.Max(0, (int)Math.Floor(x0)); x < Math.Min(image.Width, (int)Math.Ceiling(x1)); x++)
            {
                double w = wy * (Math.Min(x + 1, x1) - Math.Max(x, x0));
                sum += w * image.Pixels[y * image.Width + x];
                weights += w;
            }
        }
        return (float)(sum / weights);
    }
}
