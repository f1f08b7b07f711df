using System.Buffers.Binary;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Runtime.Cli.Inputs;

/// <summary>Writes outputs as raw little-endian f32 (atomically, see <see cref="AtomicFile"/>).</summary>
internal static class OutputFile
{
    public static void WriteFloats(string path, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }
}
