using System.Buffers.Binary;
using System.IO.Hashing;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;

namespace EdgeLowRank.Fuzz;

/// <summary>
/// An .elr file as elr-run and libelr load it: read, then a session made on it and one inference run on zeros. A file
/// the reader accepts must run; the loading API may refuse a file only with <see cref="ModelFormatException"/> or,
/// from the session, <see cref="NotSupportedException"/> (both documented, and both reported to users as an invalid
/// or unsupported model).
/// </summary>
internal static class ElrTarget
{
    // docs/FORMAT.md, Header and Integrity: the CRC-32 at byte 36 covers the whole file with its own field taken as zero.
    private const int CrcOffset = 36;

    public static void Run(byte[] bytes)
    {
        Seal(bytes); // a mutation that broke only the CRC would stop at it: re-sealed, it reaches the structural checks
        try
        {
            using var session = new InferenceSession(ModelReader.Load(bytes), ownsModel: true);
            session.Run(new float[session.InputLength], new float[session.OutputLength]);
        }
        catch (Exception e) when (e is ModelFormatException or NotSupportedException)
        {
        }
    }

    private static void Seal(byte[] file)
    {
        if (file.Length < CrcOffset + sizeof(uint)) return;
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(CrcOffset), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(CrcOffset), Crc32.HashToUInt32(file));
    }
}
