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
        int rowFloats = width * channels, borderedRowFloats = (width + 2 * padding) * channels, side = padding * channels;
        Span<float> target = bordered[..((height + 2 * padding) * borderedRowFloats)];
        // Only the border is filled: the image's rows overwrite the middle anyway (a ResNet stem's copy is 114×114×64).
        target[..(padding * borderedRowFloats + side)].Fill(border); // the rows above, and the left edge of the first row
        for (int y = 0; y < height; y++)
        {
            int row = (y + padding) * borderedRowFloats;
            image.Slice(y * rowFloats, rowFloats).CopyTo(target.Slice(row + side, rowFloats));
            // The right edge of this row and the left edge of the next are contiguous; after the last row, the rows below.
            int next = y + 1 < height ? row + borderedRowFloats + side : target.Length;
            target[(row + side + rowFloats)..next].Fill(border);
        }
        return target;
    }
}
