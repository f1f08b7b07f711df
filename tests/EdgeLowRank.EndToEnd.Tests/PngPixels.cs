using SkiaSharp;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>A PNG read back to count what was drawn in it: a plot whose file is valid but whose curves are missing fails here.</summary>
internal sealed class PngPixels
{
    private readonly SKBitmap _bitmap;

    private PngPixels(SKBitmap bitmap) => _bitmap = bitmap;

    /// <summary>Decodes the PNG at <paramref name="path"/>; fails the test when it is not one.</summary>
    public static PngPixels Read(string path) =>
        new(SKBitmap.Decode(path) ?? throw new Xunit.Sdk.XunitException($"{path} is not an image SkiaSharp can decode"));

    public int Width => _bitmap.Width;

    public int Height => _bitmap.Height;

    /// <summary>How many pixels are within <paramref name="tolerance"/> of <paramref name="rgb"/> (0xRRGGBB) in every channel.</summary>
    public int Count(uint rgb, int tolerance = 8)
    {
        int r = (int)(rgb >> 16) & 0xFF, g = (int)(rgb >> 8) & 0xFF, b = (int)rgb & 0xFF;
        int count = 0;
        foreach (SKColor pixel in _bitmap.Pixels)
            if (Math.Abs(pixel.Red - r) <= tolerance && Math.Abs(pixel.Green - g) <= tolerance && Math.Abs(pixel.Blue - b) <= tolerance) count++;
        return count;
    }
}
