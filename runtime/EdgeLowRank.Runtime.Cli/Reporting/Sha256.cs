using System.Buffers.Binary;
using System.Numerics;

namespace EdgeLowRank.Runtime.Cli.Reporting;

/// <summary>
/// SHA-256 (FIPS 180-4) in managed code, for the model digest in bench's report. Not System.Security.Cryptography: on
/// Linux it calls OpenSSL, which NativeAOT loads at run time, and without libssl (a minimal container, the arm64 sysroot
/// that scripts/check-arm64-emulation.sh runs bench in) the process aborts with "No usable version of libssl was found",
/// which no catch can stop. A model is kilobytes to a few megabytes, hashed once, after the timed runs.
/// </summary>
internal static class Sha256
{
    private static readonly uint[] K =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    /// <summary>The digest of the rest of <paramref name="stream"/>, in lower-case hex as sha256sum prints it.</summary>
    public static string Hex(Stream stream)
    {
        uint[] h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
        var w = new uint[64];
        var buffer = new byte[64 * 1024];
        int filled = 0;
        long length = 0;
        for (int read; (read = stream.Read(buffer, filled, buffer.Length - filled)) > 0;)
        {
            length += read;
            filled += read;
            int whole = filled / 64 * 64;
            for (int i = 0; i < whole; i += 64) Block(h, w, buffer.AsSpan(i, 64));
            buffer.AsSpan(whole, filled - whole).CopyTo(buffer);
            filled -= whole;
        }

        // The padding: a 1 bit, zeros to 56 bytes of the last block (in a block more when fewer are left), the length in bits.
        Span<byte> tail = stackalloc byte[128];
        buffer.AsSpan(0, filled).CopyTo(tail);
        tail[filled] = 0x80;
        int end = filled < 56 ? 64 : 128;
        tail[(filled + 1)..end].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(tail[(end - 8)..end], (ulong)length * 8);
        for (int i = 0; i < end; i += 64) Block(h, w, tail.Slice(i, 64));

        Span<byte> digest = stackalloc byte[32];
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32BigEndian(digest[(4 * i)..], h[i]);
        return Convert.ToHexStringLower(digest);
    }

    private static void Block(uint[] h, uint[] w, ReadOnlySpan<byte> block)
    {
        for (int i = 0; i < 16; i++) w[i] = BinaryPrimitives.ReadUInt32BigEndian(block[(4 * i)..]);
        for (int i = 16; i < 64; i++)
        {
            uint s0 = BitOperations.RotateRight(w[i - 15], 7) ^ BitOperations.RotateRight(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint s1 = BitOperations.RotateRight(w[i - 2], 17) ^ BitOperations.RotateRight(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int i = 0; i < 64; i++)
        {
            uint t1 = hh + (BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
            uint t2 = (BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            hh = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
}
