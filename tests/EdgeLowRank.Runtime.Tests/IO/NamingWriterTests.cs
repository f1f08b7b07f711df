using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Runtime.Tests.IO;

/// <summary>The tools' stdout goes through <see cref="NamingWriter"/>, so a redirection that fails is named in the message.</summary>
public sealed class NamingWriterTests
{
    [Fact]
    public void Every_kind_of_write_names_the_stream_and_keeps_the_systems_message()
    {
        Action<TextWriter>[] writes = [w => w.Write('x'), w => w.Write("text"), w => w.WriteLine(42), w => w.Write("abc".AsSpan()),
            w => w.WriteLine("line"), w => w.WriteLine("line".AsSpan()), w => w.Write("{0}", 7)];
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

    [Fact]
    public void A_line_reaches_the_inner_writer_in_one_write()
    {
        // Split into text and newline, a console line costs two system calls and stderr can land between them.
        var inner = new CountingWriter();
        using var writer = new NamingWriter(inner, "standard output");
        writer.WriteLine("sample 0: 7");
        writer.WriteLine("sample 1: 2".AsSpan());
        Assert.Equal(2, inner.Writes);
    }

    /// <summary>Counts the calls that reach it, whatever their overload.</summary>
    private sealed class CountingWriter : StringWriter
    {
        public int Writes { get; private set; }

        public override void Write(char value) => Writes++;

        public override void Write(string? value) => Writes++;

        public override void Write(char[] buffer, int index, int count) => Writes++;

        public override void Write(ReadOnlySpan<char> buffer) => Writes++;

        public override void WriteLine(string? value) => Writes++;

        public override void WriteLine(ReadOnlySpan<char> buffer) => Writes++;
    }

    /// <summary>A stream that fails every write as /dev/full does.</summary>
    private sealed class FullDevice : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");

        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("No space left on device");
    }
}
