namespace EdgeLowRank.Runtime.Format;

/// <summary>
/// A model file is not a valid .elr file, or uses a format this reader cannot read. The message says
/// what was found, where, what was expected and what to do; <see cref="Offset"/> is the byte the
/// problem was found at, so a hex dump of the file can be read alongside it.
/// </summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was found, what was expected, and what to do.</param>
    /// <param name="offset">The byte offset in the file where the problem was found.</param>
    public ModelFormatException(string message, long offset)
        : base(message)
    {
        Offset = offset;
    }

    /// <summary>Creates the exception with the error that revealed the problem.</summary>
    /// <param name="message">What was found, what was expected, and what to do.</param>
    /// <param name="offset">The byte offset in the file where the problem was found.</param>
    /// <param name="innerException">The underlying error.</param>
    public ModelFormatException(string message, long offset, Exception innerException)
        : base(message, innerException)
    {
        Offset = offset;
    }

    /// <summary>The byte offset in the file where the problem was found.</summary>
    public long Offset { get; }
}
