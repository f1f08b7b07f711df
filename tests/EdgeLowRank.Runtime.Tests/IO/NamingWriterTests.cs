using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Runtime.Tests.IO;

/// <summary>The tools' stdout goes through <see cref="NamingWriter"/>, so a redirection that fails is named in the message.</summary>
public sealed class NamingWriterTests
{
    [Fact]
    public void Every_kind_of_write_names_the_stream_and_keeps_the_systems_message()
    {
        Action<TextWriter>[] writes = [w => w.Write('x'), w => w.Write("text"), w => w.WriteLine(42), w => w.Write("abc".AsSpan())];
        foreach (Action<TextWriter> write in writes)
        {
            using var writer = new NamingWriter(new StreamWriter(new FullDevice()) { AutoFlush = true }, "standard output");
            IOException e = Assert.Throws<IOException>(() => write(writer));
            Assert.StartsWith("cannot write to standard output (No space left on device);", e.Message);
        }
    }

    [Fact]
    public void A_flush_that_fails_names_the_stream()
    {
        var buffered = new StreamWriter(new FullDevice());
        buffered.Write("held in the buffer"); // the console's writer flushes each write; a buffered one fails at the flush
        using var writer = new NamingWriter(buffered, "standard output");
        Assert.StartsWith("cannot write to standard output (", Assert.Throws<IOException>(writer.Flush).Message);
    }

    [Fact]
    public void Writes_that_succeed_pass_through_unchanged()
    {
        var inner = new StringWriter();
        using var writer = new NamingWriter(inner, "standard output");
        writer.Write('a');
        writer.Write("bc");
        writer.WriteLine(15);
        Assert.Equal("abc15" + Environment.NewLine, inner.ToString());
    }

    /// <summary>A stream that fails every write as /dev/full does.</summary>
    private sealed class FullDevice : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");

        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("No space left on device");
    }
}
