namespace EdgeLowRank.Compressor.Data;

/// <summary>The smallest and largest pixel of a float image array, found while its pixels are checked to be finite.</summary>
/// <param name="Min">The smallest pixel.</param>
/// <param name="Max">The largest pixel.</param>
internal readonly record struct FloatPixelRange(float Min, float Max);
