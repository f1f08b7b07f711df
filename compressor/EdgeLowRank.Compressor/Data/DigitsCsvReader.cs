using System.Globalization;

namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Reads the UCI optical digits as scikit-learn ships them (<c>digits.csv.gz</c>): no header, one
/// sample a line, 64 integer pixel columns in 0..16 and a label column in 0..9. Plain or gzip.
/// </summary>
public static class DigitsCsvReader
{
    /// <summary>Pixel columns per line (8×8).</summary>
    public const int PixelColumns = 64;

    /// <summary>Largest pixel value: a pixel counts the set bits of a 4×4 block.</summary>
    public const int MaxPixelValue = 16;

    /// <summary>Labels are the digits 0..9.</summary>
    public const int ClassCount = 10;

    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">A line has the wrong number of columns or a value out of range.</exception>
    public static DigitsCsv Read(string path)
    {
        using Stream stream = DataFile.Open(path, out _);
        using var reader = new StreamReader(stream);
        var pixels = new List<byte>();
        var labels = new List<byte>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue; // a trailing newline at the end of the file
            }
            ParseLine(path, lineNumber, line, pixels, labels);
        }
        if (labels.Count == 0)
        {
            throw new DataFormatException(path, "line 1", "no samples; expected lines of 64 pixel values and a label");
        }
        return new DigitsCsv(pixels.ToArray(), labels.ToArray());
    }

    private static void ParseLine(string path, int lineNumber, string line, List<byte> pixels, List<byte> labels)
    {
        int column = 0;
        foreach (Range field in line.AsSpan().Split(','))
        {
            column++;
            if (column > PixelColumns + 1)
            {
                break;
            }
            bool isLabel = column == PixelColumns + 1;
            int max = isLabel ? ClassCount - 1 : MaxPixelValue;
            ReadOnlySpan<char> text = line.AsSpan(field).Trim();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > max)
            {
                throw new DataFormatException(path, $"line {lineNumber}, column {column}",
                    $"'{text}' is not {(isLabel ? "a label" : "a pixel value")}; expected an integer 0..{max}");
            }
            (isLabel ? labels : pixels).Add((byte)value);
        }
        if (column != PixelColumns + 1)
        {
            throw new DataFormatException(path, $"line {lineNumber}",
                $"{CountFields(line)} columns; expected {PixelColumns} pixel columns and a label ({PixelColumns + 1})");
        }
    }

    private static int CountFields(string line) => line.AsSpan().Count(',') + 1;
}
