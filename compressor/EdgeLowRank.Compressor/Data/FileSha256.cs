using System.Security.Cryptography;

namespace EdgeLowRank.Compressor.Data;

/// <summary>The SHA-256 of a file as the catalog pins it and <c>sha256sum</c> prints it: lower-case hex. One place, so a
/// fetch, a load, <c>elr data verify</c> and the logs' <c>outputSha256</c> cannot disagree on what "the same file" means.</summary>
public static class FileSha256
{
    /// <summary>Hashes the file at <paramref name="path"/>, read in 64 KB blocks.</summary>
    public static string Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The sum a file of <paramref name="content"/> will have, for a log written beside it in the same step.</summary>
    public static string OfContent(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The first hex digits of a sum, enough to tell two sums apart in a message.</summary>
    public static string Short(string sha256) => sha256.Length > 12 ? sha256[..12] + "…" : sha256;
}
