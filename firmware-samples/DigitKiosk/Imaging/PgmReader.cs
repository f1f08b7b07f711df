using System.Globalization;

namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>
/// Reads Netpbm grayscale images: binary P5 (8-bit, or 16-bit big-endian when maxval &gt; 255) and
/// plain-text P2. Comments (# to end of line) are allowed in the header, as the format permits.
/// </summary>
internal static class PgmReader
{
    /// <summary>Largest width or height accepted: a kiosk image is small, and this keeps width × height far from overflow.</summary>
    private const int MaxSide = 4096;

    /// <summary>Decodes a whole PGM file.</summary>
    /// <exception cref="ImageFormatException">The bytes are not a PGM image this reader supports.</exception>
    public static GrayImage Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < 2 || file[0] != (byte)'P' || (file[1] != (byte)'5' && file[1] != (byte)'2'))
            throw new ImageFormatException("Not a PGM image: it must start with 'P5' (binary) or 'P2' (text).");
        bool binary = file[1] == (byte)'5';
        int position = 2;
        int width = ReadHeaderNumber(file, ref position, "width", 1, MaxSide);
        int height = ReadHeaderNumber(file, ref position, "height", 1, MaxSide);
        int maxValue = ReadHeaderNumber(file, ref position, "maxval", 1, 65535);
        var pixels = new float[width * height];
        if (binary)
        {
            // Exactly one whitespace byte separates the header from the raster.
            if (position >= file.Length || !IsWhitespace(file[position]))
                throw new ImageFormatException($"PGM header ends at byte {position} without the single whitespace byte before the pixels.");
            ReadBinaryRaster(file[(position + 1)..], maxValue, pixels);
        }
        else
        {
            for (int i = 0; i < pixels.Length; i++)
                pixels[i] = ReadHeaderNumber(file, ref position, $"pixel {i}", 0, maxValue) / (float)maxValue;
        }
        return new GrayImage(width, height, pixels);
    }

    private static void ReadBinaryRaster(ReadOnlySpan<byte> raster, int maxValue, float[] pixels)
    {
        int bytesPerPixel = maxValue > 255 ? 2 : 1;
        long needed = (long)pixels.Length * bytesPerPixel;
        if (raster.Length < needed)
            throw new ImageFormatException($"PGM pixel data is truncated: {raster.Length} bytes, expected {needed}.", mayBeStillWritten: true);
        for (int i = 0; i < pixels.Length; i++)
        {
            int value = bytesPerPixel == 1 ? raster[i] : (raster[2 * i] << 8) | raster[2 * i + 1];
            if (value > maxValue) throw new ImageFormatException($"PGM pixel {i} is {value}, above maxval {maxValue}.");
            pixels[i] = value / (float)maxValue;
        }
    }

    /// <summary>Skips whitespace and comments, then reads one decimal number in [min, max].</summary>
    private static int ReadHeaderNumber(ReadOnlySpan<byte> file, ref int position, string what, int min, int max)
    {
        while (position < file.Length && (IsWhitespace(file[position]) || file[position] == (byte)'#'))
        {
            if (file[position] == (byte)'#')
                while (position < file.Length && file[position] != (byte)'\n') position++;
            else position++;
        }
        int start = position;
        while (position < file.Length && file[position] is >= (byte)'0' and <= (byte)'9' && position - start < 6) position++;
        if (position == start || !int.TryParse(file[start..position], NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            || value < min || value > max || (position < file.Length && !IsWhitespace(file[position]) && file[position] != (byte)'#'))
            throw new ImageFormatException($"PGM {what} at byte {start}: expected a number from {min} to {max}.");
        return value;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';
}
