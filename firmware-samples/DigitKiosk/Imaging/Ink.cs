namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>
/// Where a digit's ink is in a photo of one digit on paper, in the model's polarity (light ink on a dark background, after
/// --invert). The background is the median level (the paper is most of such a photo), the ink the brightest; a pixel is ink
/// when it is past halfway between them. Blobs of ink under a tenth of the largest blob's pixels are dropped as dust, specks
/// and noise, which would otherwise stretch the box; the box is around the rest, so a digit drawn in two strokes (a 4, a
/// 5) keeps both.
/// </summary>
/// <param name="Background">The median level, taken as the paper's.</param>
/// <param name="Brightest">The brightest level, taken as the ink's.</param>
/// <param name="Box">The digit's bounding box in pixels, or null when nothing stands out by <see cref="MinimumContrast"/>.</param>
internal sealed record Ink(float Background, float Brightest, InkBox? Box)
{
    /// <summary>The least step from background to ink that is a digit. In measure-resize.py's renderings a blank sheet's
    /// shading and noise reach 0.11 above its median, and ink stands 0.5 to 0.9 above the paper.</summary>
    public const float MinimumContrast = 0.25f;

    /// <summary>How far from background to ink a pixel at a stroke's edge must be to count into the box: MNIST's box held
    /// its digits' anti-aliased edges too. A blob of such pixels is the digit's only if it holds ink past halfway, so noise
    /// and shading stay out. On 300 clean MNIST digits 0.2 and 0.1 gave 97.7% right, halfway 97.0%: two digits, so weak
    /// evidence, but none for leaving the edges out.</summary>
    public const float EdgeShare = 0.2f;

    /// <summary>Blobs with fewer pixels than this fraction of the largest blob's are not the digit.</summary>
    public const float SpeckFraction = 0.1f;

    /// <summary>Finds the ink in <paramref name="image"/>.</summary>
    public static Ink Find(GrayImage image)
    {
        float background = Median(image.Pixels), brightest = image.Pixels.Max();
        if (brightest - background < MinimumContrast) return new Ink(background, brightest, null);
        float strong = background + (brightest - background) / 2, faint = background + EdgeShare * (brightest - background);
        List<InkBox> blobs = Blobs(image.Pixels, faint, strong, image.Width, image.Height);
        int largest = blobs.Max(b => b.PixelCount);
        InkBox[] kept = [.. blobs.Where(b => b.PixelCount >= SpeckFraction * largest)];
        int left = kept.Min(b => b.Left), top = kept.Min(b => b.Top);
        int right = kept.Max(b => b.Left + b.Width), bottom = kept.Max(b => b.Top + b.Height);
        return new Ink(background, brightest, new InkBox(left, top, right - left, bottom - top, kept.Sum(b => b.PixelCount)));
    }

    /// <summary>The median to a 1024th, by a histogram: linear time and no copy, where a sort would copy and order every
    /// pixel of a 12-megapixel photo.</summary>
    private static float Median(float[] pixels)
    {
        const int Bins = 1024;
        var counts = new int[Bins];
        foreach (float p in pixels) counts[Math.Clamp((int)(p * Bins), 0, Bins - 1)]++;
        for (int bin = 0, seen = 0; ; bin++)
        {
            seen += counts[bin];
            if (2 * seen >= pixels.Length) return (bin + 0.5f) / Bins;
        }
    }

    /// <summary>The 8-connected blobs of pixels above <paramref name="faint"/>, each with its box and its count of pixels
    /// above <paramref name="strong"/>; blobs with none are dropped.</summary>
    private static List<InkBox> Blobs(float[] pixels, float faint, float strong, int width, int height)
    {
        var mask = new bool[pixels.Length];
        for (int i = 0; i < mask.Length; i++) mask[i] = pixels[i] > faint;
        var blobs = new List<InkBox>();
        var stack = new Stack<int>();
        for (int start = 0; start < mask.Length; start++)
        {
            if (!mask[start]) continue;
            mask[start] = false;
            stack.Push(start);
            int count = 0, left = width, top = height, right = -1, bottom = -1;
            while (stack.TryPop(out int at))
            {
                int x = at % width, y = at / width;
                if (pixels[at] > strong) count++;
                (left, right, top, bottom) = (Math.Min(left, x), Math.Max(right, x), Math.Min(top, y), Math.Max(bottom, y));
                for (int ny = Math.Max(0, y - 1); ny <= Math.Min(height - 1, y + 1); ny++)
                for (int nx = Math.Max(0, x - 1); nx <= Math.Min(width - 1, x + 1); nx++)
                {
                    if (!mask[ny * width + nx]) continue;
                    mask[ny * width + nx] = false;
                    stack.Push(ny * width + nx);
                }
            }
            if (count > 0) blobs.Add(new InkBox(left, top, right - left + 1, bottom - top + 1, count));
        }
        return blobs;
    }
}

/// <summary>A box of ink in an image, in whole pixels.</summary>
/// <param name="Left">The first column.</param>
/// <param name="Top">The first row.</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
/// <param name="PixelCount">The ink pixels inside.</param>
internal sealed record InkBox(int Left, int Top, int Width, int Height, int PixelCount);
