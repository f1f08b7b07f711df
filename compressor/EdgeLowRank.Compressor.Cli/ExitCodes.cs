namespace EdgeLowRank.Compressor.Cli;

/// <summary>
/// The process exit codes of elr, so that a script can tell failures apart: retry a failed fetch, stop on a typo, alert on a
/// damaged file. Codes 1–3 mean what they mean for elr-run (a trial's nightly pipeline found elr exiting 1 for every
/// failure, where elr-run told them apart), and 4 a result that fails its check, as elr-run's 4 does; elr adds its own
/// from 5 on, and sysexits' 70 for its bugs.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command line, or a request it makes, cannot work: an unknown option or data set, an impossible value, a
    /// model that does not fit the data set, a ratio no rank reaches.</summary>
    public const int Usage = 1;

    /// <summary>A model, data or table file is damaged or not of its format (a CRC mismatch, a cut file, an .npy of the wrong
    /// type), or an ONNX graph this import does not take.</summary>
    public const int BadInput = 2;

    /// <summary>A file or folder could not be read or written: missing, a folder where a file was wanted, no permission, a full device.</summary>
    public const int FileError = 3;

    /// <summary><c>elr compress --require-goals</c>: the model it wrote misses a goal it warned of. A result, not a failure (the
    /// model is there), which a script asked to tell apart from success (a trial's pipeline took a 1.00× "compressed" model,
    /// written at exit code 0 with a warning, for a good one); elr-run's 4 is its own failed check, outputs differing from
    /// <c>--expect</c>.</summary>
    public const int GoalsMissed = 4;

    /// <summary>Training diverged (the loss went to NaN or infinity): lower the learning rate, not a file to mend.</summary>
    public const int Diverged = 5;

    /// <summary>A data set could not be fetched (no network, a package manager failing, a download cut short, or ELR_OFFLINE
    /// forbidding it): the one failure a later retry may mend by itself. A cached copy changed after its fetch is
    /// <see cref="BadInput"/>, to replace with <c>elr data fetch NAME --force</c>.</summary>
    public const int FetchFailed = 6;

    /// <summary>A bug in elr itself (sysexits' EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    /// <summary>Ctrl+C, as shells report SIGINT (128 + 2).</summary>
    public const int Cancelled = 130;

    /// <summary>SIGTERM (128 + 15), as shells report it: a service manager or `kill` stopped the run, and a script told the two
    /// apart by it (a trial's `kill -TERM` got 130, Ctrl+C's).</summary>
    public const int Terminated = 143;
}
