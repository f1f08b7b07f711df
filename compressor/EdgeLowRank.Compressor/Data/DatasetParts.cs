namespace EdgeLowRank.Compressor.Data;

/// <summary>A data set's official training and test parts (or, for digits, its documented fixed split).</summary>
/// <param name="Train">Samples to train (and validate) on.</param>
/// <param name="Test">Samples held out for the reported accuracy.</param>
public sealed record DatasetParts(Dataset Train, Dataset Test)
{
    /// <summary>What the user should hear about the data that is no reason to stop (float pixels that look unscaled, for
    /// one), for a command to print; none for a catalog data set.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
