using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>A channels-last image copied into the middle of a larger one whose border holds one value, so that a padded
/// window can run as an unpadded one: zeros for a convolution, −∞ for max pooling (a border pixel never wins).</summary>
internal static class BorderedImage
{
    /// <summary>Floats of the bordered copy of a height × width × channels image with <paramref name="pads"/> around it;
    /// 0 without padding.</summary>
    public static int Floats(int height, int width, int channels, WindowPadding pads) =>
        pads.IsZero ? 0 : checked((height + pads.Height) * (width + pads.Width) * channels);

    /// <summary>Writes the image into <paramref name="bordered"/> with <paramref name="pads"/> rows and columns of
    /// <paramref name="border"/> around it, and returns the (height + top + bottom) × (width + left + right) copy.</summary>
    public static ReadOnlySpan<float> Copy(ReadOnlySpan<float> image, int height, int width, int channels, WindowPadding pads, float border, Span<float> bordered)
    {
        // The right padding is in the bordered row's length: the fill after a row's pixels runs to the next row's left edge.
        int rowFloats = width * channels, borderedRowFloats = (width + pads.Width) * channels, left = pads.Left * channels;
        Span<float> target = bordered[..((height + pads.Height) * borderedRowFloats)];
        // Only the border is filled: the image's rows overwrite the middle anyway (a ResNet stem's copy is 114×114×64).
        target[..(pads.Top * borderedRowFloats + left)].Fill(border); // the rows above, and the left edge of the first row
        for (int y = 0; y < height; y++)
        {
            int row = (y + pads.Top) * borderedRowFloats;
            image.Slice(y * rowFloats, rowFloats).CopyTo(target.Slice(row + left, rowFloats));
            // The right edge of this row and the left edge of the next are contiguous; after the last row, the rows below.
            int next = y + 1 < height ? row + borderedRowFloats + left : target.Length;
            target[(row + left + rowFloats)..next].Fill(border);
        }
        return target;
    }
}
