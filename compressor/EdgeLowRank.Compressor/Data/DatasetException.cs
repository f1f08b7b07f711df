namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Base of every error the data layer reports on purpose: a bad file, a failed fetch, an unknown
/// name. Front ends catch this one type and print <see cref="Exception.Message"/>, which is written
/// to be read by a person (what happened, where, and what to do).
/// </summary>
public class DatasetException : Exception
{
    /// <summary>Creates an error with a complete, human-readable message.</summary>
    public DatasetException(string message) : base(message) { }

    /// <summary>Creates an error with a complete, human-readable message and its cause.</summary>
    public DatasetException(string message, Exception? innerException) : base(message, innerException) { }
}
