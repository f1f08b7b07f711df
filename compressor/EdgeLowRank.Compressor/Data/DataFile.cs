using System.IO.Compression;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Opens a data file for reading, decompressing it on the fly when it is gzip. The format is told
/// by the content (gzip magic 0x1f 0x8b), not the name, because packages ship both forms under
/// names that do not always say which.
/// </summary>
internal static class DataFile
{
    /// <summary>Opens <paramref name="path"/>; <paramref name="compressed"/> tells whether it was gzip.</summary>
    public static Stream Open(string path, out bool compressed)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FilePathException($"{path}: file not found.");
        }

        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        compressed = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        return compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>Names a position for error messages: gzip offsets count decompressed bytes.</summary>
    public static string Offset(long offset, bool compressed) =>
        compressed ? $"offset {offset} (of the decompressed data)" : $"offset {offset}";
}
