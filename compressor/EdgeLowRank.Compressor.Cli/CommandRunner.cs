using System.CommandLine;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Cli;

/// <summary>
/// Parses and runs a command, turning every error into one specific line on stderr and a non-zero
/// exit code that says what kind of failure it was (<see cref="ExitCodes"/>). Users see messages, never stack traces: the
/// library's exceptions carry messages written for them, so they are caught here, once, instead of in every command.
/// </summary>
internal static class CommandRunner
{
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
                return ExitCodes.Usage;
            }
            return await parsed.InvokeAsync(configuration, signals.Token);
        }
        catch (Exception e) when (ExitCodeOf(e) is int exitCode)
        {
            return Fail(e.Message, exitCode);
        }
        catch (OperationCanceledException)
        {
            return signals.Terminated ? Fail("terminated (SIGTERM).", ExitCodes.Terminated) : Fail("cancelled.", ExitCodes.Cancelled);
        }
        catch (OutOfMemoryException)
        {
            return Fail("out of memory: the command needs more than the process may use. Give it less to hold at once (a lower --batch "
                + "or --threads), or more memory (a higher ulimit -v, fewer other programs).", ExitCodes.Usage);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail($"file system error: {e.Message}", ExitCodes.FileError);
        }
        catch (Exception e)
        {
            return Fail($"internal error ({e.GetType().Name}): {e.Message}. Please report it with the command line that caused it.", ExitCodes.InternalError);
        }
    }

    /// <summary>
    /// The exit code of an exception whose message is written for users (what is wrong and what to do, one line, no stack
    /// trace), by the kind of failure it reports; null for any other, which is a bug or an unexpected system error. The
    /// subclasses come before their bases: a fetch failure is a <see cref="DatasetException"/> too.
    /// </summary>
    internal static int? ExitCodeOf(Exception e) => e switch
    {
        DataFetchException => ExitCodes.FetchFailed,
        DataFormatException or EdgeLowRank.Runtime.Format.ModelFormatException or EdgeLowRank.Runtime.IO.NpyFormatException
            or Latency.LatencyTableException or IO.CheckpointFormatException or Commands.InputException => ExitCodes.BadInput,
        EdgeLowRank.Runtime.IO.FilePathException => ExitCodes.FileError,
        Training.TrainingDivergedException or Compression.LStepDivergedException => ExitCodes.Diverged,
        // The runtime's own, naming the memory a session needed for how many samples a pass.
        Commands.UsageException or DatasetException or Training.TrainingException or Compression.CompressionException
            or InsufficientMemoryException => ExitCodes.Usage,
        _ => null,
    };

    /// <summary>"elr compress" for the compress command: the names from the root down.</summary>
    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult? result) =>
        result is null ? [] : [.. CommandPath(result.Parent as System.CommandLine.Parsing.CommandResult), result.Command is RootCommand ? "elr" : result.Command.Name];

    private static int Fail(string message, int exitCode)
    {
        // Control characters as \xNN, as elr-run shows them: messages quote names from the user's files (an ONNX node's
        // name of ESC [2J cleared the terminal through import-onnx's refusal).
        Console.Error.WriteLine($"elr: {UserFailure.Printable(message)}");
        return exitCode;
    }
}
