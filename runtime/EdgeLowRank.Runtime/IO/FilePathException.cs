namespace EdgeLowRank.Runtime.IO;

/// <summary>
/// A path a tool was given cannot be used as asked: missing, a folder where a file is needed, empty, unwritable, or the
/// same file as another of the command's files. The message names the option, the path and what to do, and is meant to
/// be shown to the user as it is.
/// </summary>
public sealed class FilePathException : IOException
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public FilePathException(string message) : base(message) { }

    /// <summary>Creates the exception with a message for the user and the failure that revealed the problem.</summary>
    public FilePathException(string message, Exception inner) : base(message, inner) { }
}
