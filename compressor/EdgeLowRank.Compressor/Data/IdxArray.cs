namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// The content of one IDX file of unsigned bytes: its dimensions (outermost first, e.g.
/// [60000, 28, 28] for MNIST's training images) and the values in row-major order.
/// </summary>
/// <param name="Dimensions">Sizes, outermost first; their product is <c>Data.Length</c>.</param>
/// <param name="Data">The values, row-major.</param>
public sealed record IdxArray(IReadOnlyList<int> Dimensions, byte[] Data);
