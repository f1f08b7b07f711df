namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>Reverses the five PNG row filters (PNG spec, section 9) in place.</summary>
internal static class PngFilters
{
    /// <summary>Turns a filtered <paramref name="row"/> back into pixel bytes, given the already
    /// unfiltered <paramref name="previous"/> row (all zeros for the first row).</summary>
    /// <exception cref="ImageFormatException">The filter type is not 0–4.</exception>
    public static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel, int rowIndex)
    {
        for (int i = 0; i < row.Length; i++)
        {
            int left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
            int up = rowIndex > 0 ? previous[i] : 0;
            int upLeft = rowIndex > 0 && i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) / 2,
                4 => Paeth(left, up, upLeft),
                _ => throw new ImageFormatException($"PNG row {rowIndex} uses filter type {filter}; only 0–4 exist."),
            };
            row[i] = (byte)(row[i] + predictor);
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
