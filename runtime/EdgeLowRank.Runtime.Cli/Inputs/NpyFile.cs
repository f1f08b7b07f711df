using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EdgeLowRank.Runtime.Cli.Inputs;

/// <summary>NumPy's .npy format (versions 1–3): magic, a header dictionary in Python literal syntax, then
/// C-ordered data. Only what an input file needs is read: dtype and shape.</summary>
internal static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The values (bytes scaled to [0, 1]) and the shape the header declares.</summary>
    public static (float[] Values, long[] Shape) Parse(byte[] bytes, string path)
    {
        if (bytes.Length < 8 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
            throw Bad(path, "it does not start with the .npy magic \\x93NUMPY");
        int major = bytes[6];
        if (major is < 1 or > 3) throw Bad(path, $"it is .npy version {major}; versions 1 to 3 are read");
        // Version 1 stores the header's length in 2 bytes, versions 2 and 3 in 4.
        int preamble = major == 1 ? 10 : 12;
        if (bytes.Length < preamble) throw Bad(path, $"the file ends inside its {preamble}-byte preamble");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (preamble + headerLength > bytes.Length)
            throw Bad(path, $"its header of {headerLength} bytes runs past the end of the file ({bytes.Length} bytes)");
        int dataStart = preamble + (int)headerLength;
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes, preamble, (int)headerLength);
        // Python literal syntax allows any spacing ("'fortran_order':True"); a missing key reads as C order, as it always has.
        int order = ValueStart(header, "fortran_order");
        if (order >= 0 && !header.AsSpan(order).StartsWith("False", StringComparison.Ordinal))
            throw Bad(path, header.AsSpan(order).StartsWith("True", StringComparison.Ordinal)
                ? "it is stored in Fortran order; save it with numpy.ascontiguousarray"
                : "its 'fortran_order' is neither True nor False");
        string descr = QuotedField(header, "descr", path);
        int width = descr switch { "<f4" => 4, "<f8" => 8, "|u1" or "<u1" => 1, _ => 0 };
        if (width == 0) throw Bad(path, $"dtype {descr} is not supported; use float32 ('<f4'), float64 or uint8");
        long[] shape = Shape(header, path);
        if ((bytes.Length - dataStart) % width != 0) throw Bad(path, "the data is not a whole number of elements");
        long count = (bytes.Length - dataStart) / width;
        long declared = 1;
        foreach (long dimension in shape)
        {
            declared *= dimension; // no overflow: declared ≤ count < 2^31 before, and every dimension ≤ 2^31
            if (declared > count) break;
        }
        if (declared != count) throw Bad(path, $"its shape ({string.Join(", ", shape)}) does not match the {count} values that follow the header");
        var values = new float[count];
        ReadOnlySpan<byte> data = bytes.AsSpan(dataStart);
        for (int i = 0; i < values.Length; i++)
            values[i] = width switch
            {
                4 => BinaryPrimitives.ReadSingleLittleEndian(data.Slice(i * 4)),
                8 => (float)BinaryPrimitives.ReadDoubleLittleEndian(data.Slice(i * 8)),
                _ => data[i] / 255f,
            };
        return (values, shape);
    }

    /// <summary>
    /// The preamble and header of a version-1.0 .npy file of C-ordered little-endian float32 with <paramref name="shape"/>,
    /// padded with spaces to a multiple of 64 bytes and ended by a line feed, as NumPy writes it.
    /// </summary>
    public static byte[] Float32Header(IReadOnlyList<int> shape)
    {
        string dimensions = shape.Count == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string dictionary = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dimensions}), }}";
        int length = (10 + dictionary.Length + 1 + 63) / 64 * 64 - 10; // header length, line feed included
        byte[] bytes = new byte[10 + length];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1; // version 1.0
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)length);
        Encoding.Latin1.GetBytes(dictionary.PadRight(length - 1) + "\n", bytes.AsSpan(10));
        return bytes;
    }

    private static string QuotedField(string header, string name, string path)
    {
        int open = ValueStart(header, name);
        char quote = open >= 0 && open < header.Length && header[open] is '\'' or '"' ? header[open] : '\0';
        int close = quote == '\0' ? -1 : header.IndexOf(quote, open + 1);
        if (close < 0) throw Bad(path, $"its header has no '{name}'");
        return header[(open + 1)..close];
    }

    /// <summary>Where the value of <paramref name="name"/> begins in the header dictionary, or -1: after 'name': or "name":,
    /// with any spaces around the colon, as Python reads the literal.</summary>
    private static int ValueStart(string header, string name)
    {
        Match key = DictionaryKey().Match(header);
        for (; key.Success; key = key.NextMatch())
            if (key.Groups[2].Value == name) return key.Index + key.Length;
        return -1;
    }

    [GeneratedRegex(@"(['""])([a-z_]+)\1\s*:\s*")]
    private static partial Regex DictionaryKey();

    /// <summary>The 'shape' tuple: "()", "(784,)" or "(2, 28, 28)".</summary>
    private static long[] Shape(string header, string path)
    {
        int key = ValueStart(header, "shape");
        int open = key < 0 || key >= header.Length || header[key] != '(' ? -1 : key;
        int close = open < 0 ? -1 : header.IndexOf(')', open);
        if (close < 0) throw Bad(path, "its header has no 'shape' tuple");
        string[] parts = header[(open + 1)..close].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var shape = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!long.TryParse(parts[i].TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]) || shape[i] > int.MaxValue)
                throw Bad(path, $"its shape has the dimension '{parts[i]}', not a whole number up to 2^31");
        return shape;
    }

    private static CliException Bad(string path, string what) =>
        new($"{path} is not a usable .npy file: {what}.", ExitCodes.BadInput);
}
