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

    /// <summary>Stopped early by a signal (what was measured is still written): 128 + its number, as shells report it —
    /// 130 for Ctrl+C, 143 for SIGTERM, 129 for SIGHUP.</summary>
    public static int StoppedBy(System.Runtime.InteropServices.PosixSignal signal) => 128 + signal switch
    {
        System.Runtime.InteropServices.PosixSignal.SIGHUP => 1,
        System.Runtime.InteropServices.PosixSignal.SIGINT => 2,
        System.Runtime.InteropServices.PosixSignal.SIGTERM => 15,
        _ => 0,
    };
}
