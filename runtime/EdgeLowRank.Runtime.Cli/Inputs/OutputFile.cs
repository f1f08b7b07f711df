using System.Buffers.Binary;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Runtime.Cli.Inputs;

/// <summary>Writes outputs atomically (see <see cref="AtomicFile"/>): as NumPy .npy when the name ends in .npy, so NumPy
/// and elr-run's own --expect read them back with their shape, else as raw little-endian f32.</summary>
internal static class OutputFile
{
    /// <summary>Writes <paramref name="values"/>, samples of <paramref name="sampleLength"/> values each.</summary>
    public static void Write(string path, ReadOnlySpan<float> values, int sampleLength)
    {
        byte[] header = path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)
            ? NpyHeader.Write(NpyDataType.Float32, [values.Length / sampleLength, sampleLength])
            : [];
        var bytes = new byte[header.Length + values.Length * sizeof(float)];
        header.CopyTo(bytes, 0);
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(header.Length + i * sizeof(float)), values[i]);
        AtomicFile.Write(path, bytes);
    }
}
