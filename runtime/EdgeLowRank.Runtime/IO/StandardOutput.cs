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
