using System.Buffers.Binary;
using System.Text;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Runtime.Tests.IO;

/// <summary>Builds .npy files as NumPy's np.save writes them (there is no NumPy on the test machines), and broken ones by
/// hand, so tests control every header byte. Shared with the compressor's and the end-to-end tests.</summary>
internal static class NpyBytes
{
    /// <summary>A version-1.0 file of <paramref name="values"/>, each written in <paramref name="type"/>'s width.</summary>
    public static byte[] Of(NpyDataType type, long[] shape, params double[] values)
    {
        byte[] header = NpyHeader.Write(type, shape);
        int width = NpyHeader.SizeOf(type);
        var bytes = new byte[header.Length + values.Length * width];
        header.CopyTo(bytes, 0);
        for (int i = 0; i < values.Length; i++) Put(type, bytes.AsSpan(header.Length + i * width), values[i]);
        return bytes;
    }

    /// <summary>A float32 file of <paramref name="values"/>, bit for bit.</summary>
    public static byte[] Floats(long[] shape, ReadOnlySpan<float> values)
    {
        byte[] header = NpyHeader.Write(NpyDataType.Float32, shape);
        var bytes = new byte[header.Length + values.Length * 4];
        header.CopyTo(bytes, 0);
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(header.Length + i * 4), values[i]);
        return bytes;
    }

    /// <summary>A file of format <paramref name="version"/> with the header dictionary <paramref name="dictionary"/> as given
    /// (padded and ended by a line feed) and <paramref name="data"/> after it.</summary>
    public static byte[] WithHeader(string dictionary, byte[] data, int version = 1)
    {
        int preamble = version == 1 ? 10 : 12;
        byte[] text = (version == 3 ? Encoding.UTF8 : Encoding.Latin1).GetBytes(dictionary);
        int length = (preamble + text.Length + 1 + 63) / 64 * 64 - preamble;
        var bytes = new byte[preamble + length + data.Length];
        bytes[0] = 0x93;
        "NUMPY"u8.CopyTo(bytes.AsSpan(1));
        bytes[6] = (byte)version;
        if (version == 1) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)length);
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)length);
        bytes.AsSpan(preamble, length).Fill((byte)' ');
        text.CopyTo(bytes, preamble);
        bytes[preamble + length - 1] = (byte)'\n';
        data.CopyTo(bytes, preamble + length);
        return bytes;
    }

    private static void Put(NpyDataType type, Span<byte> at, double value)
    {
        switch (type)
        {
            case NpyDataType.UInt8: at[0] = (byte)value; break;
            case NpyDataType.Int8: at[0] = (byte)(sbyte)value; break;
            case NpyDataType.UInt16: BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)value); break;
            case NpyDataType.Int16: BinaryPrimitives.WriteInt16LittleEndian(at, (short)value); break;
            case NpyDataType.UInt32: BinaryPrimitives.WriteUInt32LittleEndian(at, (uint)value); break;
            case NpyDataType.Int32: BinaryPrimitives.WriteInt32LittleEndian(at, (int)value); break;
            case NpyDataType.UInt64: BinaryPrimitives.WriteUInt64LittleEndian(at, (ulong)value); break;
            case NpyDataType.Int64: BinaryPrimitives.WriteInt64LittleEndian(at, (long)value); break;
            case NpyDataType.Float32: BinaryPrimitives.WriteSingleLittleEndian(at, (float)value); break;
            default: BinaryPrimitives.WriteDoubleLittleEndian(at, value); break;
        }
    }
}
