using System.Buffers.Binary;

namespace EdgeLowRank.Runtime.Cli.Inputs;

/// <summary>The IDX format of the MNIST files: two zero bytes, a type code, a dimension count, big-endian
/// dimensions, then big-endian data.</summary>
internal static class IdxFile
{
    private const byte UnsignedByte = 0x08;
    private const byte Float32 = 0x0D;

    /// <summary>The most bytes an IDX header takes: 4, then 4 per dimension, of at most 4.</summary>
    public const int LongestHeader = 4 + 4 * 4;

    public static bool LooksLikeIdx(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] is UnsignedByte or Float32 && bytes[3] is >= 1 and <= 4;

    /// <summary>The values (bytes kept as bytes, 0–255: <see cref="InputFile"/> scales them, <see cref="LabelFile"/> takes
    /// them as classes) and the dimensions.</summary>
    public static FileValues Read(byte[] bytes, string path)
    {
        (long[] shape, int header, int width) = ReadHeader(bytes, bytes.Length, path);
        if (width == 1) return new(null, bytes.AsMemory(header), shape);
        var values = new float[(bytes.Length - header) / width];
        ReadOnlySpan<byte> data = bytes.AsSpan(header);
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleBigEndian(data.Slice(i * 4));
        return new(values, default, shape);
    }

    /// <summary>The dimensions, the header's length and the bytes per value, from the header at the start of
    /// <paramref name="start"/> (at least <see cref="LongestHeader"/> bytes, or the whole file), checked against the
    /// <paramref name="fileLength"/> bytes of the whole file, so that a file can be refused before its data is read.</summary>
    public static (long[] Shape, int HeaderLength, int Width) ReadHeader(ReadOnlySpan<byte> start, long fileLength, string path)
    {
        int dims = start[3];
        int header = 4 + 4 * dims;
        if (fileLength < header) throw Bad(path, $"the header needs {header} bytes but the file has {fileLength}");
        var shape = new long[dims];
        long count = 1;
        for (int d = 0; d < dims; d++)
        {
            shape[d] = BinaryPrimitives.ReadUInt32BigEndian(start[(4 + 4 * d)..]);
            count *= shape[d];
            if (count > int.MaxValue) throw Bad(path, "the dimensions describe more than 2^31 values");
        }
        int width = start[2] == UnsignedByte ? 1 : 4;
        if (fileLength - header != count * width)
            throw Bad(path, $"the dimensions describe {count} values ({count * width} bytes) but {fileLength - header} bytes follow the header");
        return (shape, header, width);
    }

    private static CliException Bad(string path, string what) =>
        new($"{path} is not a valid IDX file: {what}.", ExitCodes.BadInput);
}
