using System.Buffers.Binary;

namespace EdgeLowRank.Runtime.Format;

/// <summary>Little-endian reads at absolute file offsets. Callers check bounds first (so the reads
/// themselves can never run past the file) and convert values to int only after range checks.</summary>
internal static class SpanReading
{
    public static ushort U16(this ReadOnlySpan<byte> file, int at) => BinaryPrimitives.ReadUInt16LittleEndian(file[at..]);

    public static uint U32(this ReadOnlySpan<byte> file, int at) => BinaryPrimitives.ReadUInt32LittleEndian(file[at..]);

    public static int I32(this ReadOnlySpan<byte> file, int at) => BinaryPrimitives.ReadInt32LittleEndian(file[at..]);

    public static ulong U64(this ReadOnlySpan<byte> file, int at) => BinaryPrimitives.ReadUInt64LittleEndian(file[at..]);

    /// <summary>Whether [offset, offset + length) lies inside [start, end), without overflow for any ulong inputs.</summary>
    public static bool Fits(ulong offset, ulong length, long start, long end) =>
        offset >= (ulong)start && offset <= (ulong)end && length <= (ulong)end - offset;

    /// <summary>A four-letter section kind as text when printable, else as hex, for messages.</summary>
    public static string FourCC(uint kind)
    {
        Span<char> letters = stackalloc char[4];
        for (int i = 0; i < 4; i++)
        {
            char c = (char)((kind >> (8 * i)) & 0xFF);
            if (c is < ' ' or > '~') return $"0x{kind:X8}";
            letters[i] = c;
        }
        return $"'{letters}'";
    }
}
