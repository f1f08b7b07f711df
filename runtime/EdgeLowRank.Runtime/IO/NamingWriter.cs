using System.Text;

namespace EdgeLowRank.Runtime.IO;

/// <summary>Passes every write on to <paramref name="inner"/>, and rethrows an <see cref="IOException"/> with the stream's
/// <paramref name="name"/> and a remedy around the system's message.</summary>
internal sealed class NamingWriter(TextWriter inner, string name) : TextWriter(inner.FormatProvider)
{
    public override Encoding Encoding => inner.Encoding;

    // TextWriter routes its other overloads (numbers, formats) through the first three. A line is passed on whole: split into
    // text and newline it would cost the console two system calls and let stderr land between them.
    public override void Write(char value)
    {
        try { inner.Write(value); }
        catch (IOException e) { throw Named(e); }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        try { inner.Write(buffer, index, count); }
        catch (IOException e) { throw Named(e); }
    }

    public override void Write(string? value)
    {
        try { inner.Write(value); }
        catch (IOException e) { throw Named(e); }
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        try { inner.Write(buffer); }
        catch (IOException e) { throw Named(e); }
    }

    public override void WriteLine(string? value)
    {
        try { inner.WriteLine(value); }
        catch (IOException e) { throw Named(e); }
    }

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        try { inner.WriteLine(buffer); }
        catch (IOException e) { throw Named(e); }
    }

    public override void Flush()
    {
        try { inner.Flush(); }
        catch (IOException e) { throw Named(e); }
    }

    private IOException Named(IOException e) =>
        new($"cannot write to {name} ({e.Message}); check where it goes: a full disk or device, or a closed terminal.", e);
}
