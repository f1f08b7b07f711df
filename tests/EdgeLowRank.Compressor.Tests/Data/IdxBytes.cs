using System.Buffers.Binary;
using System.IO.Compression;

namespace EdgeLowRank.Compressor.Tests.Data;

/// <summary>Builds IDX files by hand, so reader tests control every header byte.</summary>
internal static class IdxBytes
{
    /// <summary>An unsigned-byte IDX file with the given dimensions and data.</summary>
    public static byte[] Make(int[] dims, byte[] data, byte type = 0x08)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        }
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    /// <summary>The same bytes, gzip-compressed.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }
        return output.ToArray();
    }

    /// <summary>Values 0, 1, 2, … of the given length.</summary>
    public static byte[] Ramp(int length) => Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
}
