namespace EdgeLowRank.Runtime.Kernels;

/// <summary>A channels-last image copied into the middle of a larger one whose border holds one value, so that a padded
/// window can run as an unpadded one: zeros for a convolution, −∞ for max pooling (a border pixel never wins).</summary>
internal static class BorderedImage
{
    /// <summary>Floats of the bordered copy of a height × width × channels image with <paramref name="padding"/> pixels on
    /// every side; 0 without padding.</summary>
    public static int Floats(int height, int width, int channels, int padding) =>
        padding == 0 ? 0 : checked((height + 2 * padding) * (width + 2 * padding) * channels);

    /// <summary>Writes the image into the middle of <paramref name="bordered"/>, <paramref name="padding"/> pixels of
    /// <paramref name="border"/> on every side, and returns the (height + 2·padding) × (width + 2·padding) copy.</summary>
    public static ReadOnlySpan<float> Copy(ReadOnlySpan<float> image, int height, int width, int channels, int padding, float border, Span<float> bordered)
    {
        int rowFloats = width * channels, borderedRowFloats = (width + 2 * padding) * channels;
        Span<float> target = bordered[..((height + 2 * padding) * borderedRowFloats)];
        target.Fill(border);
        for (int y = 0; y < height; y++)
            image.Slice(y * rowFloats, rowFloats).CopyTo(target.Slice((y + padding) * borderedRowFloats + padding * channels, rowFloats));
        return target;
    }
}
