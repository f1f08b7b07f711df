namespace EdgeLowRank.Compressor.Data;

/// <summary>A data set's test part, read without its training part (<see cref="IDatasetLoader.LoadTest"/>).</summary>
/// <param name="Test">Samples held out for the reported accuracy.</param>
public sealed record DatasetTestPart(Dataset Test)
{
    /// <summary>What the user should hear about the data read for the test part that is no reason to stop, as
    /// <see cref="DatasetParts.Warnings"/>; none for a catalog data set.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
