namespace EdgeLowRank.Compressor.Compression;

/// <summary>A compression request that cannot work (bad setting, unsuitable model, a checkpoint of another run); the message says what to change.</summary>
public sealed class CompressionException(string message) : Exception(message);
