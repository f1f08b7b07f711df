using System.Buffers.Binary;

namespace EdgeLowRank.Runtime.Cli.Inputs;

/// <summary>The IDX format of the MNIST files: two zero bytes, a type code, a dimension count, big-endian
/// dimensions, then big-endian data.</summary>
internal static class IdxFile
{
    private const byte UnsignedByte = 0x08;
    private const byte Float32 = 0x0D;

    public static bool LooksLikeIdx(byte[] bytes) =>
        bytes.Length >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] is UnsignedByte or Float32 && bytes[3] is >= 1 and <= 4;

    /// <summary>The values (bytes kept as bytes, 0–255: <see cref="InputFile"/> scales them, <see cref="LabelFile"/> takes
    /// them as classes) and the dimensions.</summary>
    public static FileValues Read(byte[] bytes, string path)
    {
        int dims = bytes[3];
        int header = 4 + 4 * dims;
        if (bytes.Length < header) throw Bad(path, $"the header needs {header} bytes but the file has {bytes.Length}");
        var shape = new long[dims];
        long count = 1;
        for (int d = 0; d < dims; d++)
        {
            shape[d] = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            count *= shape[d];
            if (count > int.MaxValue) throw Bad(path, "the dimensions describe more than 2^31 values");
        }
        int width = bytes[2] == UnsignedByte ? 1 : 4;
        if (bytes.Length - header != count * width)
            throw Bad(path, $"the dimensions describe {count} values ({count * width} bytes) but {bytes.Length - header} bytes follow the header");
        if (width == 1) return new(null, bytes.AsMemory(header), shape);
        var values = new float[count];
        ReadOnlySpan<byte> data = bytes.AsSpan(header);
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleBigEndian(data.Slice(i * 4));
        return new(values, default, shape);
    }

    private static CliException Bad(string path, string what) =>
        new($"{path} is not a valid IDX file: {what}.", ExitCodes.BadInput);
}
