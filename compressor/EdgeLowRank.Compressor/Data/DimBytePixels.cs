namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// The warning for a folder's uint8 images whose bytes all stay far below 255: scaled by 1/255 as every uint8 array is,
/// they train a network on near-black images. The UCI digits' own 0–16 pixels, as <c>elr data export digits</c> writes
/// them for elr-run, trained the digits MLP to 8.91% error instead of 2.79% without a word (a user trial).
/// </summary>
internal static class DimBytePixels
{
    /// <summary>The largest byte of an array that reads as pixels of a small full scale rather than 0–255 images, as elr-run's
    /// input check takes it.</summary>
    public const byte LargestSmallScalePixel = 31;

    /// <summary>One warning naming the arrays whose largest byte is at most <see cref="LargestSmallScalePixel"/>, or null.</summary>
    /// <param name="dataset">The folder's data set name.</param>
    /// <param name="arrays">Each image file and its largest byte; null for a float array.</param>
    public static string? Warning(string dataset, IReadOnlyList<(string File, byte? Largest)> arrays)
    {
        var dim = arrays.Where(a => a.Largest <= LargestSmallScalePixel).Select(a => (a.File, Largest: a.Largest!.Value)).ToArray();
        if (dim.Length == 0) return null;
        byte largest = dim.Max(a => a.Largest);
        string files = string.Join(" and ", dim.Select(a => $"{dataset}/{a.File}"));
        return $"{files} hold{(dim.Length == 1 ? "s" : "")} uint8 pixels up to {largest} only. uint8 arrays are scaled by 1/255, so no pixel reaches "
            + $"{(largest + 1) / 255.0:0.###}: if {largest} or so is their full scale (the UCI digits' 0–16, as elr data export writes them), save the images "
            + $"as float32 divided by it ((x / {largest}).astype(np.float32)); ignore this if they are dark 0–255 images.";
    }
}
