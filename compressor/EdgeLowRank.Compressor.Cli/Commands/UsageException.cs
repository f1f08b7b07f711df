namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>
/// A command line that cannot work as given (a missing file or folder, an option out of range, a model that does not
/// fit the data set, a model the runtime's format cannot store); the message says what and how to fix it. The library's
/// own exceptions stay for the library's errors.
/// </summary>
internal sealed class UsageException(string message) : Exception(message);
