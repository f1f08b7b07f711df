namespace EdgeLowRank.Runtime.Cli;

/// <summary>A signal that stops elr-run: Ctrl+C (SIGINT) or SIGTERM, which `timeout`, systemd and Kubernetes send. Both stop a
/// command alike; the exit code and the words say which came, so a pipeline can tell a user's Ctrl+C from its own stop.</summary>
/// <param name="PosixName">The signal's POSIX name ("SIGINT"), as `bench --json`'s "interrupted" gives it.</param>
/// <param name="Name">How a person knows it ("Ctrl+C", "SIGTERM"): in the report's "interrupted" line and the status lines.</param>
/// <param name="ExitCode">128 + the signal's number, as shells report a process it ended.</param>
/// <param name="Ended">The status line when it ends a command ("cancelled", "terminated (SIGTERM)").</param>
internal sealed record StopSignal(string PosixName, string Name, int ExitCode, string Ended)
{
    /// <summary>Ctrl+C.</summary>
    public static readonly StopSignal Interrupt = new("SIGINT", "Ctrl+C", ExitCodes.Interrupted, "cancelled");

    /// <summary>SIGTERM, the polite stop of `timeout`, `kill`, systemd and Kubernetes (SIGKILL follows if it is not heeded).</summary>
    public static readonly StopSignal Terminate = new("SIGTERM", "SIGTERM", ExitCodes.Terminated, "terminated (SIGTERM)");
}
