using System.Text;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Runtime.Cli;

/// <summary>
/// Writes what elr-run prints with every control character but line breaks and tabs shown as \xNN, as its error messages
/// show them (<see cref="UserFailure.Printable"/>). A model's labels, properties and producer are printed as the file holds
/// them, and a security trial's file set the terminal's title and cleared its screen through them (ESC ] 0; … BEL, ESC [2J);
/// a fleet operator reads `elr-run info` on models from elsewhere. elr-run colours nothing, so no escape of its own is lost;
/// JSON goes to the standard output stream directly and escapes control characters itself.
/// </summary>
internal sealed class ControlEscapingWriter(TextWriter inner) : TextWriter(inner.FormatProvider)
{
    /// <summary>Puts the writer in front of <see cref="Console.Out"/>.</summary>
    public static void Install() => Console.SetOut(new ControlEscapingWriter(Console.Out));

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (IsEscaped(value)) inner.Write(Escape(value));
        else inner.Write(value);
    }

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(ReadOnlySpan<char> buffer)
    {
        if (HasEscaped(buffer)) inner.Write(Escaped(buffer));
        else inner.Write(buffer);
    }

    // Whole lines are passed on whole: split, they would cost the console two system calls and let stderr land between them.
    public override void WriteLine(string? value) => WriteLine(value.AsSpan());

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        if (HasEscaped(buffer)) inner.WriteLine(Escaped(buffer));
        else inner.WriteLine(buffer);
    }

    public override void Flush() => inner.Flush();

    private static bool IsEscaped(char c) => UserFailure.IsUnprintable(c) && c is not '\n' and not '\t';

    private static bool HasEscaped(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
            if (IsEscaped(c)) return true;
        return false;
    }

    private static string Escape(char c) => $"\\x{(int)c:X2}";

    private static string Escaped(ReadOnlySpan<char> text)
    {
        var escaped = new StringBuilder(text.Length + 16);
        foreach (char c in text)
            if (IsEscaped(c)) escaped.Append(Escape(c));
            else escaped.Append(c);
        return escaped.ToString();
    }
}
