using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Samples.Common;

/// <summary>The frame both samples' Main runs in: --help, and one mapping from failures to messages and
/// <see cref="ExitCodes"/>, so the two programs report errors the same way.</summary>
public static class SampleMain
{
    /// <summary>Prints <paramref name="usage"/> for -h/--help; otherwise runs <paramref name="body"/> and turns
    /// the expected failures into a one-line message on stderr and a non-zero exit code.</summary>
    public static int Run(string program, string usage, string[] args, Func<int> body)
    {
        StandardOutput.NameItsFailures();
        try
        {
            if (!args.Any(a => a is "-h" or "--help")) return body();
            Console.WriteLine(usage); // inside the try: the help, too, can meet a redirection that fails
            return ExitCodes.Ok;
        }
        catch (UsageException e)
        {
            return Fail(program, ExitCodes.Usage, $"{e.Message} Run with --help for the options.");
        }
        catch (Exception e) when (e is ModelFormatException or InvalidDataException)
        {
            return Fail(program, ExitCodes.BadInput, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(program, ExitCodes.IoError, e.Message);
        }
    }

    /// <summary>Writes "program: message" to stderr and returns <paramref name="code"/>.</summary>
    public static int Fail(string program, int code, string message)
    {
        Console.Error.WriteLine($"{program}: {message}");
        return code;
    }
}
