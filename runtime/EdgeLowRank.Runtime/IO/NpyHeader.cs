using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EdgeLowRank.Runtime.IO;

/// <summary>
/// The header of a NumPy .npy file (format versions 1 to 3): the magic, a dictionary in Python literal syntax naming the
/// element type and shape, then C-ordered data. This is the one reader of it: elr-run's inputs and the compressor's data
/// folders both go through it, so they accept and refuse the same files with the same words.
/// </summary>
/// <param name="DataType">The element type.</param>
/// <param name="Shape">The dimensions; empty for a scalar.</param>
/// <param name="DataOffset">Where the data begins: the preamble's and the header's length.</param>
internal sealed partial record NpyHeader(NpyDataType DataType, IReadOnlyList<long> Shape, int DataOffset)
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Bytes per element of <see cref="DataType"/>.</summary>
    public int ElementSize => SizeOf(DataType);

    /// <summary>True for the integer element types.</summary>
    public bool IsInteger => DataType is not (NpyDataType.Float32 or NpyDataType.Float64);

    /// <summary>Elements the shape declares (1 for a scalar); long.MaxValue for a shape too large to count, which no file holds.</summary>
    public long Count
    {
        get
        {
            long product = 1;
            foreach (long dimension in Shape)
            {
                if (dimension != 0 && product > long.MaxValue / dimension) return long.MaxValue;
                product *= dimension;
            }
            return product;
        }
    }

    /// <summary>Bytes per element of <paramref name="type"/>.</summary>
    public static int SizeOf(NpyDataType type) => type switch
    {
        NpyDataType.UInt8 or NpyDataType.Int8 => 1,
        NpyDataType.UInt16 or NpyDataType.Int16 => 2,
        NpyDataType.UInt32 or NpyDataType.Int32 or NpyDataType.Float32 => 4,
        _ => 8,
    };

    /// <summary>Reads only the header of the file at <paramref name="path"/>, not its data: what a caller needs to check
    /// an array's type and shape before it reads hundreds of megabytes.</summary>
    /// <exception cref="NpyFormatException">The header is missing or broken, or the type is not one of <see cref="NpyDataType"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static NpyHeader Read(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads the header from the start of <paramref name="stream"/>, a whole .npy file, and leaves the stream at
    /// <see cref="DataOffset"/>, so the caller can read the data from the file it read the header of.</summary>
    /// <exception cref="NpyFormatException">The header is missing or broken, or the type is not one of <see cref="NpyDataType"/>.</exception>
    internal static NpyHeader Read(Stream stream, string path)
    {
        var preamble = new byte[12];
        int read = stream.ReadAtLeast(preamble, preamble.Length, throwOnEndOfStream: false);
        int length = (int)Math.Min(stream.Length, HeaderEnd(preamble.AsSpan(0, read), stream.Length, path));
        var bytes = new byte[length];
        stream.Position = 0;
        stream.ReadExactly(bytes);
        return Parse(bytes, stream.Length, path);
    }

    /// <summary>Parses the header at the start of <paramref name="bytes"/>, a whole .npy file.</summary>
    /// <exception cref="NpyFormatException">The header is missing or broken, or the type is not one of <see cref="NpyDataType"/>.</exception>
    public static NpyHeader Parse(ReadOnlySpan<byte> bytes, string path) => Parse(bytes, bytes.Length, path);

    /// <summary>The preamble and header of a version-1.0 .npy file of C-ordered <paramref name="type"/> elements with
    /// <paramref name="shape"/>, padded with spaces to a multiple of 64 bytes and ended by a line feed, as NumPy writes it.</summary>
    public static byte[] Write(NpyDataType type, IReadOnlyList<long> shape)
    {
        string dimensions = shape.Count == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string dictionary = $"{{'descr': '{Descr(type)}', 'fortran_order': False, 'shape': ({dimensions}), }}";
        int length = (10 + dictionary.Length + 1 + 63) / 64 * 64 - 10; // header length, line feed included
        byte[] bytes = new byte[10 + length];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1; // version 1.0
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)length);
        Encoding.Latin1.GetBytes(dictionary.PadRight(length - 1) + "\n", bytes.AsSpan(10));
        return bytes;
    }

    /// <summary>The dtype string NumPy writes for <paramref name="type"/>: '|u1', '&lt;f4', …</summary>
    public static string Descr(NpyDataType type) => type switch
    {
        NpyDataType.UInt8 => "|u1",
        NpyDataType.Int8 => "|i1",
        NpyDataType.UInt16 => "<u2",
        NpyDataType.Int16 => "<i2",
        NpyDataType.UInt32 => "<u4",
        NpyDataType.Int32 => "<i4",
        NpyDataType.UInt64 => "<u8",
        NpyDataType.Int64 => "<i8",
        NpyDataType.Float32 => "<f4",
        _ => "<f8",
    };

    /// <summary>Where the header ends, from the preamble at the start of <paramref name="bytes"/>.</summary>
    private static long HeaderEnd(ReadOnlySpan<byte> bytes, long fileLength, string path)
    {
        // A file that ends inside the magic or just after it is a cut .npy file, not another kind of file.
        int known = Math.Min(bytes.Length, Magic.Length);
        if (bytes.Length == 0 || !bytes[..known].SequenceEqual(Magic.AsSpan(0, known)))
            throw new NpyFormatException(path, "it does not start with the .npy magic \\x93NUMPY");
        if (bytes.Length < 8) throw new NpyFormatException(path, $"the file ends after {bytes.Length} bytes, inside its preamble: it was cut short");
        int major = bytes[6];
        if (major is < 1 or > 3) throw new NpyFormatException(path, $"it is .npy version {major}; versions 1 to 3 are read");
        // Version 1 stores the header's length in 2 bytes, versions 2 and 3 in 4.
        int preamble = major == 1 ? 10 : 12;
        if (bytes.Length < preamble) throw new NpyFormatException(path, $"the file ends inside its {preamble}-byte preamble");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (preamble + headerLength > fileLength)
            throw new NpyFormatException(path, $"its header of {headerLength} bytes runs past the end of the file ({fileLength} bytes)");
        return preamble + headerLength;
    }

    private static NpyHeader Parse(ReadOnlySpan<byte> bytes, long fileLength, string path)
    {
        int end = (int)HeaderEnd(bytes, fileLength, path);
        int preamble = bytes[6] == 1 ? 10 : 12;
        string header = (bytes[6] == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes[preamble..end]);
        // Python literal syntax allows any spacing ("'fortran_order':True"); a missing key reads as C order, as it always has.
        int order = ValueStart(header, "fortran_order");
        if (order >= 0 && !header.AsSpan(order).StartsWith("False", StringComparison.Ordinal))
            throw new NpyFormatException(path, header.AsSpan(order).StartsWith("True", StringComparison.Ordinal)
                ? "it is stored in Fortran order; save it with numpy.ascontiguousarray"
                : "its 'fortran_order' is neither True nor False");
        return new NpyHeader(DataTypeOf(QuotedField(header, "descr", path), path), ParseShape(header, path), end);
    }

    private static NpyDataType DataTypeOf(string descr, string path)
    {
        // A one-byte type has no byte order: NumPy writes '|', and '<' or '=' mean the same.
        string key = descr.Length == 3 && descr[2] == '1' && descr[0] is '<' or '=' ? "|" + descr[1..] : descr;
        foreach (NpyDataType type in Enum.GetValues<NpyDataType>())
            if (Descr(type) == key) return type;
        if (descr.StartsWith('>') && descr.Length == 3 && "fiu".Contains(descr[1]))
            throw new NpyFormatException(path, $"dtype {descr} is big-endian; save it little-endian with x.astype('<{descr[1..]}')");
        throw new NpyFormatException(path, $"dtype {descr} is not supported; float32 ('<f4'), float64 ('<f8') and 8- to 64-bit integers ('|u1', '<i8', …) are read",
            descr);
    }

    private static string QuotedField(string header, string name, string path)
    {
        int open = ValueStart(header, name);
        char quote = open >= 0 && open < header.Length && header[open] is '\'' or '"' ? header[open] : '\0';
        int close = quote == '\0' ? -1 : header.IndexOf(quote, open + 1);
        if (close < 0) throw new NpyFormatException(path, $"its header has no '{name}'");
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
    private static long[] ParseShape(string header, string path)
    {
        int key = ValueStart(header, "shape");
        int open = key < 0 || key >= header.Length || header[key] != '(' ? -1 : key;
        int close = open < 0 ? -1 : header.IndexOf(')', open);
        if (close < 0) throw new NpyFormatException(path, "its header has no 'shape' tuple");
        string[] parts = header[(open + 1)..close].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var shape = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!long.TryParse(parts[i].TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]) || shape[i] > int.MaxValue)
                throw new NpyFormatException(path, $"its shape has the dimension '{parts[i]}', not a whole number up to 2^31");
        return shape;
    }
}
