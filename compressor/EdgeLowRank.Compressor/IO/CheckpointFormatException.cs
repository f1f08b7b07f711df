namespace EdgeLowRank.Compressor.IO;

/// <summary>
/// A checkpoint file (of <c>elr compress</c> or <c>elr train</c>) that cannot be read back: cut short, damaged (its CRC-64
/// does not match), of another kind or of a version this elr does not read. Its own type, so that elr gives it the exit
/// code of a damaged input (2), not of a command line to change; the message names the file and says to delete it.
/// </summary>
public sealed class CheckpointFormatException(string message) : Exception(message);
