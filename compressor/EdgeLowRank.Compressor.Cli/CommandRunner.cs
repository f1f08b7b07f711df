using System.CommandLine;
using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Cli;

/// <summary>
/// Parses and runs a command, turning every error into one specific line on stderr and a non-zero
/// exit code. Users see messages, never stack traces: the library's exceptions carry messages
/// written for them, so they are caught here, once, instead of in every command.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Exit code for errors the user can fix (bad data, failed fetch, file system).</summary>
    public const int Failure = 1;

    /// <summary>Exit code of <c>elr compress --require-goals</c> when the model it wrote misses a goal: a result, not a failure
    /// (the model is there), which a script asked to tell apart from success (a trial's pipeline took a 1.00× "compressed"
    /// model, written at exit code 0 with a warning, for a good one).</summary>
    public const int GoalsMissed = 3;

    /// <summary>Exit code after Ctrl+C, as shells report SIGINT (128 + 2).</summary>
    public const int Cancelled = 130;

    /// <summary>Exit code after SIGTERM (128 + 15), as shells report it: a service manager or `kill` stopped the run, and a
    /// script told the two apart by it (a trial's `kill -TERM` got 130, Ctrl+C's).</summary>
    public const int Terminated = 143;

    /// <summary>Exit code for a bug in elr itself (sysexits' EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    /// <summary>Runs <paramref name="root"/> on <paramref name="args"/> and returns the exit code.</summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        // The default handler would print the exception with its stack trace. Ctrl+C and SIGTERM are elr's own (StopSignals),
        // not the parser's, so that the exit code says which came.
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        using var signals = new StopSignals();
        try
        {
            // No response files: elr documents none, and `elr inspect @m.elr` looked for a file named m.elr.
            ParseResult parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            // The parser's own report is the whole help text on stdout and the errors in its wording; one line per error,
            // said for users, and where to find the help, is what a script's log and a person both need.
            string path = string.Join(' ', CommandPath(parsed.CommandResult));
            string[] misplaced = [.. ParseErrorText.OptionsTakenAsArguments(parsed, path)];
            string[] errors = [.. misplaced, .. ParseErrorText.ForUsers(parsed, path).Where(e => misplaced.Length == 0 || !ParseErrorText.IsUnplacedWord(e)),
                .. ParseErrorText.NumbersWithCommas(parsed)];
            if (errors.Length > 0)
            {
                foreach (string error in errors) Console.Error.WriteLine($"elr: {error}");
                Console.Error.WriteLine($"elr: see '{path} --help'.");
                return Failure;
            }
            return await parsed.InvokeAsync(configuration, signals.Token);
        }
        catch (Exception e) when (IsUserError(e))
        {
            return Fail(e.Message, Failure);
        }
        catch (OperationCanceledException)
        {
            return signals.Terminated ? Fail("terminated (SIGTERM).", Terminated) : Fail("cancelled.", Cancelled);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail($"file system error: {e.Message}", Failure);
        }
        catch (Exception e)
        {
            return Fail($"internal error ({e.GetType().Name}): {e.Message}. Please report it with the command line that caused it.", InternalError);
        }
    }

    /// <summary>The exceptions whose messages are written for users: what is wrong and what to do, one line, no stack trace.</summary>
    private static bool IsUserError(Exception e) =>
        e is Commands.UsageException or EdgeLowRank.Runtime.IO.FilePathException or DatasetException or Training.TrainingException
            or Compression.CompressionException or Latency.LatencyTableException or EdgeLowRank.Runtime.Format.ModelFormatException;

    /// <summary>"elr compress" for the compress command: the names from the root down.</summary>
    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult? result) =>
        result is null ? [] : [.. CommandPath(result.Parent as System.CommandLine.Parsing.CommandResult), result.Command is RootCommand ? "elr" : result.Command.Name];

    private static int Fail(string message, int exitCode)
    {
        Console.Error.WriteLine($"elr: {message}");
        return exitCode;
    }
}
