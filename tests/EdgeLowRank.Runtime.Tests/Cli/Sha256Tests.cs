using System.Security.Cryptography;
using System.Text;
using EdgeLowRank.Runtime.Cli.Reporting;

namespace EdgeLowRank.Runtime.Tests.Cli;

/// <summary>The managed SHA-256 of bench's model digest against FIPS 180-4's examples and .NET's own (OpenSSL's here).</summary>
public class Sha256Tests
{
    [Fact]
    public void The_standards_examples_give_their_digests()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digest([]));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Digest("abc"u8.ToArray()));
        Assert.Equal("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            Digest(Encoding.ASCII.GetBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")));
    }

    [Fact]
    public void Every_length_around_the_block_and_padding_edges_matches_dotnets_sha256()
    {
        var random = new Random(5);
        // 0..200 crosses the 55/56/64-byte padding edges several times; the larger ones cross the 64 KiB read buffer.
        foreach (int length in Enumerable.Range(0, 201).Concat([65_535, 65_536, 65_537, 1_000_003]))
        {
            byte[] bytes = new byte[length];
            random.NextBytes(bytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), Digest(bytes));
        }
    }

    [Fact]
    public void A_stream_that_reads_a_few_bytes_at_a_time_gives_the_same_digest()
    {
        byte[] bytes = new byte[10_000];
        new Random(6).NextBytes(bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), Sha256.Hex(new Trickle(bytes)));
    }

    private static string Digest(byte[] bytes) => Sha256.Hex(new MemoryStream(bytes));

    /// <summary>A stream that gives at most 7 bytes a read, as a pipe or a network file may.</summary>
    private sealed class Trickle(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 7));
    }
}
