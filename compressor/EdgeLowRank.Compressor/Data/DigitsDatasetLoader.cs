namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Builds train and test parts from the UCI digits CSV. The data has no official split, so the
/// test part is fixed here: from each class, <see cref="TestFraction"/> of its samples chosen by
/// a shuffle seeded with <see cref="SplitSeed"/> (see <see cref="Dataset.SplitValidation"/> for
/// the method). Changing either constant changes every reported digits accuracy. Both parts come
/// from the one file, so the test part alone reads it whole too (57 KB).
/// </summary>
/// <param name="fileName">The CSV's file name.</param>
internal sealed class DigitsDatasetLoader(string fileName) : IDatasetLoader
{
    /// <summary>Share of each class in the test part.</summary>
    public const double TestFraction = 0.2;

    /// <summary>Seed of the fixed train/test split.</summary>
    public const ulong SplitSeed = 1797;

    /// <inheritdoc />
    public DatasetParts LoadParts(DatasetInfo info, string directory)
    {
        (Dataset all, int[] train, int[] test) = Split(info, directory);
        return new DatasetParts(all.Subset(train, $"{info.Name}/train"), all.Subset(test, $"{info.Name}/test"));
    }

    /// <inheritdoc />
    public DatasetTestPart LoadTest(DatasetInfo info, string directory)
    {
        (Dataset all, _, int[] test) = Split(info, directory);
        return new DatasetTestPart(all.Subset(test, $"{info.Name}/test"));
    }

    /// <summary>Every sample, and which of them are in each part.</summary>
    private (Dataset All, int[] Train, int[] Test) Split(DatasetInfo info, string directory)
    {
        DigitsCsv csv = DigitsCsvReader.Read(Path.Combine(directory, fileName));
        var all = new Dataset(
            info.Name, info.SampleShape, PixelScaling.ToUnitRange(csv.Pixels, DigitsCsvReader.MaxPixelValue), csv.Labels, info.ClassNames);
        (int[] train, int[] test) = StratifiedSplit.Split(csv.Labels, info.ClassNames.Count, TestFraction, SplitSeed);
        return (all, train, test);
    }
}
