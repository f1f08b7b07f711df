namespace EdgeLowRank.Samples.Common;

/// <summary>Process exit codes of the firmware samples; the same numbers as elr-run, so one script can read both.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The command line is wrong (unknown option, missing or impossible value).</summary>
    public const int Usage = 1;

    /// <summary>A model or input file is malformed, or the model does not suit the sample.</summary>
    public const int BadInput = 2;

    /// <summary>A file, folder or GPIO device could not be opened, read or written.</summary>
    public const int IoError = 3;

    /// <summary>Stopped early by Ctrl+C, SIGTERM or SIGHUP (what was measured is still written), as shells report SIGINT.</summary>
    public const int Interrupted = 130;
}
