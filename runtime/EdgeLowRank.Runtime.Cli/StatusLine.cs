namespace EdgeLowRank.Runtime.Cli;

/// <summary>Lines on stderr that tell the user what is happening (measuring, stopping, cancelled), beside a command's
/// output on stdout. Written from a signal's own thread too, so a stderr that cannot be written to (closed, full) is
/// ignored: it must not turn a status into a crash or a failed command.</summary>
internal static class StatusLine
{
    /// <summary>Writes "elr-run: <paramref name="text"/>" on stderr, or nothing when stderr cannot be written to.</summary>
    public static void Write(string text)
    {
        try
        {
            Console.Error.WriteLine($"elr-run: {text}");
        }
        catch (IOException)
        {
        }
    }
}
