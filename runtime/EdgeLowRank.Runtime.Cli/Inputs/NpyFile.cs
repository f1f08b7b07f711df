using System.Buffers.Binary;
using System.Text;

namespace EdgeLowRank.Runtime.Cli.Inputs;

/// <summary>NumPy's .npy format (versions 1–3): magic, a header dictionary in Python literal syntax, then
/// C-ordered data. Only what an input file needs is read: dtype and shape.</summary>
internal static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static float[] Parse(byte[] bytes, string path)
    {
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
            throw Bad(path, "it does not start with the .npy magic \\x93NUMPY");
        int major = bytes[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        int dataStart = (major == 1 ? 10 : 12) + headerLength;
        if (major is < 1 or > 3 || dataStart > bytes.Length) throw Bad(path, $"version {major} header of {headerLength} bytes does not fit the file");
        string header = Encoding.Latin1.GetString(bytes, major == 1 ? 10 : 12, headerLength);
        if (header.Contains("'fortran_order': True", StringComparison.Ordinal))
            throw Bad(path, "it is stored in Fortran order; save it with numpy.ascontiguousarray");
        string descr = Field(header, "descr", path);
        int width = descr switch { "<f4" => 4, "<f8" => 8, "|u1" or "<u1" => 1, _ => 0 };
        if (width == 0) throw Bad(path, $"dtype {descr} is not supported; use float32 ('<f4'), float64 or uint8");
        long count = (bytes.Length - dataStart) / width;
        if ((bytes.Length - dataStart) % width != 0) throw Bad(path, "the data is not a whole number of elements");
        var values = new float[count];
        ReadOnlySpan<byte> data = bytes.AsSpan(dataStart);
        for (int i = 0; i < values.Length; i++)
            values[i] = width switch
            {
                4 => BinaryPrimitives.ReadSingleLittleEndian(data.Slice(i * 4)),
                8 => (float)BinaryPrimitives.ReadDoubleLittleEndian(data.Slice(i * 8)),
                _ => data[i] / 255f,
            };
        return values;
    }

    private static string Field(string header, string name, string path)
    {
        int key = header.IndexOf($"'{name}':", StringComparison.Ordinal);
        int open = key < 0 ? -1 : header.IndexOf('\'', key + name.Length + 3);
        int close = open < 0 ? -1 : header.IndexOf('\'', open + 1);
        if (close < 0) throw Bad(path, $"its header has no '{name}'");
        return header[(open + 1)..close];
    }

    private static CliException Bad(string path, string what) =>
        new($"{path} is not a usable .npy file: {what}.", ExitCodes.BadInput);
}
