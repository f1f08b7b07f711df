namespace EdgeLowRank.Compressor.Latency;

/// <summary>A latency table that cannot be used: unreadable, malformed, or without the shapes a model needs.
/// The message says what is wrong and how to make a usable table.</summary>
public sealed class LatencyTableException(string message, Exception? inner = null) : Exception(message, inner);
