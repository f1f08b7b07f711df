namespace EdgeLowRank.Samples.Common;

/// <summary>The command line cannot be used; the message says which option and why. Programs exit with
/// <see cref="ExitCodes.Usage"/>.</summary>
public sealed class UsageException(string message) : Exception(message);
