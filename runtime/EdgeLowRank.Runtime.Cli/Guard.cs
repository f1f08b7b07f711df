using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Runtime.Cli;

/// <summary>
/// The single place where failures become messages and exit codes: every command body runs inside
/// <see cref="Run"/>, so a bad file or option prints one clear line on stderr and never a stack trace.
/// </summary>
internal static class Guard
{
    /// <summary>Runs <paramref name="command"/> and maps the failures a user can cause to exit codes.</summary>
    public static int Run(Func<int> command)
    {
        try
        {
            return command();
        }
        catch (CliException e)
        {
            return Fail(e.Message, e.ExitCode);
        }
        catch (Exception e) when (UserFailure.Describe(e, "an elr-run") is { } failure)
        {
            return Fail(failure.Message, failure.Kind == UserFailureKind.InvalidModel ? ExitCodes.BadInput : ExitCodes.IoError);
        }
        catch (OutOfMemoryException e)
        {
            // What the failed allocation left (arenas of a half-made session, native memory their finalizers free) still
            // fills the memory, and the message needs a little: the console starts a thread on its first write.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            // An InsufficientMemoryException is elr-run's own, naming what was needed (BenchMemory); the runtime's names nothing.
            return Fail(e is InsufficientMemoryException ? e.Message
                : "out of memory: the command needs more than the process may use. Give it less to hold at once (a smaller input, a lower --batch or --threads), or more memory (a higher ulimit -v, fewer other programs).",
                ExitCodes.Usage);
        }
        catch (Exception e)
        {
            // Every failure a user can cause is caught above with its own message; what reaches here is a bug.
            return Fail($"internal error: {e.Message}. Please report it with the command line that caused it.", ExitCodes.InternalError);
        }
    }

    private static int Fail(string message, int exitCode)
    {
        Console.Out.Flush();
        Console.Error.WriteLine($"elr-run: error: {UserFailure.Printable(message)}");
        return exitCode;
    }
}
