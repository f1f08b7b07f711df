using System.IO.Hashing;

namespace EdgeLowRank.Runtime.Format;

/// <summary>The file's CRC-32 (IEEE, as System.IO.Hashing.Crc32): over every byte of the file, with the
/// four bytes of the CRC field itself taken as zero.</summary>
internal static class FileChecksum
{
    /// <summary>The checksum of <paramref name="file"/> as the header's CRC field must hold it.</summary>
    public static uint Compute(ReadOnlySpan<byte> file)
    {
        const int at = FileLayout.Header.Crc;
        var crc = new Crc32();
        crc.Append(file[..at]);
        crc.Append([0, 0, 0, 0]);
        crc.Append(file[(at + sizeof(uint))..]);
        return crc.GetCurrentHashAsUInt32();
    }
}
