namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// The content of the UCI optical digits CSV: per sample 64 pixel counts (0..16, the number of
/// set pixels in a 4×4 block of the original 32×32 bitmap), row-major 8×8, and a label 0..9.
/// </summary>
/// <param name="Pixels">Count × 64 values in 0..<see cref="DigitsCsvReader.MaxPixelValue"/>.</param>
/// <param name="Labels">Count labels in 0..9.</param>
public sealed record DigitsCsv(byte[] Pixels, byte[] Labels)
{
    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;
}
