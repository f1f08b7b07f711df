using System.Text;

namespace EdgeLowRank.Runtime.IO;

/// <summary>
/// Makes a failed write to stdout say that it was stdout. The console's own exception carries only the system's text
/// ("No space left on device"), which, printed after the program's name, reads as if the tool's output file were full;
/// with `> /dev/full` or a full disk under a redirection, the user needs to know it was the redirection.
/// </summary>
public static class StandardOutput
{
    private static int s_named;

    /// <summary>Replaces <see cref="Console.Out"/> with a writer whose failures name standard output; later calls do
    /// nothing. Call it first thing in Main, before anything (Spectre.Console, a parser) keeps the console's writer.</summary>
    public static void NameItsFailures()
    {
        if (Interlocked.Exchange(ref s_named, 1) == 0) Console.SetOut(new NamingWriter(Console.Out, "standard output"));
    }
}

/// <summary>Passes every write on to <paramref name="inner"/>, and rethrows an <see cref="IOException"/> with the stream's
/// <paramref name="name"/> and a remedy around the system's message.</summary>
internal sealed class NamingWriter(TextWriter inner, string name) : TextWriter(inner.FormatProvider)
{
    public override Encoding Encoding => inner.Encoding;

    // TextWriter routes its other overloads (numbers, spans, WriteLine) through these three.
    public override void Write(char value) => Named(() => inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Named(() => inner.Write(buffer, index, count));

    public override void Write(string? value) => Named(() => inner.Write(value));

    public override void Flush() => Named(inner.Flush);

    private void Named(Action write)
    {
        try
        {
            write();
        }
        catch (IOException e)
        {
            throw new IOException($"cannot write to {name} ({e.Message}); check the file or device it is redirected to.", e);
        }
    }
}
