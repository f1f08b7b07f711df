namespace EdgeLowRank.Runtime.Cli;

/// <summary>A failure the user can fix: its message is printed as is, without a stack trace.</summary>
internal sealed class CliException(string message, int exitCode) : Exception(message)
{
    /// <summary>The process exit code to return.</summary>
    public int ExitCode { get; } = exitCode;
}
