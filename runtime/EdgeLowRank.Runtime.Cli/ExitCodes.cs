namespace EdgeLowRank.Runtime.Cli;

/// <summary>The process exit codes of elr-run, so scripts can tell failures apart. Ctrl+C ends the process with 130
/// (128 + SIGINT) and SIGTERM with 143 (128 + SIGTERM), which the runtime sets as the signal's default action ends it, except
/// in `bench`, which stops, reports and returns <see cref="Interrupted"/> or <see cref="Terminated"/>.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>The command line is wrong (unknown option, impossible value, or more memory than the process may use).</summary>
    public const int Usage = 1;
    /// <summary>A model or input file is malformed.</summary>
    public const int BadInput = 2;
    /// <summary>A file could not be read or written.</summary>
    public const int IoError = 3;
    /// <summary>Outputs differ from the expected outputs (run --expect).</summary>
    public const int Mismatch = 4;
    /// <summary>A bug in elr-run itself (sysexits' EX_SOFTWARE, as elr uses).</summary>
    public const int InternalError = 70;
    /// <summary>Stopped by Ctrl+C (128 + SIGINT, as shells report it and elr returns): `bench` after reporting what it measured.</summary>
    public const int Interrupted = 130;
    /// <summary>Stopped by SIGTERM (128 + 15, as shells report it and elr returns), as `timeout`, systemd and Kubernetes stop a
    /// process: `bench` after reporting what it measured.</summary>
    public const int Terminated = 143;
}
